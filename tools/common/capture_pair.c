// SPDX-License-Identifier: ISC
// Loading and checking a dry/wet pair: formats, lengths, levels, delay and polarity.
#include "capture_pair.h"
#include "tool_error.h"

#include "delay_estimate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Below -100 dBFS peak a recording holds nothing a model could learn from.
#define SILENCE_PEAK 1e-5f
// Below this normalised correlation the two files are probably not the same performance.
#define UNRELATED_CORRELATION 0.05
// Below this the delay found is uncertain: a true delay outside the search range looks like this.
#define WEAK_CORRELATION 0.3
// A target more than a quarter sample ahead of its input leads it; less is estimation noise.
#define LEAD_TOLERANCE 0.25
// A fractional estimate this close above a whole sample is that sample (a pure delay).
#define ROUND_TOLERANCE 0.05
// How far before a blip its response may start: a target ahead of its input by up to this.
#define BLIP_MAX_LEAD 48

static void add_warning(CapturePair *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_warning(CapturePair *p, const char *fmt, ...)
{
	size_t used = strlen(p->warnings);
	if (used + 2 >= sizeof p->warnings)
		return;
	if (used > 0)
		p->warnings[used++] = '\n';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->warnings + used, sizeof p->warnings - used, fmt, ap);
	va_end(ap);
}

CapturePairOptions capture_pair_default_options(void)
{
	CapturePairOptions o = {
		.trim = 0,
		.compensate_delay = 1,
		.max_delay = 4800,
		.min_frames = 4800,
		.input_channels = 1,
		.min_delay = 8,
		.causal_margin = 1,
		.recognise_reamp = 1,
	};
	return o;
}

void capture_pair_free(CapturePair *p)
{
	if (!p)
		return;
	audio_buffer_free(&p->input);
	audio_buffer_free(&p->target);
}

static long count_clipped(const AudioBuffer *a, int ch)
{
	long n = 0;
	for (long t = 0; t < a->frames; ++t)
		if (fabsf(a->data[(size_t)t * (size_t)a->channels + (size_t)ch]) >= CAPTURE_CLIP_LEVEL)
			++n;
	return n;
}

static double peak_db(float peak) { return peak > 0.0f ? 20.0 * log10(peak) : -INFINITY; }

// Drops `drop` frames from the start of a, keeping the next `keep`.
static void buffer_slice(AudioBuffer *a, long drop, long keep)
{
	size_t ch = (size_t)a->channels;
	if (drop > 0)
		memmove(a->data, a->data + (size_t)drop * ch, (size_t)keep * ch * sizeof(float));
	a->frames = keep;
}

static int check_short(const char *in_path, const CapturePair *p, long min_frames, const char *why,
                       char *err, size_t err_len)
{
	if (p->input.frames >= min_frames && p->input.frames >= 2)
		return 0;
	tool_error_set(err, err_len, "%s: too short%s: %ld frames (%.3f s), at least %ld needed",
	               in_path, why, p->input.frames, p->input.frames / p->input.sample_rate,
	               min_frames > 2 ? min_frames : 2);
	return -1;
}

// Moves every position of a layout by `by` frames (the input lost -by frames at its start).
static void reamp_layout_move(ReampLayout *l, long by)
{
	_Static_assert(REAMP_BLIPS == 4, "every blip is listed below");
	long *pos[] = {&l->noise_from, &l->noise_to,  &l->blip[0],     &l->blip[1],     &l->blip[2],
	               &l->blip[3],    &l->tone_from, &l->tone_to,     &l->clip_a_from, &l->clip_a_to,
	               &l->train_from, &l->train_to,  &l->clip_b_from, &l->clip_b_to,   &l->frames};
	for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
		*pos[i] += by;
}

