// SPDX-License-Identifier: ISC
// Reading, checking, holding out, scaling: see train_data.h.
#include "train_data.h"

#include "linear_baseline.h"
#include "tool_error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// Held out for validation by default: a tenth of each pair, from across the whole take.
#define DEFAULT_HOLDOUT 0.1
// The level (RMS) the audio is scaled to for training. A network learns in the same number of
// steps from a pedal recorded at -40 dBFS as from one at -10 dBFS; the gains are folded back
// into the weights on export.
#define TRAIN_LEVEL 0.1
// The dry input is added to the output (skip) only where that is a head start: a target
// within this many dB of the input's level, and not inverted.
#define SKIP_LEVEL_DB 12.0

void train_data_free(TrainData *d)
{
	if (!d)
		return;
	for (int k = 0; k < d->count && d->pairs; k++) {
		capture_pair_free(&d->pairs[k].pair);
		free(d->pairs[k].x);
	}
	free(d->pairs);
	memset(d, 0, sizeof *d);
}

// Holds out blocks spread across the pair's training part for validation and says which.
static void pick_holdout(TrainData *d, TrainPair *p, const char *name, FILE *report)
{
	TrainSeries *s = &p->s;
	// Blocks of two segments, or longer on a long take so that at most the maximum are needed.
	long block = 2L * d->segment;
	const double want = DEFAULT_HOLDOUT * (double)s->train_end;
	while (want / (double)block > TRAIN_DATA_MAX_HELD)
		block += d->segment;
	s->held = p->held;
	s->held_count = holdout_pick(s->x, d->inputs, s->t, s->train_end, block, DEFAULT_HOLDOUT,
	                             p->held, TRAIN_DATA_MAX_HELD, &p->holdout);
	if (!report)
		return;
	const HoldoutSummary *hs = &p->holdout;
	const double rate = d->rate;
	fprintf(report, "lstm-train: %s: held out for validation: %.1f s in %d blocks", name,
	        (double)hs->samples / rate, s->held_count);
	if (hs->skipped_quiet > 0)
		fprintf(report, " (%d near-silent blocks passed over)", hs->skipped_quiet);
	fputc(':', report);
	for (int h = 0; h < s->held_count; h++)
		fprintf(report, "%s %.1f-%.1f s", h ? "," : "", (double)s->held[h].from / rate,
		        (double)s->held[h].to / rate);
	fputc('\n', report);
	if ((double)hs->samples < 3.0 * rate)
		fprintf(report,
		        "lstm-train: warning: only %.1f s held out: the validation figure will "
		        "be noisy; a longer recording helps\n",
		        (double)hs->samples / rate);
	if (hs->input_rms_db < -50.0)
		fprintf(report,
		        "lstm-train: warning: the held-out input is quiet (%.1f dBFS RMS): the "
		        "validation figure says little about loud playing\n",
		        hs->input_rms_db);
}

// A recording of the standard capture signal holds out its two validation clips, the same
// material played at the start and at the end of the take, and nothing else. Returns 1 when it
// did, 0 for any other recording.
static int hold_out_clips(const TrainData *d, TrainPair *p, const char *name, FILE *report)
{
	const CapturePair *cp = &p->pair;
	const ReampLayout *l = &cp->layout;
	TrainSeries *s = &p->s;
	if (!cp->reamp || l->clip_a_from < 0 || l->clip_b_to > s->train_end)
		return 0;
	p->held[0] = (TrainSpan){l->clip_a_from, l->clip_a_to};
	p->held[1] = (TrainSpan){l->clip_b_from, l->clip_b_to};
	s->held = p->held;
	s->held_count = 2;
	p->holdout.samples = (l->clip_a_to - l->clip_a_from) + (l->clip_b_to - l->clip_b_from);
	if (report) {
		const double r = d->rate;
		fprintf(report,
		        "lstm-train: %s: the standard capture signal; held out for validation: "
		        "its clips A (%.1f-%.1f s) and B (%.1f-%.1f s)",
		        name, (double)l->clip_a_from / r, (double)l->clip_a_to / r,
		        (double)l->clip_b_from / r, (double)l->clip_b_to / r);
		if (cp->replicate_esr >= 0)
			fprintf(report, "; the device's clip B against its clip A: ESR %.5f (%s)",
			        cp->replicate_esr,
			        cp->replicate_esr < REAMP_REPLICATE_MAX_ESR ? "it sounds like itself"
			                                                    : "it does NOT sound like itself");
		fputc('\n', report);
	}
	return 1;
}

