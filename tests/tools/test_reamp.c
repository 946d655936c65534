// SPDX-License-Identifier: ISC
// The standard capture signal (reamp_signal.h, reamp_capture.h, and its use in
// capture_pair_load): the layout holds at 44.1 and 48 kHz; the two validation clips are the
// same samples; the signal is recognised as itself and after a 16-bit export, but not when
// shifted, shortened or changed; the blips give a device's latency exactly, for a lagging and
// a leading target, with a DC offset and noise; a device that drifts between the clips fails
// the replicate check; capture_pair_load aligns a recording by its blips and moves the layout
// with it; a gated device whose blips never answer falls back to the cross-correlation.
#undef NDEBUG
#include "capture_pair.h"
#include "reamp_capture.h"
#include "reamp_signal.h"
#include "tools_test_util.h"

#include <assert.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLOAT_WAV (SF_FORMAT_WAV | SF_FORMAT_FLOAT)

static void check_layout(double rate)
{
	ReampLayout l;
	reamp_signal_layout(rate, &l);
	AudioBuffer a, b;
	assert(reamp_signal_render(rate, &a) == 0 && reamp_signal_render(rate, &b) == 0);
	assert(a.frames == l.frames && a.channels == 1 && a.sample_rate == rate);
	// About three minutes, in order, every part inside the signal.
	assert(l.frames > 170 * rate && l.frames < 190 * rate);
	assert(l.noise_to < l.blip[0] && l.blip[REAMP_BLIPS - 1] + l.blip_spacing / 2 <= l.tone_from);
	assert(l.tone_to <= l.clip_a_from && l.clip_a_to <= l.train_from);
	assert(l.train_to <= l.clip_b_from && l.clip_b_to < l.frames);
	assert(l.clip_b_to - l.clip_b_from == l.clip_a_to - l.clip_a_from);
	// Deterministic, the clips identical, silence before each blip, nothing clipped.
	assert(memcmp(a.data, b.data, (size_t)a.frames * sizeof(float)) == 0);
	assert(memcmp(a.data + l.clip_a_from, a.data + l.clip_b_from,
	              (size_t)(l.clip_a_to - l.clip_a_from) * sizeof(float))
	       == 0);
	for (int k = 0; k < REAMP_BLIPS; k++) {
		assert(a.data[l.blip[k]] > 0.4f);
		for (long i = l.blip[k] - l.blip_spacing / 2; i < l.blip[k]; i++)
			assert(a.data[i] == 0.0f);
	}
	assert(audio_buffer_peak(&a, 0) < 0.995f);
	double e_clip = 0.0, e_train = 0.0;
	for (long i = l.clip_a_from; i < l.clip_a_to; i++)
		e_clip += (double)a.data[i] * a.data[i];
	for (long i = l.train_from; i < l.train_to; i++)
		e_train += (double)a.data[i] * a.data[i];
	assert(e_clip > 0 && e_train > 10 * e_clip);

	ReampLayout got;
	assert(reamp_signal_detect(a.data, 1, a.frames, rate, &got) == 1);
	assert(got.clip_b_from == l.clip_b_from && got.frames == l.frames);
	// A 16-bit export is still the signal, and so is one with more silence after it.
	AudioBuffer q;
	assert(audio_buffer_alloc(&q, a.frames + 1000, 1, rate) == 0);
	for (long i = 0; i < a.frames; i++)
		q.data[i] = roundf(a.data[i] * 32768.0f) / 32768.0f;
	assert(reamp_signal_detect(q.data, 1, q.frames, rate, &got) == 1);
	unsigned seed = 3; // and so is one with triangular dither
	for (long i = 0; i < a.frames; i++)
		q.data[i] =
			roundf(a.data[i] * 32768.0f + 0.5f * (tt_noise(&seed) + tt_noise(&seed))) / 32768.0f;
	assert(reamp_signal_detect(q.data, 1, q.frames, rate, &got) == 1);
	// Not the signal: shortened, shifted by a sample, or a stretch of it 1 dB louder.
	assert(reamp_signal_detect(a.data, 1, a.frames - 1, rate, &got) == 0);
	memmove(q.data + 1, a.data, (size_t)a.frames * sizeof(float));
	q.data[0] = 0.0f;
	assert(reamp_signal_detect(q.data, 1, q.frames, rate, &got) == 0);
	memcpy(q.data, a.data, (size_t)a.frames * sizeof(float));
	for (long i = l.train_from; i < l.train_from + (long)(5 * rate); i++)
		q.data[i] *= 1.122f;
	assert(reamp_signal_detect(q.data, 1, q.frames, rate, &got) == 0);
	// Another rate's signal is not this rate's.
	assert(reamp_signal_detect(a.data, 1, a.frames, rate == 48000 ? 44100 : 48000, &got) == 0);
	audio_buffer_free(&q);
	audio_buffer_free(&a);
	audio_buffer_free(&b);
	printf("layout at %.0f Hz: %.1f s, clips %.1f s, recognised, 16-bit exports recognised\n", rate,
	       (double)l.frames / rate, (double)(l.clip_a_to - l.clip_a_from) / rate);
}

