// SPDX-License-Identifier: ISC
// Drawing the training report with cairo: axes, ticks, legends and three panels, then an
// atomic PNG write through a cairo stream callback.
#include "plot.h"
#include "tool_error.h"

#include "atomic_file.h"

#include <cairo.h>
#include <errno.h>
#include <fftw3.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_PI 3.14159265358979323846

enum { PLOT_W = 1200, PLOT_H = 1400, SPECTRUM_MAX_FFT = 4096 };

static const char *const FONT = "DejaVu Sans";

typedef struct {
	double r, g, b;
} Rgb;

static const Rgb C_TRAIN = {0.12, 0.40, 0.75};
static const Rgb C_VALID = {0.90, 0.45, 0.05};
static const Rgb C_TARGET = {0.15, 0.15, 0.15};
static const Rgb C_OUTPUT = {0.85, 0.15, 0.15};
static const Rgb C_ERROR = {0.45, 0.65, 0.30};

// A rectangle of the page and the data range it shows; log axes hold log10 of the range.
typedef struct {
	double x0, y0, w, h;
	double xmin, xmax, ymin, ymax;
	int xlog, ylog;
} Panel;

static double px(const Panel *p, double x)
{
	double v = p->xlog ? log10(x) : x;
	return p->x0 + (v - p->xmin) / (p->xmax - p->xmin) * p->w;
}

static double py(const Panel *p, double y)
{
	double v = p->ylog ? log10(y) : y;
	if (v < p->ymin)
		v = p->ymin;
	if (v > p->ymax)
		v = p->ymax;
	return p->y0 + p->h - (v - p->ymin) / (p->ymax - p->ymin) * p->h;
}

static void set_rgb(cairo_t *cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// Draws text with its anchor at (x, y): ax, ay in 0..1 pick the point of the text box.
static void text_at(cairo_t *cr, double x, double y, double ax, double ay, const char *s)
{
	cairo_text_extents_t te;
	cairo_text_extents(cr, s, &te);
	cairo_move_to(cr, x - te.x_bearing - ax * te.width, y - te.y_bearing - ay * te.height);
	cairo_show_text(cr, s);
}

static void font(cairo_t *cr, double size, int bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

// 1, 2 or 5 times a power of ten, about range / target steps.
static double nice_step(double range, int target)
{
	double raw = range / target;
	double mag = pow(10.0, floor(log10(raw)));
	double f = raw / mag;
	return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
}

static void grid_line_x(cairo_t *cr, const Panel *p, double x, const char *label)
{
	double X = px(p, x);
	cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
	cairo_set_line_width(cr, 1.0);
	cairo_move_to(cr, X, p->y0);
	cairo_line_to(cr, X, p->y0 + p->h);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	font(cr, 15, 0);
	text_at(cr, X, p->y0 + p->h + 8, 0.5, 0.0, label);
}

static void grid_line_y(cairo_t *cr, const Panel *p, double y, const char *label)
{
	double Y = py(p, y);
	cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
	cairo_set_line_width(cr, 1.0);
	cairo_move_to(cr, p->x0, Y);
	cairo_line_to(cr, p->x0 + p->w, Y);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	font(cr, 15, 0);
	text_at(cr, p->x0 - 8, Y, 1.0, 0.5, label);
}

static void linear_ticks_x(cairo_t *cr, const Panel *p, int integer)
{
	double step = nice_step(p->xmax - p->xmin, 8);
	if (integer && step < 1.0)
		step = 1.0;
	char buf[32];
	for (double v = ceil(p->xmin / step) * step; v <= p->xmax + 1e-9 * step; v += step) {
		snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-12 * step ? 0.0 : v);
		grid_line_x(cr, p, v, buf);
	}
}

static void linear_ticks_y(cairo_t *cr, const Panel *p, int target)
{
	double step = nice_step(p->ymax - p->ymin, target);
	char buf[32];
	for (double v = ceil(p->ymin / step) * step; v <= p->ymax + 1e-9 * step; v += step) {
		snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-12 * step ? 0.0 : v);
		grid_line_y(cr, p, v, buf);
	}
}

