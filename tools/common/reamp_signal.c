// SPDX-License-Identifier: ISC
// The standard capture signal (see reamp_signal.h): its layout, and its synthesis from a fixed
// seed. The strings are Karplus-Strong plucks: cheap, deterministic, and with the attack
// transients, decays and chord intermodulation of a guitar that a capture has to cover.
#include "reamp_signal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

// The layout, in seconds.
#define NOISE_S 1.0        // leading silence
#define BLIP_SPACING_S 0.5 // the first blip at NOISE_S
#define TONE_FROM_S 3.0
#define TONE_S 2.0
#define STAIR_FROM_S 5.5
#define STAIR_STEP_S 1.0
#define CLIP_FROM_S 11.0
#define CLIP_S 9.0
#define GAP_S 0.5
#define TRAIN_S 150.0
#define TAIL_S 1.0

#define BLIP_AMPLITUDE 0.5f
#define TONE_HZ 1000.0
#define TONE_PEAK_DB -12.0
// Pink noise peaks about 12 dB over its RMS: the loudest step stays under -3 dBFS.
static const double stair_rms_db[] = {-48.0, -40.0, -32.0, -24.0, -17.0};
#define STAIR_STEPS (int)(sizeof stair_rms_db / sizeof stair_rms_db[0])

// A 16-bit export of the signal, dithered or not, differs from it by at most about 1.5 steps
// of 2^-15 in any sample.
#define DETECT_MAX_DIFF 1e-4

static long at(double seconds, double rate) { return lround(seconds * rate); }

void reamp_signal_layout(double rate, ReampLayout *l)
{
	memset(l, 0, sizeof *l);
	l->sample_rate = rate;
	l->noise_from = at(0.1, rate);
	l->noise_to = at(NOISE_S - 0.05, rate);
	for (int k = 0; k < REAMP_BLIPS; k++)
		l->blip[k] = at(NOISE_S + k * BLIP_SPACING_S, rate);
	l->blip_spacing = at(BLIP_SPACING_S, rate);
	l->tone_from = at(TONE_FROM_S, rate);
	l->tone_to = at(TONE_FROM_S + TONE_S, rate);
	l->clip_a_from = at(CLIP_FROM_S, rate);
	l->clip_a_to = l->clip_a_from + at(CLIP_S, rate);
	l->train_from = at(CLIP_FROM_S + CLIP_S + GAP_S, rate);
	l->train_to = l->train_from + at(TRAIN_S, rate);
	l->clip_b_from = l->train_to + at(GAP_S, rate);
	l->clip_b_to = l->clip_b_from + (l->clip_a_to - l->clip_a_from);
	l->frames = l->clip_b_to + at(TAIL_S, rate);
}

// --- random numbers: splitmix64, so the signal is the same on every platform -----------------
typedef struct {
	uint64_t s;
} Rng;

static double uniform(Rng *r) // [0, 1)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

static double between(Rng *r, double lo, double hi) { return lo + (hi - lo) * uniform(r); }

static int pick(Rng *r, int n) { return (int)(uniform(r) * n) % n; }

// --- parts ----------------------------------------------------------------------------------
static void scale_to_peak(double *y, long n, double peak_db)
{
	double peak = 0.0;
	for (long i = 0; i < n; i++)
		peak = fmax(peak, fabs(y[i]));
	if (peak <= 0)
		return;
	const double g = pow(10.0, peak_db / 20.0) / peak;
	for (long i = 0; i < n; i++)
		y[i] *= g;
}

// Raised-cosine fades of `fade` samples at both ends.
static void fade_ends(double *y, long n, long fade)
{
	for (long i = 0; i < fade && i < n / 2; i++) {
		const double g = 0.5 - 0.5 * cos(PI * (double)i / (double)fade);
		y[i] *= g;
		y[n - 1 - i] *= g;
	}
}

static void sine(double *y, long n, double rate, double hz, double peak_db)
{
	for (long i = 0; i < n; i++)
		y[i] = sin(2.0 * PI * hz * (double)i / rate);
	fade_ends(y, n, at(0.01, rate));
	scale_to_peak(y, n, peak_db);
}

// Pink noise (Paul Kellet's three-pole approximation) at an RMS level.
static void pink(double *y, long n, double rms_db, Rng *r)
{
	double b0 = 0, b1 = 0, b2 = 0, e = 0;
	for (long i = 0; i < n; i++) {
		const double w = between(r, -1.0, 1.0);
		b0 = 0.99765 * b0 + w * 0.0990460;
		b1 = 0.96300 * b1 + w * 0.2965164;
		b2 = 0.57000 * b2 + w * 1.0526913;
		y[i] = b0 + b1 + b2 + w * 0.1848;
		e += y[i] * y[i];
	}
	const double g = pow(10.0, rms_db / 20.0) / sqrt(fmax(e / (double)n, 1e-30));
	for (long i = 0; i < n; i++)
		y[i] *= g;
}

