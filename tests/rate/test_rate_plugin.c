// SPDX-License-Identifier: ISC
// The plugin's rate conversion through a real LV2 host path (lilv, tests/plugin/lv2_host.c):
// a committed 48 kHz model with no latency of its own (tests/rate/data, so the bundled
// captures can be retrained without moving these figures) at 44.1, 48, 96 and 192 kHz in each
// rate mode. The
// latency output port must say what the render shows: a small band-limited click, rendered
// once with and once without (the model has a resting output), comes out at the click's
// position plus the reported latency plus the model's own delay (a trained capture is not
// delay-free), within a sample. The model's own delay at a host rate is where the click peaks
// on the zero-latency correction path at that rate when it runs there, and otherwise its delay
// at its own rate, scaled. With the mix at 0 the output is the
// input delayed by exactly that latency (the dry path follows the wet one), bit for bit. The
// values themselves are pinned: 0 at the model's rate and on the correction path.
//
//   test_rate_plugin BUNDLE_DIR MODEL
#undef NDEBUG
#include "check.h"
#include "lstm_uris.h"
#include "lv2_host.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;
enum { FRAMES = 16384, CLICK = 12000, BLOCK = 256 };

static void render(HostInstance *hi, const float *in, float *out)
{
	lilv_instance_deactivate(hi->instance);
	lilv_instance_activate(hi->instance);
	for (uint32_t done = 0; done < FRAMES; done += BLOCK)
		host_run(hi, in + done, out + done, BLOCK);
}

// A Hann-windowed sinc at CLICK, cut off at a quarter of the rate, 0.05 high.
static void click(float *x)
{
	memset(x, 0, FRAMES * sizeof *x);
	for (int k = -32; k <= 32; k++) {
		const double u = 0.5 * k;
		const double s = k == 0 ? 1.0 : sin(PI * u) / (PI * u);
		x[CLICK + k] = (float)(0.05 * s * (0.5 + 0.5 * cos(PI * k / 33.0)));
	}
}

static void test_latency_port(HostWorld *hw, const char *model)
{
	static const struct {
		double rate;
		int mode; // rate_mode port: 0 auto, 1 resample, 2 correct
		int zero; // the latency must be 0
	} cases[] = {
		{48000, 0, 1}, {44100, 0, 0}, {44100, 2, 0},  {96000, 2, 1},
		{96000, 0, 0}, {96000, 1, 0}, {192000, 2, 1}, {192000, 0, 0},
	};
	static float x[FRAMES], quiet[FRAMES], a[FRAMES], b[FRAMES];
	double model_delay = 0.0; // the response peak's delay at 48 kHz, from the first case
	double free_rate = 0.0;   // the host rate of the last zero-latency render
	double free_delay = 0.0;  // and where its click peaked, after CLICK
	click(x);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		HostInstance *hi = host_instance_new(hw, cases[c].rate, HOST_SYNC_WORKER);
		assert(hi);
		hi->controls[LSTM_PORT_RATE_MODE] = (float)cases[c].mode;
		host_send_model(hi, model, HOST_MSG_PATH);
		// The first runs load the model and see the mode, which has the worker rebuild it; let
		// it fade in.
		for (int k = 0; k < 40 || (k < 4000 && !strstr(hi->notified_model, "model_ts9")); k++)
			host_run(hi, quiet, a, BLOCK);
		assert(strstr(hi->notified_model, "model_ts9"));
		host_settle(hi);
		render(hi, quiet, a);
		render(hi, x, b);
		const float port = hi->controls[LSTM_PORT_LATENCY];
		const uint32_t lat = (uint32_t)port;
		CHECK(port == (float)lat && (cases[c].zero ? lat == 0 : lat > 0 && lat < 400),
		      "%g Hz mode %d: latency port %g", cases[c].rate, cases[c].mode, port);
		size_t best = 0;
		for (size_t t = 1; t + 1 < FRAMES; t++)
			if (fabsf(b[t] - a[t]) > fabsf(b[best] - a[best]))
				best = t;
		if (c == 0)
			model_delay = (double)best - CLICK;
		if (lat == 0) {
			free_rate = cases[c].rate;
			free_delay = (double)best - CLICK;
		}
		const double own =
			free_rate == cases[c].rate ? free_delay : model_delay * cases[c].rate / 48000.0;
		const double expect = CLICK + lat + own;
		CHECK(fabs((double)best - expect) <= 1.0,
		      "%g Hz mode %d: the click comes out at %zu, the port says %d + %u (+ %g of the "
		      "model's own delay)",
		      cases[c].rate, cases[c].mode, best, CLICK, (unsigned)lat, own);
		printf("%6g Hz mode %d: latency port %3u, click delay %zd\n", cases[c].rate, cases[c].mode,
		       (unsigned)lat, (ssize_t)best - CLICK);

		// All dry: the input, exactly as late as the wet signal.
		hi->controls[LSTM_PORT_MIX] = 0.0f;
		render(hi, x, b);
		int exact = 1;
		for (size_t t = 0; t < FRAMES; t++)
			exact &= b[t] == (t >= lat ? x[t - lat] : 0.0f);
		CHECK(exact, "%g Hz mode %d: the dry signal is not the input delayed by %u", cases[c].rate,
		      cases[c].mode, (unsigned)lat);
		host_instance_free(hi);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_rate_plugin BUNDLE_DIR MODEL\n");
		return 2;
	}
	HostWorld *hw = host_world_new(argv[1]);
	test_latency_port(hw, argv[2]);
	host_world_free(hw);
	return check_result();
}
