// SPDX-License-Identifier: ISC
// The latency a player reports is the delay its output shows. A model whose output is its
// input (so only the player's own delay is seen) gets a band-limited click; the click's centre
// in the output (the peak, refined by a parabola through its neighbours) must sit at the input
// position plus rate_player_latency(), within half a sample, for every model/host rate pair
// and both modes. Conditioning channels go through the same delay: a model that adds a
// constant control value gives that value back once the resamplers have filled.
#undef NDEBUG
#include "rate_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;
static const int model_rates[] = {44100, 48000, 96000};
static const int host_rates[] = {22050, 44100, 48000, 88200,  96000, 192000,
                                 8000,  32000, 47999, 176400, 384000};
enum { FRAMES = 8192, CLICK = 2000 };

// A Hann-windowed sinc at frame `at`, cut off at a quarter of the lower of the two rates, so
// that both resamplers pass it whole.
static void click(float *x, size_t n, double at, double cutoff)
{
	memset(x, 0, n * sizeof *x);
	const int half = (int)ceil(8.0 / cutoff);
	for (int k = -half; k <= half; k++) {
		const double u = k * cutoff;
		const double s = k == 0 ? 1.0 : sin(PI * u) / (PI * u);
		const double w = 0.5 + 0.5 * cos(PI * k / (half + 1));
		x[(size_t)(at + k)] = (float)(s * w);
	}
}

static double peak_position(const float *y, size_t n)
{
	size_t best = 1;
	for (size_t k = 1; k + 1 < n; k++)
		if (fabsf(y[k]) > fabsf(y[best]))
			best = k;
	const double a = y[best - 1], b = y[best], c = y[best + 1];
	const double den = a - 2 * b + c;
	return (double)best + (den != 0.0 ? 0.5 * (a - c) / den : 0.0);
}

static void test_click_delay(void)
{
	static float x[FRAMES], y[FRAMES];
	for (size_t i = 0; i < sizeof model_rates / sizeof model_rates[0]; i++) {
		ModelDesc m;
		rate_fixture_identity_model(&m, model_rates[i], 1);
		for (size_t j = 0; j < sizeof host_rates / sizeof host_rates[0]; j++) {
			const double lower = fmin(model_rates[i], host_rates[j]);
			for (int mode = RATE_MODE_RESAMPLE; mode <= RATE_MODE_CORRECT; mode++) {
				ModelError err;
				RatePlayer *p = rate_player_create(&m, host_rates[j], (RateMode)mode, 128, &err);
				CHECK(p != NULL, "%s", err.message);
				if (!p)
					continue;
				click(x, FRAMES, CLICK, 0.5 * lower / host_rates[j]);
				rate_fixture_render(p, x, y, FRAMES, 100);
				const uint32_t lat = rate_player_latency(p);
				const double at = peak_position(y, FRAMES);
				CHECK(fabs(at - CLICK - lat) <= 0.5,
				      "model %d Hz, host %d Hz, %s (%s): click at %.3f, expected %u + %d",
				      model_rates[i], host_rates[j], rate_mode_name((RateMode)mode),
				      rate_path_name(rate_player_path(p)), at, (unsigned)lat, CLICK);
				CHECK(fabsf(y[lround(at)] - 1.0f) < 0.02f, "click height %.4f, expected 1",
				      y[lround(at)]);
				if (rate_player_path(p) != RATE_PATH_RESAMPLE)
					CHECK(lat == 0, "latency %u off the resample path", (unsigned)lat);
				// 10 ms at most (3.6 ms at the common rates): the filters are short.
				CHECK((int)lat <= host_rates[j] / 100, "latency %u at %d Hz", (unsigned)lat,
				      host_rates[j]);
				rate_player_destroy(p);
			}
		}
		model_desc_free(&m);
	}
}

static void test_control_channel(void)
{
	static float x[FRAMES], c[FRAMES], y[FRAMES];
	ModelDesc m;
	rate_fixture_identity_model(&m, 48000, 2);
	ModelError err;
	RatePlayer *p = rate_player_create(&m, 44100, RATE_MODE_AUTO, 64, &err);
	CHECK(p != NULL && rate_player_path(p) == RATE_PATH_RESAMPLE, "player at 44.1 kHz");
	if (!p)
		return;
	click(x, FRAMES, CLICK, 0.25);
	for (size_t k = 0; k < FRAMES; k++)
		c[k] = 0.25f;
	const float *in[2] = {x, c};
	rate_player_process(p, in, y, FRAMES);
	const uint32_t lat = rate_player_latency(p);
	// Away from the start (the filters fill) and the click, the output is the control.
	for (size_t k = 4 * lat; k < CLICK - 200; k++)
		CHECK(fabsf(y[k] - 0.25f) < 1e-3f, "frame %zu: %.5f, expected 0.25", k, y[k]);
	const double at = peak_position(y, FRAMES);
	CHECK(fabs(at - CLICK - lat) <= 0.5, "click at %.3f, expected %u + %d", at, (unsigned)lat,
	      CLICK);
	rate_player_destroy(p);
	model_desc_free(&m);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rate_fixture_data_dir = argv[1];
	test_click_delay();
	test_control_channel();
	return check_result();
}