// Decades, with 2 and 5 in between when the axis spans few decades.
static void log_ticks_y(cairo_t *cr, const Panel *p)
{
	int decades = (int)lround(p->ymax - p->ymin);
	char buf[32];
	for (int e = (int)floor(p->ymin); e <= (int)ceil(p->ymax); ++e) {
		static const double mant[] = {1.0, 2.0, 5.0};
		for (int m = 0; m < (decades <= 2 ? 3 : 1); ++m) {
			double v = mant[m] * pow(10.0, e);
			double lv = log10(v);
			if (lv < p->ymin - 1e-9 || lv > p->ymax + 1e-9)
				continue;
			snprintf(buf, sizeof buf, "%g", v);
			grid_line_y(cr, p, v, buf);
		}
	}
}

static void frequency_ticks_x(cairo_t *cr, const Panel *p)
{
	static const double f[] = {20,   50,   100,   200,   500,   1000,
	                           2000, 5000, 10000, 20000, 50000, 100000};
	static const char *const lab[] = {"20", "50", "100", "200", "500", "1k",
	                                  "2k", "5k", "10k", "20k", "50k", "100k"};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; ++i) {
		double lv = log10(f[i]);
		if (lv >= p->xmin - 1e-9 && lv <= p->xmax + 1e-9)
			grid_line_x(cr, p, f[i], lab[i]);
	}
}

static void panel_frame(cairo_t *cr, const Panel *p, const char *title, const char *xlabel,
                        const char *ylabel)
{
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, p->x0, p->y0, p->w, p->h);
	cairo_stroke(cr);
	font(cr, 19, 1);
	cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
	text_at(cr, p->x0, p->y0 - 12, 0.0, 1.0, title);
	font(cr, 16, 0);
	text_at(cr, p->x0 + p->w / 2, p->y0 + p->h + 34, 0.5, 0.0, xlabel);
	cairo_save(cr);
	cairo_translate(cr, p->x0 - 78, p->y0 + p->h / 2);
	cairo_rotate(cr, -PLOT_PI / 2);
	text_at(cr, 0, 0, 0.5, 0.5, ylabel);
	cairo_restore(cr);
}

static void panel_message(cairo_t *cr, const Panel *p, const char *msg)
{
	font(cr, 18, 0);
	cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
	text_at(cr, p->x0 + p->w / 2, p->y0 + p->h / 2, 0.5, 0.5, msg);
}

// Saves the cairo state and clips to the plot area, so that curves beyond the axes' range
// stop at the frame; the caller's cairo_restore ends it.
static void panel_clip(cairo_t *cr, const Panel *p)
{
	cairo_save(cr);
	cairo_rectangle(cr, p->x0, p->y0, p->w, p->h);
	cairo_clip(cr);
}

typedef struct {
	const char *label;
	Rgb color;
	int dashed;
} LegendEntry;

// One row of entries right-aligned above the panel, level with its title: it never hides data.
static void legend(cairo_t *cr, const Panel *p, const LegendEntry *e, int n)
{
	font(cr, 16, 0);
	const double swatch = 30, pad = 8, gap = 26;
	double width = 0.0;
	for (int i = 0; i < n; ++i) {
		cairo_text_extents_t te;
		cairo_text_extents(cr, e[i].label, &te);
		width += swatch + pad + te.x_advance + (i + 1 < n ? gap : 0);
	}
	double x = p->x0 + p->w - width, y = p->y0 - 18;
	for (int i = 0; i < n; ++i) {
		set_rgb(cr, e[i].color);
		cairo_set_line_width(cr, 3.0);
		if (e[i].dashed) {
			double d[] = {6, 4};
			cairo_set_dash(cr, d, 2, 0);
		}
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + swatch, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
		text_at(cr, x + swatch + pad, y, 0.0, 0.5, e[i].label);
		cairo_text_extents_t te;
		cairo_text_extents(cr, e[i].label, &te);
		x += swatch + pad + te.x_advance + gap;
	}
}

static int positive(float v) { return isfinite(v) && v > 0.0f; }

// A loss curve: segments between consecutive drawable points; gaps where values are unusable.
static void loss_curve(cairo_t *cr, const Panel *p, const float *v, int n, Rgb c)
{
	set_rgb(cr, c);
	cairo_set_line_width(cr, 2.5);
	int pen = 0;
	for (int i = 0; i < n; ++i) {
		if (!positive(v[i])) {
			pen = 0;
			continue;
		}
		double X = px(p, i + 1.0), Y = py(p, v[i]);
		if (pen)
			cairo_line_to(cr, X, Y);
		else
			cairo_move_to(cr, X, Y);
		pen = 1;
		if (n <= 60)
			cairo_rectangle(cr, X - 2, Y - 2, 4, 4);
		cairo_move_to(cr, X, Y);
	}
	cairo_stroke(cr);
}