// A logarithmic sine sweep from 20 Hz to 20 kHz (or 0.45 of the rate).
static void sweep(double *y, long n, double rate, double peak_db)
{
	const double f0 = 20.0, f1 = fmin(20000.0, 0.45 * rate), T = (double)n / rate;
	const double k = log(f1 / f0);
	for (long i = 0; i < n; i++) {
		const double t = (double)i / rate;
		y[i] = sin(2.0 * PI * f0 * T / k * (exp(t / T * k) - 1.0));
	}
	fade_ends(y, n, at(0.05, rate));
	scale_to_peak(y, n, peak_db);
}

// One plucked string (Karplus-Strong) added into y from `start` for `len` samples: MIDI note
// `note`, brightness 0..1 (the pick's position and attack), T60 decay in seconds, and a 15 ms
// mute at the end of the note. line holds at least rate / 20 samples.
static void pluck(double *y, long n, long start, long len, double rate, int note, double amp,
                  double bright, double decay_s, double *line, Rng *r)
{
	const double hz = 440.0 * pow(2.0, (note - 69) / 12.0);
	int period = (int)lround(rate / hz);
	if (period < 2)
		period = 2;
	double lp = 0.0;
	const double a = 0.15 + 0.8 * bright; // one-pole low-pass on the excitation
	for (int i = 0; i < period; i++) {
		lp += a * (between(r, -1.0, 1.0) - lp);
		line[i] = lp;
	}
	const double loss = pow(1e-3, 1.0 / (hz * decay_s));
	const long mute = at(0.015, rate);
	for (long i = 0; i < len && start + i < n; i++) {
		const int j = (int)(i % period), j1 = (j + 1) % period;
		const double out = line[j];
		line[j] = 0.5 * (line[j] + line[j1]) * loss;
		double env = 1.0;
		if (i > len - mute)
			env = (double)(len - i) / (double)mute;
		y[start + i] += amp * out * env;
	}
}

// Chord shapes: semitones above the root, per string.
static const int shapes[][6] = {
	{0, 7, 12, 16, 19, 24}, // open major
	{0, 7, 12, 15, 19, 24}, // minor
	{0, 7, 12, 0, 0, 0},    // power chord (three strings)
	{0, 7, 10, 16, 19, 0},  // dominant seventh (five strings)
};
static const int shape_strings[] = {6, 6, 3, 5};

enum { PHRASE_NOTES, PHRASE_STRUMS, PHRASE_RINGING, PHRASE_CHUGS, PHRASE_KINDS };

// One phrase of `kind` into y[0, n) (zeroed by the caller), scaled to peak_db.
static void phrase(double *y, long n, double rate, int kind, double peak_db, double *line, Rng *r)
{
	long t = 0;
	int down = 1;
	while (t < n) {
		if (kind == PHRASE_NOTES) {
			const long len = at(between(r, 0.12, 0.9), rate);
			pluck(y, n, t, len + at(0.3, rate), rate, 40 + pick(r, 49), between(r, 0.4, 1.0),
			      uniform(r), between(r, 1.0, 4.0), line, r);
			t += len;
		} else if (kind == PHRASE_CHUGS) {
			const long len = at(between(r, 0.08, 0.2), rate);
			const int root = 40 + pick(r, 8);
			for (int s = 0; s < 3; s++)
				pluck(y, n, t + s * at(0.002, rate), len, rate, root + shapes[2][s],
				      between(r, 0.6, 1.0), 0.3 * uniform(r), 0.4, line, r);
			t += len + at(between(r, 0.0, 0.08), rate);
		} else {
			const int sh = pick(r, 4), root = 40 + pick(r, 18);
			const int strings = shape_strings[sh];
			const long len =
				at(kind == PHRASE_RINGING ? between(r, 2.0, 3.5) : between(r, 0.3, 1.2), rate);
			const long gap = at(between(r, 0.005, 0.025), rate);
			const double vel = between(r, 0.3, 1.0), bright = uniform(r);
			for (int s = 0; s < strings; s++) {
				const int str = down ? s : strings - 1 - s;
				pluck(y, n, t + s * gap, len, rate, root + shapes[sh][str],
				      vel * between(r, 0.7, 1.0), bright, between(r, 2.0, 6.0), line, r);
			}
			down = !down;
			t += len;
		}
	}
	fade_ends(y, n, at(0.005, rate));
	scale_to_peak(y, n, peak_db);
}

