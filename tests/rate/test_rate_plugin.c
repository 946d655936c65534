// SPDX-License-Identifier: ISC
// The plugin's rate conversion through a real LV2 host path (lilv, tests/plugin/lv2_host.c):
// the bundle's 48 kHz default model at 44.1, 48, 96 and 192 kHz in each rate mode. The
// latency output port must say what the render shows: a small band-limited click, rendered
// once with and once without (the model has a resting output), comes out at the click's
// position plus the reported latency, within a sample. With the mix at 0 the output is the
// input delayed by exactly that latency (the dry path follows the wet one), bit for bit. The
// values themselves are pinned: 0 at the model's rate and on the correction path.
//
//   test_rate_plugin BUNDLE_DIR
#undef NDEBUG
#include "lstm_uris.h"
#include "lv2_host.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;
enum { FRAMES = 16384, CLICK = 12000, BLOCK = 256 };
static int failures;

#define CHECK(cond, ...)                                                                  \
	do {                                                                                  \
		if (!(cond)) {                                                                    \
			failures++;                                                                   \
			fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond);             \
			fprintf(stderr, __VA_ARGS__);                                                 \
			fputc('\n', stderr);                                                          \
		}                                                                                 \
	} while (0)

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

static void test_latency_port(HostWorld *hw)
{
	static const struct {
		double rate;
		int mode; // rate_mode port: 0 auto, 1 resample, 2 correct
		int zero; // the latency must be 0
	} cases[] = {
		{48000, 0, 1}, {44100, 0, 0}, {44100, 2, 0}, {96000, 0, 0}, {96000, 1, 0},
		{96000, 2, 1}, {192000, 0, 0}, {192000, 2, 1},
	};
	static float x[FRAMES], quiet[FRAMES], a[FRAMES], b[FRAMES];
	click(x);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		HostInstance *hi = host_instance_new(hw, cases[c].rate, HOST_SYNC_WORKER);
		assert(hi);
		hi->controls[LSTM_PORT_RATE_MODE] = (float)cases[c].mode;
		// The first run sees the mode and has the worker rebuild the model; let it fade in.
		for (int k = 0; k < 40; k++)
			host_run(hi, quiet, a, BLOCK);
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
		CHECK(best >= CLICK + lat - 1 && best <= CLICK + lat + 1,
		      "%g Hz mode %d: the click comes out at %zu, the port says %d + %u", cases[c].rate,
		      cases[c].mode, best, CLICK, (unsigned)lat);
		printf("%6g Hz mode %d: latency port %3u, click delay %zd\n", cases[c].rate,
		       cases[c].mode, (unsigned)lat, (ssize_t)best - CLICK);

		// All dry: the input, exactly as late as the wet signal.
		hi->controls[LSTM_PORT_MIX] = 0.0f;
		render(hi, x, b);
		int exact = 1;
		for (size_t t = 0; t < FRAMES; t++)
			exact &= b[t] == (t >= lat ? x[t - lat] : 0.0f);
		CHECK(exact, "%g Hz mode %d: the dry signal is not the input delayed by %u",
		      cases[c].rate, cases[c].mode, (unsigned)lat);
		host_instance_free(hi);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_rate_plugin BUNDLE_DIR\n");
		return 2;
	}
	HostWorld *hw = host_world_new(argv[1]);
	test_latency_port(hw);
	host_world_free(hw);
	return failures ? 1 : 0;
}