static void draw_losses(cairo_t *cr, Panel *p, const TrainingPlot *tp)
{
	double lo = INFINITY, hi = -INFINITY;
	const float *curves[2] = {tp->train_loss, tp->valid_esr};
	for (int k = 0; k < 2; ++k)
		for (int i = 0; curves[k] && i < tp->epochs; ++i)
			if (positive(curves[k][i])) {
				lo = fmin(lo, curves[k][i]);
				hi = fmax(hi, curves[k][i]);
			}
	p->ylog = 1;
	p->xmin = 1.0;
	p->xmax = tp->epochs > 1 ? tp->epochs : 2.0;
	int ok = isfinite(lo);
	p->ymin = ok ? floor(log10(lo)) : -3.0;
	p->ymax = ok ? ceil(log10(hi)) : 0.0;
	if (p->ymax - p->ymin < 1.0)
		p->ymax = p->ymin + 1.0;
	panel_frame(cr, p, "Loss", "epoch", "loss / ESR (log scale)");
	log_ticks_y(cr, p);
	linear_ticks_x(cr, p, 1);
	if (!ok) {
		panel_message(cr, p, "no loss values yet");
		return;
	}
	panel_clip(cr, p);
	LegendEntry e[2];
	int ne = 0;
	if (tp->train_loss) {
		loss_curve(cr, p, tp->train_loss, tp->epochs, C_TRAIN);
		e[ne++] = (LegendEntry){"training loss", C_TRAIN, 0};
	}
	if (tp->valid_esr) {
		loss_curve(cr, p, tp->valid_esr, tp->epochs, C_VALID);
		e[ne++] = (LegendEntry){"validation ESR", C_VALID, 0};
	}
	cairo_restore(cr);
	legend(cr, p, e, ne);
}

// A waveform: a polyline when there are few samples per pixel, else a min/max band per column.
static void waveform(cairo_t *cr, const Panel *p, const float *v, long n, double sr, Rgb c,
                     double width, double alpha)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
	cairo_set_line_width(cr, width);
	if (n <= (long)(20 * p->w)) {
		for (long i = 0; i < n; ++i) {
			double X = px(p, 1000.0 * i / sr), Y = py(p, v[i]);
			if (i == 0)
				cairo_move_to(cr, X, Y);
			else
				cairo_line_to(cr, X, Y);
		}
		cairo_stroke(cr);
		return;
	}
	int cols = (int)p->w;
	for (int col = 0; col < cols; ++col) {
		long a = (long)((double)col / cols * n), b = (long)((double)(col + 1) / cols * n);
		// Starting one sample early joins each column's band to the previous one.
		long from = a > 0 ? a - 1 : 0;
		float mn = v[from], mx = v[from];
		for (long i = from; i < b; ++i) {
			mn = fminf(mn, v[i]);
			mx = fmaxf(mx, v[i]);
		}
		double X = p->x0 + col + 0.5;
		cairo_move_to(cr, X, py(p, mx) - 0.5);
		cairo_line_to(cr, X, py(p, mn) + 0.5);
	}
	cairo_stroke(cr);
}

static void draw_waveforms(cairo_t *cr, Panel *p, const TrainingPlot *tp)
{
	int ok = tp->target && tp->output && tp->n > 1 && tp->sample_rate > 0.0;
	double peak = 0.0;
	for (long i = 0; ok && i < tp->n; ++i) {
		if (isfinite(tp->target[i]))
			peak = fmax(peak, fabs(tp->target[i]));
		if (isfinite(tp->output[i]))
			peak = fmax(peak, fabs(tp->output[i]));
	}
	if (!(peak > 0.0))
		peak = 1.0;
	peak *= 1.1;
	p->xmin = 0.0;
	p->xmax = ok ? 1000.0 * (tp->n - 1) / tp->sample_rate : 1.0;
	p->ymin = -peak;
	p->ymax = peak;
	panel_frame(cr, p, "Device output (target) and model output", "time (ms)", "amplitude");
	linear_ticks_x(cr, p, 0);
	linear_ticks_y(cr, p, 6);
	if (!ok) {
		panel_message(cr, p, "no audio given");
		return;
	}
	panel_clip(cr, p);
	waveform(cr, p, tp->target, tp->n, tp->sample_rate, C_TARGET, 2.5, 0.85);
	waveform(cr, p, tp->output, tp->n, tp->sample_rate, C_OUTPUT, 1.5, 0.85);
	cairo_restore(cr);
	LegendEntry e[] = {{"target (device)", C_TARGET, 0}, {"model output", C_OUTPUT, 0}};
	legend(cr, p, e, 2);
}

