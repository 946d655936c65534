// SPDX-License-Identifier: ISC
// capture_pair_load: every check refuses its bad pair with a message naming the file and the
// problem; a delayed target is found, reported and (by default) shifted so that the pair lines
// up sample for sample; inversion, clipping, trimming and unrelated files are warned about.
#undef NDEBUG
#include "capture_pair.h"
#include "tools_test_util.h"

#include <assert.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 12000
#define FLOAT_WAV (SF_FORMAT_WAV | SF_FORMAT_FLOAT)

static const char *dir;
static float dry[N];

// The "device": a soft clipper; the recording lags by d samples and may be inverted.
static float device(float x) { return 0.6f * tanhf(2.5f * x); }

static void make_dry(void)
{
	unsigned seed = 42;
	float lp = 0.0f;
	for (int t = 0; t < N; ++t) {
		lp += 0.3f * (tt_noise(&seed) - lp);
		dry[t] = 0.8f * lp;
	}
}

// Writes the dry file and a wet file: wet[t] = sign * device(dry[t - d]), n_wet frames.
static void write_pair(const char *dname, const char *wname, int d, float sign, long n_wet,
                       int rate_wet)
{
	tt_write_wav(tt_path(dir, dname), dry, N, 1, 48000, FLOAT_WAV);
	float *wet = calloc((size_t)n_wet, sizeof *wet);
	assert(wet);
	for (long t = 0; t < n_wet; ++t)
		wet[t] = t - d >= 0 && t - d < N ? sign * device(dry[t - d]) : 0.0f;
	tt_write_wav(tt_path(dir, wname), wet, n_wet, 1, rate_wet, FLOAT_WAV);
	free(wet);
}

static void expect_fail(const char *in, const char *tg, const CapturePairOptions *o,
                        const char *needle)
{
	CapturePair p;
	char err[512] = "";
	int rc = capture_pair_load(tt_path(dir, in), tt_path(dir, tg), o, &p, err, sizeof err);
	if (rc != -1 || !strstr(err, needle)) {
		fprintf(stderr, "%s + %s: rc %d, message '%s', expected '%s'\n", in, tg, rc, err, needle);
		assert(0);
	}
	assert(p.input.data == NULL && p.target.data == NULL);
}

static void test_defaults(void)
{
	CapturePairOptions o = capture_pair_default_options();
	assert(o.trim == 0 && o.compensate_delay == 1 && o.max_delay == 4800);
	assert(o.min_frames == 4800 && o.input_channels == 1 && o.min_delay == 8);
}

static void test_aligned_pair(void)
{
	write_pair("d.wav", "w0.wav", 0, 1.0f, N, 48000);
	CapturePair p;
	tt_load_pair(dir, "d.wav", "w0.wav", NULL, &p);
	assert(p.delay == 0 && !p.polarity_inverted);
	assert(p.input.frames == N && p.target.frames == N);
	assert(p.input.channels == 1 && p.target.channels == 1);
	assert(p.warnings[0] == '\0');
	assert(p.clipped_input == 0 && p.clipped_target == 0);
	assert(p.correlation > 0.9);
	capture_pair_free(&p);
	capture_pair_free(&p);
	capture_pair_free(NULL);
}

