// SPDX-License-Identifier: ISC
// lstm-train's model file and report (train_report.h).
#include "train_report.h"

#include "linear_baseline.h"
#include "model_selftest.h"
#include "model_file.h"
#include "model_render.h"
#include "plot.h"
#include "reamp_signal.h"
#include "tool_error.h"
#include "training_metadata.h"

enum { SELFTEST_FRAMES = 4096 };

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// --- output --------------------------------------------------------------------------------

// NAM's grades of a held-out ESR, so figures compare with what NAM users know.
const char *train_verdict(double esr)
{
	if (esr < 0)
		return "no held-out data to judge by";
	if (esr < 0.01)
		return "great: hard to tell from the device";
	if (esr < 0.035)
		return "not bad: close to the device";
	if (esr < 0.1)
		return "might sound ok: audibly different on close listening";
	return "does not look good: clearly different from the device";
}

const char *train_cell_name(CellType c)
{
	return c == CELL_GRU ? "gru" : c == CELL_LSTM_PEEPHOLE ? "peephole" : "lstm";
}

static const char *preemph_name(PreEmphasisKind k)
{
	return k == PREEMPH_AWEIGHT ? "aweight" : k == PREEMPH_NONE ? "none" : "first";
}

static double rms_db(const float *y, long n)
{
	double s = 0;
	for (long i = 0; i < n; i++)
		s += (double)y[i] * y[i];
	return n > 0 && s > 0 ? 10.0 * log10(s / (double)n) : -200.0;
}

int train_write_model(const TrainOptions *o, Trainer *tr, const TrainData *d, double esr_train,
                      double esr_valid, double esr_test, double esr_linear, double seconds,
                      int interrupted)
{
	const TrainConfig *c = trainer_config(tr);
	ModelDesc m;
	if (train_params_export(&c->shape, trainer_best_params(tr), d->rate, &m) != 0) {
		train_fail("out of memory");
		return 1;
	}
	train_export_fold_gains(&m, d->gain_in, d->gain_out);
	const TrainPair *lp = d->pairs;
	const int inputs = d->inputs;
	const double rate = d->rate;
	const TrainPairSpec *p0 = &o->pairs[0];
	const int channels = inputs - p0->knobs;
	if (p0->knobs > 0 && channels == 1) {
		m.num_controls = p0->knobs;
		for (int j = 0; j < p0->knobs; j++) {
			ControlDesc *cd = &m.controls[j];
			snprintf(cd->name, sizeof cd->name, "%s", p0->knob_name[j]);
			cd->min = cd->max = p0->knob_value[j];
			for (int k = 0; k < o->npairs; k++) {
				cd->min = fminf(cd->min, o->pairs[k].knob_value[j]);
				cd->max = fmaxf(cd->max, o->pairs[k].knob_value[j]);
			}
			if (!(cd->max > cd->min))
				cd->max = cd->min + 1.0f;
			cd->def = 0.5f * (cd->min + cd->max);
		}
	}
	// Self-test pair: the engine's exact output on the start of the first pair
	// (model_selftest_fill).
	const long nst = lp[0].s.n < SELFTEST_FRAMES ? lp[0].s.n : SELFTEST_FRAMES;
	float *st_in = malloc((size_t)nst * (size_t)inputs * sizeof(float));
	if (!st_in) {
		model_desc_free(&m);
		train_fail("out of memory");
		return 1;
	}
	// The model plays unscaled audio: undo the training gain on the input.
	memcpy(st_in, lp[0].s.x, (size_t)nst * (size_t)inputs * sizeof(float));
	for (long i = 0; i < nst; i++)
		st_in[i * inputs] /= d->gain_in;
	ModelError me;
	const ModelStatus filled = model_selftest_fill(&m, st_in, (int)nst, &me);
	free(st_in);
	if (filled != MODEL_OK) {
		model_desc_free(&m);
		train_fail("the trained model does not build: %s", me.message);
		return 1;
	}
	m.selftest_tolerance = 1e-4f;
	// Loudness as NAM's trainer measures it: the model's output level (RMS, dB) for one
	// standard input at its default settings, so that players can bring every model to one
	// level. The standard input is the standard capture signal's validation clip (9 s of
	// notes, strums and chugs, the same for every model at a rate); NAM ships its own file, which
	// this project does not copy. Feature inputs (several channels) have no standard: their
	// first 5 s stand in.
	double loud = -200.0;
	AudioBuffer std_signal = {0};
	ReampLayout layout;
	reamp_signal_layout(rate, &layout);
	const int standard = channels == 1 && reamp_signal_render(rate, &std_signal) == 0;
	const float *src = standard ? std_signal.data + layout.clip_a_from : lp[0].s.x;
	const long nl = standard                       ? layout.clip_a_to - layout.clip_a_from
	                : lp[0].s.n < (long)(5 * rate) ? lp[0].s.n
	                                               : (long)(5 * rate);
	float *yl = malloc((size_t)nl * sizeof(float));
	float *xl = malloc((size_t)nl * (size_t)inputs * sizeof(float));
	if (yl && xl) {
		for (long i = 0; i < nl; i++) {
			if (standard) {
				xl[i * inputs] = src[i];
				for (int k = 1; k < inputs; k++)
					xl[i * inputs + k] = m.controls[k - 1].def;
			} else {
				memcpy(xl + i * inputs, src + i * inputs, (size_t)inputs * sizeof(float));
				xl[i * inputs] /= d->gain_in;
			}
		}
		if (model_render_exact(&m, xl, nl, yl, &me) == MODEL_OK)
			loud = rms_db(yl, nl);
	}
	free(yl);
	free(xl);
	audio_buffer_free(&std_signal);

	const double audio_seconds = (double)trainer_train_samples(tr) / rate;
	double latency = 0.0;
	for (int k = 0; k < o->npairs; k++)
		latency = fmax(latency, lp[k].pair.latency);
	// What the alignment left in is the model's own latency, which the plugin reports so that
	// hosts compensate it. A lag kept longer than a file may hold is the device's business.
	m.latency_samples = (float)fmin(latency, rate * MODEL_MAX_LATENCY_SECONDS);
	const char *base = strrchr(o->output, '/') ? strrchr(o->output, '/') + 1 : o->output;
	char name[MODEL_NAME_LEN];
	snprintf(name, sizeof name, "%s", o->name ? o->name : base);
	char *dot = o->name ? NULL : strchr(name, '.');
	if (dot && dot != name)
		*dot = 0;
	char date[32] = "";
	const time_t now = time(NULL);
	struct tm utc;
	if (gmtime_r(&now, &utc))
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
	const TrainingMetadata meta = {
		.name = name,
		.description = "trained by lstm-train from a dry/wet pair",
		.author = o->author,
		.gear_make = o->gear_make,
		.gear_model = o->gear_model,
		.gear_type = o->gear_type,
		.tone_type = o->tone_type,
		.date = date[0] ? date : NULL,
		.command_line = o->command_line,
		.input_level_dbu = o->input_level_dbu,
		.output_level_dbu = o->output_level_dbu,
		.loudness_db = loud,
		.program = "lstm-train " LSTM_VERSION,
		.cell = train_cell_name(c->shape.cell),
		.hidden = c->shape.hidden,
		.layers = c->shape.layers,
		.skip = c->shape.skip,
		.epochs = trainer_epochs_done(tr),
		.seconds = seconds,
		.interrupted = interrupted,
		.seconds_of_audio = audio_seconds,
		.pairs = o->npairs,
		.latency_samples = latency,
		.shift_samples = lp[0].pair.shifted,
		.esr_train = esr_train,
		.esr_validation = esr_valid,
		.esr_test = esr_test,
		.esr_linear_baseline = esr_linear,
		.replicate_esr = lp[0].pair.reamp ? lp[0].pair.replicate_esr : -1.0,
		.segment_samples = c->segment,
		.batch = c->batch,
		.warmup = c->warmup,
		.tbptt = c->tbptt,
		.lr = c->lr,
		.preemph = preemph_name(c->preemph),
		.preemph_coef = c->preemph_coef,
		.esr_weight = c->esr_weight,
		.dc_weight = c->dc_weight,
		.seed = c->seed,
		.threads = c->threads,
	};
	m.metadata_json = training_metadata_json(&meta);
	ModelStatus st = model_write_file(o->output, &m, o->force, &me);
	model_desc_free(&m);
	if (st != MODEL_OK) {
		train_fail("%s", me.message);
		return EXIT_OUTPUT;
	}
	return 0;
}