// Averages each power spectrum over 1/12 octave around every bin (prefix sums), so that the
// few segments of a short stretch still give curves a person can compare.
static int smooth_octaves(double *spec, int bins, int count)
{
	double *sum = malloc(((size_t)bins + 1) * sizeof *sum);
	double *tmp = malloc((size_t)bins * sizeof *tmp);
	if (!sum || !tmp) {
		free(sum);
		free(tmp);
		return -1;
	}
	const double half = pow(2.0, 1.0 / 24.0);
	for (int k = 0; k < count; ++k) {
		double *v = spec + (size_t)k * (size_t)bins;
		sum[0] = 0.0;
		for (int b = 0; b < bins; ++b)
			sum[b + 1] = sum[b] + v[b];
		for (int b = 1; b < bins; ++b) {
			int lo = (int)floor(b / half), hi = (int)ceil(b * half);
			if (lo < 1)
				lo = 1;
			if (hi > bins - 1)
				hi = bins - 1;
			tmp[b] = (sum[hi + 1] - sum[lo]) / (hi - lo + 1);
		}
		tmp[0] = v[0];
		memcpy(v, tmp, (size_t)bins * sizeof *v);
	}
	free(sum);
	free(tmp);
	return 0;
}

// Welch power spectra in dB re a full-scale sine: Hann segments of `size`, half overlap.
// spec is [3][size/2+1]: target, output, their difference. Returns 0 or -1 (no memory).
static int spectra(const TrainingPlot *tp, int size, double *spec)
{
	int bins = size / 2 + 1;
	float *in = fftwf_alloc_real((size_t)size);
	fftwf_complex *out = fftwf_alloc_complex((size_t)bins);
	double *win = malloc((size_t)size * sizeof *win);
	fftwf_plan plan = NULL;
	int rc = -1;
	if (!in || !out || !win)
		goto done;
	plan = fftwf_plan_dft_r2c_1d(size, in, out, FFTW_ESTIMATE);
	if (!plan)
		goto done;
	double wsum = 0.0;
	for (int i = 0; i < size; ++i) {
		win[i] = 0.5 - 0.5 * cos(2.0 * PLOT_PI * i / size);
		wsum += win[i];
	}
	memset(spec, 0, 3 * (size_t)bins * sizeof *spec);
	int segs = 0;
	for (long s = 0; s + size <= tp->n; s += size / 2, ++segs) {
		for (int k = 0; k < 3; ++k) {
			for (int i = 0; i < size; ++i) {
				double t = tp->target[s + i], o = tp->output[s + i];
				double v = k == 0 ? t : k == 1 ? o : o - t;
				in[i] = (float)(isfinite(v) ? v * win[i] : 0.0);
			}
			fftwf_execute(plan);
			for (int b = 0; b < bins; ++b)
				spec[k * bins + b] += (double)out[b][0] * out[b][0] + (double)out[b][1] * out[b][1];
		}
	}
	// A full-scale sine peaks at (wsum / 2)^2 in its bin.
	double ref = (wsum / 2.0) * (wsum / 2.0) * (segs > 0 ? segs : 1);
	if (smooth_octaves(spec, bins, 3) != 0)
		goto done;
	for (int i = 0; i < 3 * bins; ++i)
		spec[i] = 10.0 * log10(spec[i] / ref + 1e-30);
	rc = 0;
done:
	if (plan)
		fftwf_destroy_plan(plan);
	fftwf_free(in);
	fftwf_free(out);
	free(win);
	return rc;
}