// Reads and checks every pair. Returns 0, or -1 with a message.
static int read_pairs(const TrainPairSpec *specs, int count, const TrainDataOptions *o,
                      FILE *report, TrainData *d, char *err, size_t err_len)
{
	const TrainPairSpec *p0 = &specs[0];
	for (int k = 0; k < count; k++) {
		const TrainPairSpec *pa = &specs[k];
		if (pa->knobs != p0->knobs)
			return tool_error_set(err, err_len, "%s: %d knob values, but %s has %d", pa->target,
			                      pa->knobs, p0->target, p0->knobs),
			       -1;
		for (int j = 0; j < pa->knobs; j++)
			if (strcmp(pa->knob_name[j], p0->knob_name[j]) != 0)
				return tool_error_set(err, err_len, "%s: knob %d is %s, but %s calls it %s",
				                      pa->target, j + 1, pa->knob_name[j], p0->target,
				                      p0->knob_name[j]),
				       -1;
		CapturePairOptions opt = capture_pair_default_options();
		opt.trim = o->trim;
		opt.compensate_delay = o->compensate_delay;
		opt.input_channels = k == 0 ? 0 : d->channels;
		// The segment is given in seconds and the rate is known only once the first pair is
		// read: each pair is read once, and its length checked against a segment after.
		opt.min_frames = 1;
		if (capture_pair_load(pa->input, pa->target, &opt, &d->pairs[k].pair, err, err_len) != 0)
			return -1;
		d->count = k + 1; // owned from here on, freed by train_data_free
		const CapturePair *cp = &d->pairs[k].pair;
		if (k == 0
		    && !(cp->input.sample_rate >= MODEL_MIN_SAMPLE_RATE
		         && cp->input.sample_rate <= MODEL_MAX_SAMPLE_RATE))
			return tool_error_set(err, err_len,
			                      "%s: sample rate %g Hz: a model is trained at "
			                      "%g to %g Hz",
			                      pa->input, cp->input.sample_rate, MODEL_MIN_SAMPLE_RATE,
			                      MODEL_MAX_SAMPLE_RATE),
			       -1;
		if (k == 0) {
			d->channels = cp->input.channels;
			d->rate = cp->input.sample_rate;
			d->segment = (int)lround(o->segment_seconds * d->rate);
		}
		if (k > 0 && cp->input.sample_rate != d->rate)
			return tool_error_set(err, err_len, "%s: sample rate %g Hz, but %s has %g Hz",
			                      pa->input, cp->input.sample_rate, p0->input, d->rate),
			       -1;
		if (!pa->validation_only && cp->input.frames < d->segment)
			return tool_error_set(err, err_len,
			                      "%s: too short: %ld frames (%.3f s), at least "
			                      "%d needed for one segment",
			                      pa->input, cp->input.frames, (double)cp->input.frames / d->rate,
			                      d->segment),
			       -1;
		if (d->channels + pa->knobs > MODEL_MAX_INPUTS)
			return tool_error_set(err, err_len,
			                      "%s: %d channels and %d knobs make %d inputs, at "
			                      "most %d",
			                      pa->input, d->channels, pa->knobs, d->channels + pa->knobs,
			                      MODEL_MAX_INPUTS),
			       -1;
		if (report && cp->warnings[0])
			fprintf(report, "lstm-train: %s + %s:\n  %s\n", pa->input, pa->target, cp->warnings);
		if (report)
			fprintf(report,
			        "lstm-train: %s: %.1f s, delay %.2f samples, %s; the model's "
			        "latency %.2f samples\n",
			        pa->target, (double)cp->input.frames / d->rate, cp->delay_fine,
			        cp->shifted ? "compensated" : "left as is", cp->latency);
	}
	d->inputs = d->channels + p0->knobs;
	return 0;
}

// Builds each pair's input (audio and knob channels) and its regions.
static int build_series(const TrainPairSpec *specs, const TrainDataOptions *o, FILE *report,
                        TrainData *d, char *err, size_t err_len)
{
	const int I = d->inputs;
	int has_valid_files = 0;
	for (int k = 0; k < d->count; k++)
		has_valid_files |= specs[k].validation_only;
	long longest_train = 0;
	for (int k = 0; k < d->count; k++) {
		TrainPair *p = &d->pairs[k];
		const CapturePair *cp = &p->pair;
		const long n = cp->input.frames;
		p->x = malloc((size_t)n * (size_t)I * sizeof(float));
		if (!p->x)
			return tool_error_set(err, err_len, "%s: out of memory", specs[k].input), -1;
		for (long i = 0; i < n; i++) {
			for (int c = 0; c < d->channels; c++)
				p->x[i * I + c] = cp->input.data[i * d->channels + c];
			for (int j = 0; j < specs[k].knobs; j++)
				p->x[i * I + d->channels + j] = specs[k].knob_value[j];
		}
		TrainSeries *s = &p->s;
		s->x = p->x;
		s->t = cp->target.data;
		s->n = n;
		if (specs[k].validation_only) {
			s->train_end = 0;
			s->valid_end = n;
			continue;
		}
		const long test = (long)floor(o->test_split * (double)n);
		const long valid =
			has_valid_files || o->valid_split < 0 ? 0 : (long)floor(o->valid_split * (double)n);
		s->valid_end = n - test;
		s->train_end = n - test - valid;
		if (!has_valid_files && o->valid_split < 0 && !hold_out_clips(d, p, specs[k].input, report))
			pick_holdout(d, p, specs[k].input, report);
		long held = 0;
		for (int h = 0; h < s->held_count; h++)
			held += s->held[h].to - s->held[h].from;
		if (s->train_end - held > longest_train)
			longest_train = s->train_end - held;
	}
	if (longest_train < d->segment)
		return tool_error_set(err, err_len,
		                      "%s: too short: %.2f s left for training after the "
		                      "validation and test parts, one segment needs %.2f s",
		                      specs[0].input, (double)longest_train / d->rate,
		                      (double)d->segment / d->rate),
		       -1;
	return 0;
}