// Loss curves, half a second of target against output from the loudest held-out block (or the
// middle when nothing is held out) after a second of context, and their spectra; the title
// gives the held-out ESR beside the linear baseline's.
// Returns 0, or -1 after a message.
int train_write_plot(const TrainOptions *o, Trainer *tr, const TrainData *d, double esr_linear)
{
	const TrainSeries *s = &d->pairs[0].s;
	const double rate = d->rate;
	long len = (long)(0.5 * rate), lead = (long)rate;
	long at = s->train_end < s->n ? s->train_end : s->n / 2;
	// Where the device is loudest among the held-out blocks: a silent stretch shows nothing.
	double loudest = -1.0;
	for (int h = 0; h < s->held_count; h++) {
		double e = 0.0;
		for (long i = s->held[h].from; i < s->held[h].to; i++)
			e += (double)s->t[i] * s->t[i];
		if (e > loudest) {
			loudest = e;
			at = s->held[h].from;
		}
	}
	if (at + len > s->n)
		at = s->n - len > 0 ? s->n - len : 0;
	if (len > s->n - at)
		len = s->n - at;
	long from = at - lead > 0 ? at - lead : 0;
	float *y = malloc((size_t)(at - from + len) * sizeof(float));
	float *t = malloc((size_t)(len > 0 ? len : 1) * sizeof(float));
	if (!y || !t) {
		free(y);
		free(t);
		train_fail("%s: out of memory for the plot", o->plot_path);
		return -1;
	}
	trainer_render(tr, NULL, 0, from, at - from + len, y);
	// At the device's own level, not the training scale.
	for (long i = 0; i < at - from + len; i++)
		y[i] /= d->gain_out;
	for (long i = 0; i < len; i++)
		t[i] = s->t[at + i] / d->gain_out;
	// The title carries the verdict, so the picture alone says whether the model is any good.
	char title[512];
	const double held = trainer_best_valid(tr);
	if (esr_linear >= 0 && isfinite(held))
		snprintf(title, sizeof title, "%s: held-out ESR %.4f, linear filter %.4f%s", o->output,
		         held, esr_linear, held >= esr_linear ? ": NO BETTER than a linear filter" : "");
	else
		snprintf(title, sizeof title, "%s", o->output);
	TrainingPlot p = {
		trainer_history_loss(tr),
		trainer_history_valid(tr),
		trainer_epochs_done(tr),
		t,
		y + (at - from),
		len,
		rate,
		title,
	};
	char err[TOOL_ERR_LEN];
	const int rc = plot_training_png(o->plot_path, &p, err, sizeof err);
	if (rc != 0)
		train_fail("%s", err);
	free(y);
	free(t);
	return rc;
}