static void spectrum_curve(cairo_t *cr, const Panel *p, const double *db, int bins, double df,
                           Rgb c, double width, int dashed)
{
	set_rgb(cr, c);
	cairo_set_line_width(cr, width);
	if (dashed) {
		double d[] = {7, 4};
		cairo_set_dash(cr, d, 2, 0);
	}
	int pen = 0;
	for (int b = 1; b < bins; ++b) {
		double f = b * df;
		if (log10(f) < p->xmin)
			continue;
		double X = px(p, f), Y = py(p, db[b]);
		if (pen)
			cairo_line_to(cr, X, Y);
		else
			cairo_move_to(cr, X, Y);
		pen = 1;
	}
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static int draw_spectra(cairo_t *cr, Panel *p, const TrainingPlot *tp)
{
	int ok = tp->target && tp->output && tp->sample_rate > 0.0 && tp->n >= 64;
	int size = SPECTRUM_MAX_FFT;
	while (ok && size > tp->n)
		size /= 2;
	int bins = size / 2 + 1;
	double df = ok ? tp->sample_rate / size : 1.0;
	double *spec = NULL;
	if (ok) {
		spec = malloc(3 * (size_t)bins * sizeof *spec);
		if (!spec || spectra(tp, size, spec) != 0) {
			free(spec);
			return -1;
		}
	}
	double top = -INFINITY;
	for (int i = 0; ok && i < 2 * bins; ++i)
		top = fmax(top, spec[i]);
	top = isfinite(top) ? 10.0 * ceil(top / 10.0) : 0.0;
	p->xlog = 1;
	p->xmin = log10(fmax(20.0, df));
	p->xmax = log10(ok ? tp->sample_rate / 2.0 : 24000.0);
	p->ymin = top - 120.0;
	p->ymax = top;
	panel_frame(cr, p, "Spectra over the same stretch", "frequency (Hz)",
	            "level (dB re full-scale sine)");
	frequency_ticks_x(cr, p);
	linear_ticks_y(cr, p, 6);
	if (!ok) {
		panel_message(cr, p, "not enough audio for a spectrum");
		return 0;
	}
	panel_clip(cr, p);
	spectrum_curve(cr, p, spec + 2 * bins, bins, df, C_ERROR, 1.8, 1);
	spectrum_curve(cr, p, spec, bins, df, C_TARGET, 2.5, 0);
	spectrum_curve(cr, p, spec + bins, bins, df, C_OUTPUT, 1.5, 0);
	cairo_restore(cr);
	LegendEntry e[] = {{"target (device)", C_TARGET, 0},
	                   {"model output", C_OUTPUT, 0},
	                   {"difference", C_ERROR, 1}};
	legend(cr, p, e, 3);
	free(spec);
	return 0;
}

typedef struct {
	FILE *fp;
	int error; // errno of the first failed write: the stream's flag alone loses it
} PngSink;

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
	PngSink *sink = closure;
	errno = 0;
	if (fwrite(data, 1, len, sink->fp) == len)
		return CAIRO_STATUS_SUCCESS;
	if (!sink->error)
		sink->error = errno ? errno : EIO;
	return CAIRO_STATUS_WRITE_ERROR;
}

int plot_training_png(const char *path, const TrainingPlot *tp, char *err, size_t err_len)
{
	if (!tp) {
		tool_error_set(err, err_len, "%s: nothing to plot", path ? path : "(null)");
		return -1;
	}
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PLOT_W, PLOT_H);
	cairo_t *cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);

	font(cr, 24, 1);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text_at(cr, PLOT_W / 2.0, 18, 0.5, 0.0, tp->title && *tp->title ? tp->title : "lstm-train");

	const double left = 110, right = 30, ph = 340, gap = 112, top = 90;
	Panel panels[3];
	for (int i = 0; i < 3; ++i)
		panels[i] =
			(Panel){left, top + i * (ph + gap), PLOT_W - left - right, ph, 0, 1, 0, 1, 0, 0};
	draw_losses(cr, &panels[0], tp);
	draw_waveforms(cr, &panels[1], tp);
	int rc = draw_spectra(cr, &panels[2], tp);

	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (rc != 0 || st != CAIRO_STATUS_SUCCESS) {
		tool_error_set(err, err_len, "%s: cannot draw the plot (%s)", path,
		               rc != 0 ? "out of memory" : cairo_status_to_string(st));
		cairo_surface_destroy(surf);
		return -1;
	}
	AtomicFile *af = atomic_file_open(path, 1, err, err_len);
	if (!af) {
		cairo_surface_destroy(surf);
		return -1;
	}
	PngSink sink = {atomic_file_stream(af), 0};
	st = cairo_surface_write_to_png_stream(surf, write_stream, &sink);
	cairo_surface_destroy(surf);
	if (st != CAIRO_STATUS_SUCCESS) {
		tool_error_set(err, err_len, "%s: write failed: %s", path,
		               sink.error ? strerror(sink.error) : cairo_status_to_string(st));
		atomic_file_abort(af);
		return -1;
	}
	return atomic_file_commit(af, err, err_len);
}

void plot_release_caches(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
