// SPDX-License-Identifier: ISC
// The RatePlayer's contract beyond accuracy: at equal rates every mode is the plain network
// bit for bit; the output does not depend on block sizes or max_block; reset gives back the
// first render exactly; a player re-created at another rate (a host re-instantiating) is right
// at the new rate and the same as a fresh one; the mode and path choice follows the rules in
// rate_player.h; and bad arguments are refused with a message.
#undef NDEBUG
#include "rate_fixture.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FRAMES = 12000 };

static void test_bypass_bit_identical(void)
{
	ModelDesc m;
	rate_fixture_model(&m);
	float *x = rate_fixture_signal(48000, FRAMES);
	float *want = malloc(FRAMES * sizeof *want), *got = malloc(FRAMES * sizeof *got);
	LstmNet *net = lstm_net_create(&m, NULL, NULL);
	assert(net);
	const float *in[1] = {x};
	lstm_net_process(net, in, want, FRAMES);
	for (int mode = RATE_MODE_AUTO; mode <= RATE_MODE_CORRECT; mode++) {
		RatePlayer *p = rate_player_create(&m, 48000.0, (RateMode)mode, 64, NULL);
		assert(p);
		CHECK(rate_player_path(p) == RATE_PATH_BYPASS && rate_player_latency(p) == 0,
		      "%s at equal rates: path %s, latency %u", rate_mode_name((RateMode)mode),
		      rate_path_name(rate_player_path(p)), (unsigned)rate_player_latency(p));
		rate_fixture_render(p, x, got, FRAMES, 777);
		CHECK(memcmp(want, got, FRAMES * sizeof *got) == 0,
		      "%s at equal rates differs from lstm_net_process", rate_mode_name((RateMode)mode));
		rate_player_destroy(p);
	}
	lstm_net_destroy(net);
	free(x);
	free(want);
	free(got);
	model_desc_free(&m);
}

// Renders in blocks cycling through sizes, from 1 frame to more than max_block.
static void render_ragged(RatePlayer *p, const float *x, float *y, size_t frames)
{
	static const uint32_t sizes[] = {1, 7, 64, 0, 333, 2, 1000, 129, 4096, 5};
	for (size_t done = 0, k = 0; done < frames; k++) {
		uint32_t n = sizes[k % (sizeof sizes / sizeof sizes[0])];
		if (n > frames - done)
			n = (uint32_t)(frames - done);
		const float *in[1] = {x + done};
		rate_player_process(p, in, y + done, n);
		done += n;
	}
}

static void test_block_independence_and_reset(void)
{
	static const int rates[] = {22050, 44100, 88200, 96000, 192000};
	ModelDesc m;
	rate_fixture_model(&m);
	float *a = malloc(FRAMES * sizeof *a), *b = malloc(FRAMES * sizeof *b);
	for (size_t k = 0; k < sizeof rates / sizeof rates[0]; k++) {
		float *x = rate_fixture_signal(rates[k], FRAMES);
		for (int mode = RATE_MODE_RESAMPLE; mode <= RATE_MODE_CORRECT; mode++) {
			RatePlayer *big = rate_player_create(&m, rates[k], (RateMode)mode, 4096, NULL);
			RatePlayer *small = rate_player_create(&m, rates[k], (RateMode)mode, 100, NULL);
			assert(big && small);
			rate_fixture_render(big, x, a, FRAMES, 4096);
			render_ragged(small, x, b, FRAMES);
			CHECK(memcmp(a, b, FRAMES * sizeof *a) == 0, "%d Hz %s: block sizes change the output",
			      rates[k], rate_mode_name((RateMode)mode));
			CHECK(rate_player_underruns(small) == 0, "%d Hz: underruns", rates[k]);
			rate_player_reset(small);
			render_ragged(small, x, b, FRAMES);
			CHECK(memcmp(a, b, FRAMES * sizeof *a) == 0, "%d Hz %s: reset does not restart",
			      rates[k], rate_mode_name((RateMode)mode));
			rate_player_destroy(big);
			rate_player_destroy(small);
		}
		free(x);
	}
	free(a);
	free(b);
	model_desc_free(&m);
}