static void test_delay_compensated(void)
{
	write_pair("d.wav", "w37.wav", 37, 1.0f, N, 48000);
	CapturePair p;
	// By default one sample of the delay stays in, so that an estimate a sample long never
	// makes the target lead the input.
	tt_load_pair(dir, "d.wav", "w37.wav", NULL, &p);
	assert(p.delay == 37 && p.shifted == 36);
	assert(p.input.frames == N - 36 && p.target.frames == N - 36);
	for (long t = 1; t < p.input.frames; ++t)
		assert(p.target.data[t] == device(dry[t - 1]));
	assert(fabs(p.latency - 1.0) < 0.05);
	assert(strstr(p.warnings,
	              "by 37.00 samples (0.77 ms); shifted earlier by 36, leaving 1.00 samples"));
	capture_pair_free(&p);

	CapturePairOptions exact = capture_pair_default_options();
	exact.causal_margin = 0;
	tt_load_pair(dir, "d.wav", "w37.wav", &exact, &p);
	assert(p.delay == 37 && p.shifted == 37);
	assert(p.input.frames == N - 37 && p.target.frames == N - 37);
	for (long t = 0; t < p.input.frames; ++t) {
		assert(p.input.data[t] == dry[t]);
		assert(p.target.data[t] == device(dry[t]));
	}
	assert(strstr(p.warnings,
	              "the target lags the input by 37.00 samples (0.77 ms); shifted earlier by 37"));
	capture_pair_free(&p);

	CapturePairOptions o = capture_pair_default_options();
	o.compensate_delay = 0;
	tt_load_pair(dir, "d.wav", "w37.wav", &o, &p);
	assert(p.delay == 37 && p.shifted == 0 && p.input.frames == N);
	assert(strstr(p.warnings, "by 37.00 samples (0.77 ms); not compensated"));
	capture_pair_free(&p);
}

// A lag of a few samples is the device's own phase response: reported, left in place.
static void test_small_delay_kept(void)
{
	write_pair("d.wav", "w3.wav", 3, 1.0f, N, 48000);
	CapturePair p;
	tt_load_pair(dir, "d.wav", "w3.wav", NULL, &p);
	assert(p.delay == 3 && p.shifted == 0 && p.input.frames == N && p.target.frames == N);
	assert(p.target.data[100] == device(dry[97]));
	assert(p.warnings[0] == '\0');
	capture_pair_free(&p);
	CapturePairOptions o = capture_pair_default_options();
	o.min_delay = 1;
	o.causal_margin = 0;
	tt_load_pair(dir, "d.wav", "w3.wav", &o, &p);
	assert(p.delay == 3 && p.input.frames == N - 3);
	assert(p.target.data[100] == device(dry[100]));
	assert(strstr(p.warnings, "lags the input by 3.00 samples (0.06 ms); shifted earlier by 3"));
	capture_pair_free(&p);
}

static void test_target_leads(void)
{
	write_pair("d.wav", "wm9.wav", -9, 1.0f, N, 48000);
	CapturePair p;
	CapturePairOptions o = capture_pair_default_options();
	o.causal_margin = 0;
	tt_load_pair(dir, "d.wav", "wm9.wav", &o, &p);
	assert(p.delay == -9 && p.shifted == -9 && p.input.frames == N - 9);
	for (long t = 0; t < p.input.frames; ++t)
		assert(p.target.data[t] == device(p.input.data[t]));
	assert(strstr(p.warnings, "the target leads the input by 9.00 samples"));
	capture_pair_free(&p);
	// Even a lead of one sample, below min_delay, is moved back, and by default a sample more
	// stays in as the model's latency: a causal network cannot predict the future.
	write_pair("d.wav", "wm1.wav", -1, 1.0f, N, 48000);
	tt_load_pair(dir, "d.wav", "wm1.wav", NULL, &p);
	assert(p.delay == -1 && p.shifted == -2 && fabs(p.latency - 1.0) < 0.05);
	for (long t = 2; t < p.input.frames; ++t)
		assert(p.target.data[t] == device(p.input.data[t - 1]));
	assert(strstr(p.warnings, "shifted later by 2, leaving 1.00 samples as the model's latency"));
	capture_pair_free(&p);
}

static void test_polarity_inverted(void)
{
	write_pair("d.wav", "winv.wav", 5, -1.0f, N, 48000);
	CapturePair p;
	tt_load_pair(dir, "d.wav", "winv.wav", NULL, &p);
	assert(p.delay == 5 && p.polarity_inverted == 1 && p.correlation < -0.9);
	assert(strstr(p.warnings, "winv.wav is polarity-inverted relative to"));
	capture_pair_free(&p);
}