// The "device": a soft clipper behind a one-pole low-pass (its response starts at once and
// is largest on its first sample), delayed by `delay` samples (< 0: ahead), with a DC offset,
// a little noise, and a gain that becomes `drift` times larger from clip B on. gate: silent
// while a slow envelope of its input stays below -40 dBFS, as a noise gate would be.
static void device(const AudioBuffer *x, const ReampLayout *l, int delay, float drift, int gate,
                   float *y)
{
	unsigned seed = 7;
	float lp = 0.0f, env = 0.0f;
	for (long i = 0; i < x->frames; i++) {
		const long j = i - delay;
		const float in = j >= 0 && j < x->frames ? x->data[j] : 0.0f;
		lp += 0.4f * (0.5f * tanhf(3.0f * in) - lp);
		env += 0.001f * (fabsf(in) - env); // a gate opens over milliseconds, not on one sample
		float g = i - delay >= l->clip_b_from ? drift : 1.0f;
		y[i] = g * lp * (gate && env < 0.01f ? 0.0f : 1.0f) + 0.01f + 1e-5f * tt_noise(&seed);
	}
}

// The signal at 48 kHz, its layout, and room for a device's output.
typedef struct {
	AudioBuffer x;
	ReampLayout l;
	float *y;
} Recording;

static void recording_new(Recording *r)
{
	assert(reamp_signal_render(48000, &r->x) == 0);
	reamp_signal_layout(48000, &r->l);
	r->y = malloc((size_t)r->x.frames * sizeof *r->y);
	assert(r->y);
}

static void recording_free(Recording *r)
{
	free(r->y);
	audio_buffer_free(&r->x);
}

static void check_blips(void)
{
	Recording r;
	recording_new(&r);
	AudioBuffer x = r.x;
	ReampLayout l = r.l;
	float *y = r.y;
	const int delays[] = {0, 5, 37, 290, -2};
	for (size_t k = 0; k < sizeof delays / sizeof delays[0]; k++) {
		device(&x, &l, delays[k], 1.0f, 0, y);
		ReampLatency lat;
		reamp_blip_latency(y, x.frames, &l, 48, 4800, &lat);
		assert(lat.ok && lat.answered == REAMP_BLIPS && lat.spread == 0);
		assert(lat.latency == delays[k]);
		double rep = reamp_replicate_esr(y, x.frames, &l);
		assert(rep >= 0 && rep < 1e-6);
	}
	// A linear-phase filter rings before its peak: a pre-echo 100 samples early at a tenth of
	// the peak is not where the response starts (a causal model could not learn the peak).
	device(&x, &l, 200, 1.0f, 0, y);
	for (long i = 0; i + 100 < x.frames; i++)
		y[i] += 0.1f * (y[i + 100] - 0.01f);
	{
		ReampLatency pre;
		reamp_blip_latency(y, x.frames, &l, 48, 4800, &pre);
		assert(pre.ok && pre.latency == 200);
	}
	// A faint precursor is not the start either: a response that ramps up through 6% and 25%
	// of its peak on the two samples before it (as a high-gain head's does) is aligned at the
	// peak, where the cross-correlation puts its onset too.
	device(&x, &l, 200, 1.0f, 0, y);
	for (long i = 0; i + 2 < x.frames; i++)
		y[i] += 0.25f * (y[i + 1] - 0.01f) + 0.06f * (y[i + 2] - 0.01f);
	{
		ReampLatency ramp;
		reamp_blip_latency(y, x.frames, &l, 48, 4800, &ramp);
		assert(ramp.ok && ramp.latency == 200);
	}
	// A device 15% louder by the end of the take does not sound like itself.
	device(&x, &l, 3, 1.15f, 0, y);
	double rep = reamp_replicate_esr(y, x.frames, &l);
	assert(rep >= REAMP_REPLICATE_MAX_ESR && rep < 0.03);
	// A gate: no blip answers; the reason is given.
	device(&x, &l, 3, 1.0f, 1, y);
	ReampLatency lat;
	reamp_blip_latency(y, x.frames, &l, 48, 4800, &lat);
	assert(!lat.ok && lat.answered == 0 && strstr(lat.why, "blips rose above"));
	printf("blips: latencies 0, 5, 37, 290 and -2 found exactly, 200 behind a 100-sample "
	       "pre-echo and behind a 2-sample precursor; drift ESR %.4f flagged\n",
	       rep);
	recording_free(&r);
}