// A host changing rate re-instantiates: 44.1 kHz, then 96 kHz, then 44.1 kHz again.
static void test_recreate(void)
{
	static const int rates[] = {44100, 96000, 44100};
	ModelDesc m;
	rate_fixture_model(&m);
	float *first = NULL;
	for (size_t k = 0; k < 3; k++) {
		size_t n_ref;
		float *ref = rate_fixture_expected(rates[k], &n_ref);
		RatePlayer *p = rate_player_create(&m, rates[k], RATE_MODE_AUTO, 512, NULL);
		assert(p);
		const uint32_t lat = rate_player_latency(p);
		float *x = rate_fixture_signal(rates[k], n_ref + lat);
		float *y = malloc((n_ref + lat) * sizeof *y);
		rate_fixture_render(p, x, y, n_ref + lat, 512);
		const size_t skip = (size_t)rates[k] / 100;
		const double esr = rate_fixture_esr(y + lat + skip, ref + skip, n_ref - skip);
		CHECK(esr <= 1e-3, "player %zu at %d Hz: ESR %.3g", k, rates[k], esr);
		if (k == 0)
			first = y;
		else if (k == 2)
			CHECK(memcmp(first, y, (n_ref + lat) * sizeof *y) == 0,
			      "a player re-created at 44.1 kHz renders differently from the first one");
		if (y != first)
			free(y);
		rate_player_destroy(p);
		free(x);
		free(ref);
	}
	free(first);
	model_desc_free(&m);
}

static void test_choice_and_errors(void)
{
	CHECK(rate_path_choose(48000, 48000.2, RATE_MODE_CORRECT) == RATE_PATH_BYPASS, "equal");
	CHECK(rate_path_choose(48000, 44100, RATE_MODE_CORRECT) == RATE_PATH_RESAMPLE, "r < 1");
	CHECK(rate_path_choose(48000, 96000, RATE_MODE_CORRECT) == RATE_PATH_CORRECT, "r = 2");
	CHECK(rate_path_choose(48000, 96000, RATE_MODE_AUTO) == RATE_PATH_RESAMPLE, "auto");
	CHECK(rate_path_choose(8000, 384000, RATE_MODE_CORRECT) == RATE_PATH_RESAMPLE, "r = 48");
	RateMode mode;
	CHECK(rate_mode_parse("correct", &mode) == 0 && mode == RATE_MODE_CORRECT, "parse");
	CHECK(rate_mode_parse("Correct", &mode) == -1 && rate_mode_parse(NULL, &mode) == -1,
	      "parse refuses unknown text");

	ModelDesc m;
	rate_fixture_model(&m);
	ModelError err;
	CHECK(!rate_player_create(&m, 4000, RATE_MODE_AUTO, 64, &err) && err.status == MODEL_ERR_RANGE
	          && strstr(err.message, "4000"),
	      "host rate 4000: %s", err.message);
	CHECK(!rate_player_create(&m, NAN, RATE_MODE_AUTO, 64, &err) && err.status == MODEL_ERR_RANGE,
	      "host rate NaN: %s", err.message);
	CHECK(!rate_player_create(&m, 44100, RATE_MODE_AUTO, 0, &err)
	          && strstr(err.message, "block size"),
	      "block 0: %s", err.message);
	CHECK(!rate_player_create(&m, 44100, (RateMode)7, 64, &err) && strstr(err.message, "mode"),
	      "mode 7: %s", err.message);
	m.layers[0].hidden = 0;
	CHECK(!rate_player_create(&m, 44100, RATE_MODE_AUTO, 64, &err) && err.status != MODEL_OK,
	      "invalid model accepted");
	m.layers[0].hidden = 16;
	rate_player_destroy(NULL);
	model_desc_free(&m);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rate_fixture_data_dir = argv[1];
	test_bypass_bit_identical();
	test_block_independence_and_reset();
	test_recreate();
	test_choice_and_errors();
	return check_result();
}
