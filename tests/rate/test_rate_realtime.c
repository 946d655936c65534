// SPDX-License-Identifier: ISC
// Both paths are real-time safe at mismatched rates. The tripwire of tests/common
// (rt_interposer.h, linked in) counts every allocation, lock, wait, I/O call, sleep or syscall
// made inside a real-time section. Players are built outside the section; process() with
// blocks from 1 frame to more than max_block, reset() and the getters run inside it, for the
// resample path (below and above the model's rate), the correction path (whole and fractional
// ratio) and a model with conditioning inputs, on ordinary and hostile input (NaN, infinities,
// denormals, huge values). It first proves the tripwire fires, so that a pass means something.
#undef NDEBUG
#include "rate_fixture.h"
#include "rt_interposer.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FRAMES = 8192 };

static void audio_work(RatePlayer *p, float *const *chan, float *out)
{
	static const uint32_t blocks[] = {1, 7, 64, 0, 512, 1000, 2, 128, 2048, 333};
	const float *in[MODEL_MAX_INPUTS];
	const int inputs = rate_player_inputs(p);
	size_t t = 0;
	for (size_t k = 0; t < FRAMES; k++) {
		uint32_t n = blocks[k % (sizeof blocks / sizeof blocks[0])];
		if (n > FRAMES - t)
			n = (uint32_t)(FRAMES - t);
		for (int c = 0; c < inputs; c++)
			in[c] = chan[c] + t;
		rate_player_process(p, in, out + t, n);
		t += n;
		if (k == 5)
			rate_player_reset(p);
	}
	(void)rate_player_latency(p);
	(void)rate_player_path(p);
	(void)rate_player_underruns(p);
	(void)lstm_net_state_is_finite(rate_player_net(p));
}

static void run_case(const ModelDesc *m, double host, RateMode mode, RatePath want,
                     float *const *chan, float *out)
{
	ModelError err;
	RatePlayer *p = rate_player_create(m, host, mode, 256, &err);
	CHECK(p != NULL, "%s", err.message);
	if (!p)
		return;
	CHECK(rate_player_path(p) == want, "%g Hz %s: path %s", host, rate_mode_name(mode),
	      rate_path_name(rate_player_path(p)));
	char report[256];
	rt_violations_reset();
	rt_section_begin();
	audio_work(p, chan, out);
	rt_section_end();
	CHECK(rt_violations() == 0, "model %g Hz, host %g Hz, %s path: %s", m->sample_rate, host,
	      rate_path_name(rate_player_path(p)), rt_violation_report(report, sizeof report));
	rate_player_destroy(p);
}

static void test_tripwire(void)
{
	CHECK(rt_interposer_self_check() == 0, "the interposer does not see calls: this test "
	                                       "could never fail");
}

static void test_paths(void)
{
	static float a[FRAMES], b[FRAMES], c[FRAMES], nasty[FRAMES], out[FRAMES];
	ModelDesc m;
	rate_fixture_model(&m);
	float *x = rate_fixture_signal(44100, FRAMES);
	memcpy(a, x, sizeof a);
	free(x);
	for (size_t k = 0; k < FRAMES; k++) {
		b[k] = (float)(k % 300) / 300.0f;
		c[k] = k < FRAMES / 2 ? 0.0f : 1.0f;
		static const float hostile[] = {NAN, INFINITY, -INFINITY, FLT_MIN / 4, 1e30f, -1e30f};
		nasty[k] = k % 37 == 0 ? hostile[(k / 37) % 6] : a[k];
	}
	float *plain[MODEL_MAX_INPUTS] = {a, b, c};
	float *hostile[MODEL_MAX_INPUTS] = {nasty, b, c};
	for (int pass = 0; pass < 2; pass++) {
		float *const *chan = pass ? hostile : plain;
		run_case(&m, 44100, RATE_MODE_RESAMPLE, RATE_PATH_RESAMPLE, chan, out);
		run_case(&m, 22050, RATE_MODE_CORRECT, RATE_PATH_RESAMPLE, chan, out);
		run_case(&m, 96000, RATE_MODE_RESAMPLE, RATE_PATH_RESAMPLE, chan, out);
		run_case(&m, 88200, RATE_MODE_CORRECT, RATE_PATH_CORRECT, chan, out);
		run_case(&m, 192000, RATE_MODE_CORRECT, RATE_PATH_CORRECT, chan, out);
		run_case(&m, 48000, RATE_MODE_AUTO, RATE_PATH_BYPASS, chan, out);
	}
	model_desc_free(&m);

	// Conditioning inputs go through the resamplers too.
	rate_fixture_identity_model(&m, 48000, 3);
	run_case(&m, 44100, RATE_MODE_AUTO, RATE_PATH_RESAMPLE, plain, out);
	run_case(&m, 96000, RATE_MODE_CORRECT, RATE_PATH_CORRECT, plain, out);
	model_desc_free(&m);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rate_fixture_data_dir = argv[1];
	test_tripwire();
	test_paths();
	return check_result();
}