int capture_pair_load(const char *input_path, const char *target_path,
                      const CapturePairOptions *opt, CapturePair *out, char *err, size_t err_len)
{
	CapturePairOptions o = opt ? *opt : capture_pair_default_options();
	memset(out, 0, sizeof *out);

	if (audio_file_read(input_path, &out->input, err, err_len) != 0)
		return -1;
	if (audio_file_read(target_path, &out->target, err, err_len) != 0)
		goto fail;

	AudioBuffer *in = &out->input, *tg = &out->target;
	if (in->sample_rate != tg->sample_rate) {
		tool_error_set(err, err_len,
		               "%s is %.0f Hz but %s is %.0f Hz: the sample rates differ (resample one, "
		               "e.g. with sox)",
		               input_path, in->sample_rate, target_path, tg->sample_rate);
		goto fail;
	}
	if (o.input_channels > 0 && in->channels != o.input_channels) {
		tool_error_set(err, err_len, "%s: %d channels, expected %d%s", input_path, in->channels,
		               o.input_channels, o.input_channels == 1 ? " (mono)" : "");
		goto fail;
	}
	if (tg->channels != 1) {
		tool_error_set(err, err_len, "%s: %d channels; the target must be mono (one channel)",
		               target_path, tg->channels);
		goto fail;
	}
	float in_peak = audio_buffer_peak(in, 0);
	if (in_peak < SILENCE_PEAK) {
		tool_error_set(err, err_len, "%s: the input is silent (peak %.1f dBFS)", input_path,
		               peak_db(in_peak));
		goto fail;
	}
	float tg_peak = audio_buffer_peak(tg, 0);
	if (tg_peak < SILENCE_PEAK) {
		tool_error_set(err, err_len, "%s: the target is silent (peak %.1f dBFS)", target_path,
		               peak_db(tg_peak));
		goto fail;
	}
	if (in->frames != tg->frames) {
		long diff = labs(in->frames - tg->frames);
		if (!o.trim) {
			tool_error_set(err, err_len,
			               "%s has %ld frames but %s has %ld: the lengths differ by %ld "
			               "(%.3f s); trim both to the shorter one (--trim) if that is right",
			               input_path, in->frames, target_path, tg->frames, diff,
			               diff / in->sample_rate);
			goto fail;
		}
		long n = in->frames < tg->frames ? in->frames : tg->frames;
		add_warning(out, "lengths differed by %ld frames (%.3f s): both trimmed to %ld frames",
		            diff, diff / in->sample_rate, n);
		in->frames = tg->frames = n;
	}
	if (check_short(input_path, out, o.min_frames, "", err, err_len) != 0)
		goto fail;

	DelayEstimate de;
	if (delay_estimate(in->data, in->channels, tg->data, 1, in->frames, o.max_delay, &de) != 0) {
		tool_error_set(err, err_len, "%s: out of memory while estimating the delay", target_path);
		goto fail;
	}
	out->delay = de.delay;
	out->correlation = de.correlation;
	// A slightly negative figure between unrelated files says nothing about polarity.
	out->polarity_inverted = de.correlation_at_delay <= -UNRELATED_CORRELATION;
	double ms = 1000.0 * de.delay_fine / in->sample_rate;
	if (fabs(de.correlation) < UNRELATED_CORRELATION) {
		add_warning(out,
		            "%s and %s look unrelated (best correlation %.3f within +-%d samples): "
		            "check that they are the same take",
		            input_path, target_path, de.correlation, de.max_lag);
	}
	const int margin = o.causal_margin > 0 ? o.causal_margin : 0;
	out->delay_fine = de.delay_fine;
	out->replicate_esr = -1.0;
	if (o.recognise_reamp && in->channels == 1) {
		int r = reamp_signal_detect(in->data, 1, in->frames, in->sample_rate, &out->layout);
		if (r < 0) {
			tool_error_set(err, err_len,
			               "%s: out of memory while checking for the standard "
			               "capture signal",
			               input_path);
			goto fail;
		}
		out->reamp = r;
	}
	if (out->reamp) {
		reamp_blip_latency(tg->data, tg->frames, &out->layout, BLIP_MAX_LEAD, o.max_delay,
		                   &out->blips);
		out->replicate_esr = reamp_replicate_esr(tg->data, tg->frames, &out->layout);
		if (!out->blips.ok)
			add_warning(out,
			            "the standard capture signal's blips could not be used (%s): the "
			            "delay comes from the cross-correlation",
			            out->blips.why);
		if (out->replicate_esr >= REAMP_REPLICATE_MAX_ESR)
			add_warning(out,
			            "%s does not sound like itself: its two validation clips differ by "
			            "ESR %.4f (%.2f or more means the device or the recording chain changed "
			            "during the take: noise, drift, a modulation effect); no model can be "
			            "expected to come much closer to the device than that",
			            target_path, out->replicate_esr, REAMP_REPLICATE_MAX_ESR);
	}
	// A target that leads its input (an aligner that removed a little too much) is always
	// moved back: a causal network cannot predict the future. A lag shorter than min_delay is
	// the device's own filtering and stays; a longer one is shifted out down to the margin.
	// The response starts at its onset, which may come before its peak. The standard signal's
	// blips show that onset directly, so then the response is always moved to the margin.
	const int blips = out->reamp && out->blips.ok;
	const double start = blips ? out->blips.latency : fmin(de.delay_fine, (double)de.onset);
	const int leads = start < -LEAD_TOLERANCE;
	const int shift =
		o.use_shift || (o.compensate_delay && (leads || blips || abs(de.delay) >= o.min_delay));
	const int by = o.use_shift ? o.shift : (int)floor(start - margin + ROUND_TOLERANCE);
	out->latency = fmax(shift ? de.delay_fine - by : de.delay_fine, 0.0);
	if (o.use_shift) {
		add_warning(out,
		            "the target %s the input by %.2f samples; shifted %s by %d as asked, "
		            "leaving %.2f samples",
		            de.delay_fine > 0 ? "lags" : "leads", fabs(de.delay_fine),
		            by > 0 ? "earlier" : "later", abs(by), out->latency);
	} else if (blips) {
		char how[128] = "";
		if (shift && by)
			snprintf(how, sizeof how,
			         "; shifted %s by %d, leaving %.2f samples as the model's "
			         "latency",
			         by > 0 ? "earlier" : "later", abs(by), out->latency);
		add_warning(out,
		            "the standard capture signal's blips put the start of the device's "
		            "response %d samples after its input (%d of %d blips, within %d)%s",
		            out->blips.latency, out->blips.answered, REAMP_BLIPS, out->blips.spread, how);
	} else if (leads || abs(de.delay) >= o.min_delay) {
		char how[128] = "; not compensated";
		if (shift)
			snprintf(how, sizeof how,
			         "; shifted %s by %d, leaving %.2f samples as the model's "
			         "latency",
			         by > 0 ? "earlier" : "later", abs(by), out->latency);
		char onset[64] = "";
		if (de.onset < de.delay)
			snprintf(onset, sizeof onset, ", its response starting %d samples earlier",
			         de.delay - de.onset);
		add_warning(out, "the target %s the input by %.2f samples (%.2f ms)%s%s",
		            de.delay_fine > 0 ? "lags" : "leads", fabs(de.delay_fine), fabs(ms), onset,
		            how);
	}
	if (fabs(de.correlation) >= UNRELATED_CORRELATION && fabs(de.correlation) < WEAK_CORRELATION)
		add_warning(out,
		            "the best correlation is weak (%.3f): the delay may lie beyond the "
		            "+-%d samples searched (--max-delay), or the device is far from linear",
		            de.correlation, de.max_lag);
	if (de.at_limit)
		add_warning(out,
		            "the delay found is the largest searched (%d samples): the true delay "
		            "may be larger",
		            de.max_lag);
	if (out->polarity_inverted && fabs(de.correlation) >= WEAK_CORRELATION)
		add_warning(out,
		            "%s is polarity-inverted relative to %s (correlation %.3f at the "
		            "delay): the model will learn the inversion",
		            target_path, input_path, de.correlation_at_delay);

	if (shift && labs((long)by) >= in->frames) {
		tool_error_set(err, err_len,
		               "%s: a shift of %d samples is longer than the recording "
		               "(%ld frames)",
		               target_path, by, in->frames);
		goto fail;
	}
	if (shift && by != 0) {
		out->shifted = by;
		long d = labs((long)by);
		long keep = in->frames - d;
		if (by > 0) {
			buffer_slice(in, 0, keep);
			buffer_slice(tg, d, keep);
		} else {
			buffer_slice(in, d, keep);
			buffer_slice(tg, 0, keep);
			reamp_layout_move(&out->layout, by);
		}
		if (out->reamp && out->layout.clip_b_to > keep)
			out->reamp = 0; // the shift cut into clip B: an ordinary recording from here on
		if (check_short(input_path, out, o.min_frames, " after delay compensation", err, err_len)
		    != 0)
			goto fail;
	}

	out->clipped_input = count_clipped(in, 0);
	out->clipped_target = count_clipped(tg, 0);
	if (out->clipped_input > 0)
		add_warning(out, "%s: %ld samples (%.3f%%) at full scale: the input is clipped", input_path,
		            out->clipped_input, 100.0 * out->clipped_input / in->frames);
	if (out->clipped_target > 0)
		add_warning(out,
		            "%s: %ld samples (%.3f%%) at full scale: the recording clipped and the "
		            "model will learn the clipping",
		            target_path, out->clipped_target, 100.0 * out->clipped_target / tg->frames);
	return 0;
fail:
	capture_pair_free(out);
	return -1;
}