static void test_lengths(void)
{
	write_pair("d.wav", "wlong.wav", 0, 1.0f, N + 480, 48000);
	expect_fail("d.wav", "wlong.wav", NULL, "has 12000 frames but");
	expect_fail("d.wav", "wlong.wav", NULL,
	            "wlong.wav has 12480: the lengths differ by 480 "
	            "(0.010 s); trim both to the shorter one (--trim)");
	CapturePairOptions o = capture_pair_default_options();
	o.trim = 1;
	CapturePair p;
	tt_load_pair(dir, "d.wav", "wlong.wav", &o, &p);
	assert(p.input.frames == N && p.target.frames == N && p.delay == 0);
	assert(strstr(p.warnings, "lengths differed by 480 frames (0.010 s): both trimmed to 12000"));
	capture_pair_free(&p);
}

static void test_format_mismatches(void)
{
	write_pair("d.wav", "w441.wav", 0, 1.0f, N, 44100);
	expect_fail("d.wav", "w441.wav", NULL, "is 48000 Hz but");
	expect_fail("d.wav", "w441.wav", NULL, "w441.wav is 44100 Hz: the sample rates differ");

	float *st = malloc(2 * N * sizeof *st);
	assert(st);
	for (int t = 0; t < N; ++t)
		st[2 * t] = st[2 * t + 1] = dry[t];
	tt_write_wav(tt_path(dir, "stereo.wav"), st, N, 2, 48000, FLOAT_WAV);
	expect_fail("stereo.wav", "w0.wav", NULL, "stereo.wav: 2 channels, expected 1 (mono)");
	expect_fail("d.wav", "stereo.wav", NULL, "stereo.wav: 2 channels; the target must be mono");
	CapturePairOptions o = capture_pair_default_options();
	o.input_channels = 0;
	CapturePair p;
	tt_load_pair(dir, "stereo.wav", "w0.wav", &o, &p);
	assert(p.input.channels == 2 && p.delay == 0);
	capture_pair_free(&p);
	o.input_channels = 3;
	expect_fail("stereo.wav", "w0.wav", &o, "stereo.wav: 2 channels, expected 3");
	free(st);
}

static void test_bad_files(void)
{
	tt_write_text(tt_path(dir, "notes.wav"), "RIFF? no, just text\n");
	expect_fail("notes.wav", "w0.wav", NULL, "notes.wav: not an audio file");
	expect_fail("d.wav", "notes.wav", NULL, "notes.wav: not an audio file");
	expect_fail("d.wav", "absent.wav", NULL, "absent.wav: No such file or directory");

	float *x = malloc(N * sizeof *x);
	assert(x);
	memcpy(x, dry, N * sizeof *x);
	x[777] = NAN;
	tt_write_wav(tt_path(dir, "nan.wav"), x, N, 1, 48000, FLOAT_WAV);
	expect_fail("d.wav", "nan.wav", NULL, "nan.wav: sample 777 of channel 0 is NaN");
	x[777] = INFINITY;
	tt_write_wav(tt_path(dir, "inf.wav"), x, N, 1, 48000, FLOAT_WAV);
	expect_fail("inf.wav", "w0.wav", NULL, "inf.wav: sample 777 of channel 0 is infinite");

	memset(x, 0, N * sizeof *x);
	tt_write_wav(tt_path(dir, "silent.wav"), x, N, 1, 48000, FLOAT_WAV);
	expect_fail("silent.wav", "w0.wav", NULL, "silent.wav: the input is silent");
	expect_fail("d.wav", "silent.wav", NULL, "silent.wav: the target is silent");
	free(x);
}

static void test_too_short(void)
{
	tt_write_wav(tt_path(dir, "short_d.wav"), dry, 1000, 1, 48000, FLOAT_WAV);
	float w[1000];
	for (int t = 0; t < 1000; ++t)
		w[t] = device(dry[t]);
	tt_write_wav(tt_path(dir, "short_w.wav"), w, 1000, 1, 48000, FLOAT_WAV);
	expect_fail("short_d.wav", "short_w.wav", NULL,
	            "short_d.wav: too short: 1000 frames (0.021 s), at least 4800 needed");
	CapturePairOptions o = capture_pair_default_options();
	o.min_frames = 100;
	CapturePair p;
	tt_load_pair(dir, "short_d.wav", "short_w.wav", &o, &p);
	capture_pair_free(&p);
	// Long enough before the shift, too short after it.
	o.min_frames = N - 10;
	expect_fail("d.wav", "w37.wav", &o, "too short after delay compensation");
}