// Chooses the skip connection (unless given) and the training gains from the levels of the
// training audio, then scales every pair: audio channel 0 by gain_in, the target by gain_out.
static void set_levels(const TrainDataOptions *o, FILE *report, TrainData *d)
{
	double ex = 0.0, et = 0.0, n = 0.0;
	int inverted = 0;
	const int I = d->inputs;
	for (int k = 0; k < d->count; k++) {
		const TrainSeries *s = &d->pairs[k].s;
		inverted |= d->pairs[k].pair.polarity_inverted;
		for (long i = 0; i < s->train_end; i++) {
			ex += (double)s->x[i * I] * s->x[i * I];
			et += (double)s->t[i] * s->t[i];
		}
		n += (double)s->train_end;
	}
	const double rms_x = sqrt(ex / fmax(n, 1.0)), rms_t = sqrt(et / fmax(n, 1.0));
	const double ratio_db = 20.0 * log10(fmax(rms_t, 1e-12) / fmax(rms_x, 1e-12));
	d->skip = o->skip;
	if (o->skip < 0) {
		d->skip = !inverted && fabs(ratio_db) <= SKIP_LEVEL_DB;
		if (report)
			fprintf(report,
			        "lstm-train: skip connection %s: the target is %s, %+.1f dB from the "
			        "input's level\n",
			        d->skip ? "on" : "off", inverted ? "inverted" : "in phase", ratio_db);
	}
	// Multichannel inputs are features, not audio: they stay as they are.
	d->gain_in = d->channels == 1 && rms_x > 0 ? (float)(TRAIN_LEVEL / rms_x) : 1.0f;
	d->gain_out = d->skip ? d->gain_in : rms_t > 0 ? (float)(TRAIN_LEVEL / rms_t) : 1.0f;
	if ((d->channels != 1 && d->skip) || o->keep_levels)
		d->gain_out = d->gain_in = 1.0f;
	for (int k = 0; k < d->count; k++) {
		TrainPair *p = &d->pairs[k];
		for (long i = 0; i < p->s.n; i++) {
			p->x[i * I] *= d->gain_in;
			p->pair.target.data[i] *= d->gain_out;
		}
	}
}

int train_data_load(const TrainPairSpec *specs, int count, const TrainDataOptions *o, FILE *report,
                    TrainData *d, char *err, size_t err_len)
{
	memset(d, 0, sizeof *d);
	d->pairs = calloc((size_t)(count > 0 ? count : 1), sizeof *d->pairs);
	if (!d->pairs)
		return tool_error_set(err, err_len, "out of memory"), -1;
	if (count < 1) {
		train_data_free(d);
		return tool_error_set(err, err_len, "no pair to train on"), -1;
	}
	if (read_pairs(specs, count, o, report, d, err, err_len) != 0
	    || build_series(specs, o, report, d, err, err_len) != 0) {
		train_data_free(d);
		return -1;
	}
	set_levels(o, report, d);
	return 0;
}

double train_data_linear_baseline_esr(const TrainData *d)
{
	LinearBaselineFit f;
	linear_baseline_fit_init(&f);
	for (f.pass = 0; f.pass < 2; f.pass++)
		for (int k = 0; k < d->count; k++) {
			const TrainSeries *s = &d->pairs[k].s;
			long a = 0;
			for (int h = 0; h < s->held_count; h++) {
				linear_baseline_fit_add(&f, s->x, d->inputs, s->t, a, s->held[h].from);
				a = s->held[h].to;
			}
			linear_baseline_fit_add(&f, s->x, d->inputs, s->t, a, s->train_end);
		}
	LinearBaseline lb;
	if (linear_baseline_solve(&f, &lb) != 0)
		return -1.0;
	double err2 = 0.0, sig2 = 0.0;
	for (int k = 0; k < d->count; k++) {
		const TrainSeries *s = &d->pairs[k].s;
		for (int h = 0; h < s->held_count; h++)
			linear_baseline_score(&lb, s->x, d->inputs, s->t, s->held[h].from, s->held[h].to, &err2,
			                      &sig2);
		linear_baseline_score(&lb, s->x, d->inputs, s->t, s->train_end, s->valid_end, &err2, &sig2);
	}
	return sig2 > 0 ? err2 / sig2 : -1.0;
}