// capture_pair_load on a recording of the signal: aligned by the blips, the layout moved with
// the input, the clips compared; a gated device falls back to the cross-correlation.
static void check_capture_pair(const char *dir)
{
	const double rate = 48000;
	Recording r;
	recording_new(&r);
	AudioBuffer x = r.x;
	ReampLayout l = r.l;
	float *y = r.y;
	tt_write_wav(tt_path(dir, "reamp.wav"), x.data, x.frames, 1, (int)rate, FLOAT_WAV);
	const int delays[] = {37, -2, 3};
	for (size_t k = 0; k < sizeof delays / sizeof delays[0]; k++) {
		device(&x, &l, delays[k], 1.0f, 0, y);
		tt_write_wav(tt_path(dir, "wet.wav"), y, x.frames, 1, (int)rate, FLOAT_WAV);
		CapturePair p;
		tt_load_pair(dir, "reamp.wav", "wet.wav", NULL, &p);
		assert(p.reamp && p.blips.ok && p.blips.latency == delays[k]);
		// The response moved to one sample after its input (the causal margin), even for a
		// lag of 3 that the cross-correlation alone would leave in.
		assert(p.shifted == delays[k] - 1);
		const long move = p.shifted < 0 ? p.shifted : 0;
		assert(p.layout.clip_a_from == l.clip_a_from + move);
		assert(p.layout.clip_b_to == l.clip_b_to + move);
		assert(p.replicate_esr >= 0 && p.replicate_esr < 1e-6);
		assert(strstr(p.warnings, "blips put the start"));
		capture_pair_free(&p);
		// Told not to look for the signal, it is an ordinary recording.
		CapturePairOptions o = capture_pair_default_options();
		o.recognise_reamp = 0;
		tt_load_pair(dir, "reamp.wav", "wet.wav", &o, &p);
		assert(!p.reamp && !strstr(p.warnings, "blips"));
		capture_pair_free(&p);
	}
	device(&x, &l, 3, 1.0f, 1, y);
	tt_write_wav(tt_path(dir, "wet.wav"), y, x.frames, 1, (int)rate, FLOAT_WAV);
	CapturePair p;
	tt_load_pair(dir, "reamp.wav", "wet.wav", NULL, &p);
	assert(p.reamp && !p.blips.ok && strstr(p.warnings, "blips could not be used"));
	capture_pair_free(&p);
	printf("capture_pair: aligned by the blips (37, -2, 3); a gated device falls back\n");
	recording_free(&r);
}

int main(void)
{
	const char *dir = tt_tmpdir();
	check_layout(48000);
	check_layout(44100);
	check_blips();
	check_capture_pair(dir);
	tt_rmtree(dir);
	return 0;
}