static void test_clipping_and_unrelated(void)
{
	float *x = malloc(N * sizeof *x), *w = malloc(N * sizeof *w);
	assert(x && w);
	for (int t = 0; t < N; ++t) {
		x[t] = fmaxf(-1.0f, fminf(1.0f, 5.0f * dry[t]));
		w[t] = fmaxf(-1.0f, fminf(1.0f, 3.0f * device(x[t])));
	}
	long want_in = 0, want_tg = 0;
	for (int t = 0; t < N; ++t) {
		want_in += fabsf(x[t]) >= 1.0f;
		want_tg += fabsf(w[t]) >= 1.0f;
	}
	assert(want_in > 0 && want_tg > 0);
	// 24-bit PCM: full scale is stored as 8388607 / 8388608, still counted as clipped.
	tt_write_wav(tt_path(dir, "clip_d.wav"), x, N, 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
	tt_write_wav(tt_path(dir, "clip_w.wav"), w, N, 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
	CapturePair p;
	tt_load_pair(dir, "clip_d.wav", "clip_w.wav", NULL, &p);
	assert(p.clipped_input == want_in && p.clipped_target == want_tg);
	assert(strstr(p.warnings, "clip_d.wav: ") && strstr(p.warnings, "the input is clipped"));
	assert(strstr(p.warnings, "the recording clipped"));
	capture_pair_free(&p);

	unsigned seed = 777;
	for (int t = 0; t < N; ++t)
		w[t] = 0.3f * tt_noise(&seed);
	tt_write_wav(tt_path(dir, "other.wav"), w, N, 1, 48000, FLOAT_WAV);
	CapturePairOptions o = capture_pair_default_options();
	o.compensate_delay = 0;
	tt_load_pair(dir, "d.wav", "other.wav", &o, &p);
	assert(strstr(p.warnings, "look unrelated"));
	capture_pair_free(&p);
	free(x);
	free(w);
}

// The committed demo pair (data/demo): real guitar through a real pedal model.
static void test_demo_pair(const char *dry_path, const char *wet_path)
{
	CapturePair p;
	char err[512] = "";
	if (capture_pair_load(dry_path, wet_path, NULL, &p, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		assert(0);
	}
	assert(p.input.frames == 480000 && p.target.frames == 480000);
	assert(p.input.sample_rate == 48000.0);
	assert(abs(p.delay) < 8 && !p.polarity_inverted && p.correlation > 0.5);
	assert(p.clipped_input == 0 && p.clipped_target == 0 && p.warnings[0] == '\0');
	capture_pair_free(&p);
}

// A delay beyond the search range: no claim of inversion from a correlation that means
// nothing, and a warning that names the search range instead.
static void test_delay_out_of_range(void)
{
	write_pair("d.wav", "wfar.wav", 3000, 1.0f, N, 48000);
	CapturePairOptions o = capture_pair_default_options();
	o.max_delay = 500;
	o.compensate_delay = 0;
	CapturePair p;
	tt_load_pair(dir, "d.wav", "wfar.wav", &o, &p);
	assert(!strstr(p.warnings, "polarity-inverted"));
	assert(strstr(p.warnings, "the delay may lie beyond the +-500 samples searched")
	       || strstr(p.warnings, "look unrelated"));
	capture_pair_free(&p);
}

int main(int argc, char **argv)
{
	assert(argc == 3);
	dir = tt_tmpdir();
	make_dry();
	test_defaults();
	test_aligned_pair();
	test_delay_compensated();
	test_small_delay_kept();
	test_target_leads();
	test_polarity_inverted();
	test_lengths();
	test_format_mismatches();
	test_bad_files();
	test_too_short();
	test_clipping_and_unrelated();
	test_delay_out_of_range();
	test_demo_pair(argv[1], argv[2]);
	tt_rmtree(dir);
	return 0;
}