// Phrases of every kind at levels from -36 to -3 dBFS peak, with gaps, filling y[0, n).
static int phrases(double *y, long n, double rate, double *line, Rng *r)
{
	double *tmp = malloc((size_t)n * sizeof *tmp);
	if (!tmp)
		return -1;
	long t = 0;
	int k = 0;
	while (t < n) {
		const long len = at(between(r, 3.0, 7.0), rate);
		const long use = len < n - t ? len : n - t;
		memset(tmp, 0, (size_t)use * sizeof *tmp);
		phrase(tmp, use, rate, k % PHRASE_KINDS, between(r, -36.0, -3.0), line, r);
		memcpy(y + t, tmp, (size_t)use * sizeof *tmp);
		t += use + at(between(r, 0.1, 0.6), rate);
		k++;
	}
	free(tmp);
	return 0;
}

// The validation clip: a fixed mix of quiet notes, loud strums and mid-level chugs.
static void clip(double *y, long n, double rate, double *line)
{
	Rng r = {0x5eed0002};
	const long third = n / 3;
	phrase(y, third, rate, PHRASE_NOTES, -24.0, line, &r);
	phrase(y + third, third, rate, PHRASE_STRUMS, -6.0, line, &r);
	phrase(y + 2 * third, n - 2 * third, rate, PHRASE_CHUGS, -12.0, line, &r);
}

int reamp_signal_render(double rate, AudioBuffer *out)
{
	ReampLayout l;
	reamp_signal_layout(rate, &l);
	memset(out, 0, sizeof *out);
	double *y = calloc((size_t)l.frames, sizeof *y);
	double *line = malloc(((size_t)(rate / 20.0) + 2) * sizeof *line);
	if (!y || !line || audio_buffer_alloc(out, l.frames, 1, rate) != 0) {
		free(y);
		free(line);
		return -1;
	}
	Rng r = {0x5eed0001};
	for (int k = 0; k < REAMP_BLIPS; k++)
		y[l.blip[k]] = BLIP_AMPLITUDE;
	sine(y + l.tone_from, l.tone_to - l.tone_from, rate, TONE_HZ, TONE_PEAK_DB);
	const long step = at(STAIR_STEP_S, rate);
	for (int k = 0; k < STAIR_STEPS; k++) {
		double *s = y + at(STAIR_FROM_S, rate) + k * step;
		pink(s, step, stair_rms_db[k], &r);
		fade_ends(s, step, at(0.005, rate));
	}
	clip(y + l.clip_a_from, l.clip_a_to - l.clip_a_from, rate, line);
	memcpy(y + l.clip_b_from, y + l.clip_a_from, (size_t)(l.clip_a_to - l.clip_a_from) * sizeof *y);
	const long sw = at(6.0, rate), gap = at(GAP_S, rate);
	sweep(y + l.train_from, sw, rate, -18.0);
	sweep(y + l.train_from + sw + gap, sw, rate, -6.0);
	const long p0 = l.train_from + 2 * (sw + gap);
	int rc = phrases(y + p0, l.train_to - p0, rate, line, &r);
	for (long i = 0; rc == 0 && i < l.frames; i++)
		out->data[i] = (float)fmax(-0.99, fmin(0.99, y[i]));
	free(y);
	free(line);
	if (rc != 0)
		audio_buffer_free(out);
	return rc;
}

int reamp_signal_detect(const float *x, int x_stride, long n, double rate, ReampLayout *out)
{
	ReampLayout l;
	if (!(rate >= 8000.0 && rate <= 384000.0))
		return 0;
	reamp_signal_layout(rate, &l);
	// Cheap first look: silence, then the first blip where it belongs.
	if (n < l.frames || fabsf(x[(size_t)l.blip[0] * x_stride] - BLIP_AMPLITUDE) > 1e-3f)
		return 0;
	for (long i = 0; i < l.blip[0]; i++)
		if (fabsf(x[(size_t)i * x_stride]) > 1e-3f)
			return 0;
	AudioBuffer ref;
	if (reamp_signal_render(rate, &ref) != 0)
		return -1;
	long i = 0;
	while (i < l.frames && fabsf(x[(size_t)i * x_stride] - ref.data[i]) <= DETECT_MAX_DIFF)
		i++;
	audio_buffer_free(&ref);
	if (i < l.frames)
		return 0;
	*out = l;
	return 1;
}
