// SPDX-License-Identifier: ISC
// The latency port reports the model's own latency plus the rate path's. A 48 kHz model whose
// file says latency_samples 1.5 is loaded through patch:Set (synchronous worker) at 44.1, 48
// and 96 kHz: the port must read the rate path's delay (what rate_player_latency() gives for
// that model, rate and the default Auto mode) plus 1.5 scaled to the host rate and rounded
// (1, 2 and 3 frames: pinned, so a wrong scale or rounding fails). The same model without the
// key reports the rate path's delay alone, as before the key existed. With the mix at 0 the
// output is the input delayed by exactly the reported frames (the dry path follows the whole
// latency, so mixing and bypass stay aligned with the wet signal).
//
//   test_plugin_latency BUNDLE_DIR
#undef NDEBUG
#include "check.h"
#include "lstm_uris.h"
#include "lv2_host.h"
#include "model_file.h"
#include "model_selftest.h"
#include "rate_player.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK = 256, HIDDEN = 4, FRAMES = 8192 };
static const float LATENCY = 1.5f;

static uint32_t rng_state = 777u;

static float noise(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (float)(rng_state >> 8) / 8388608.0f - 1.0f;
}

// A small seeded 48 kHz LSTM (residual, a 64-frame self-test) with the given latency.
static void make_model(ModelDesc *m, float latency)
{
	rng_state = 777u; // both files get the same weights
	model_desc_init(m);
	m->inputs = 1;
	m->skip = 1;
	m->sample_rate = 48000.0;
	m->latency_samples = latency;
	m->num_layers = 1;
	m->layers[0] = (RecurrentLayerDesc){.cell = CELL_LSTM, .inputs = 1, .hidden = HIDDEN};
	m->num_dense = 1;
	m->dense[0] = (DenseLayerDesc){.inputs = HIDDEN, .outputs = 1, .activation = ACT_LINEAR};
	assert(model_desc_alloc_layer(&m->layers[0]) == 0);
	assert(model_desc_alloc_dense(&m->dense[0]) == 0);
	for (int i = 0; i < 4 * HIDDEN; i++)
		m->layers[0].w_ih[i] = noise();
	for (int i = 0; i < 4 * HIDDEN * HIDDEN; i++)
		m->layers[0].w_hh[i] = 0.3f * noise();
	for (int i = 0; i < HIDDEN; i++)
		m->dense[0].w[i] = 0.5f * noise();
	float input[64];
	for (int i = 0; i < 64; i++)
		input[i] = noise();
	ModelError err;
	assert(model_selftest_fill(m, input, 64, &err) == MODEL_OK);
}

static void write_model(const char *path, float latency)
{
	ModelDesc m;
	ModelError err;
	make_model(&m, latency);
	CHECK(model_write_file(path, &m, 0, &err) == MODEL_OK, "%s: %s", path, err.message);
	model_desc_free(&m);
}

// The rate path's delay for the model at rate in Auto mode, straight from the RatePlayer.
static uint32_t rate_path_latency(double rate)
{
	ModelDesc m;
	ModelError err;
	make_model(&m, 0.0f);
	RatePlayer *p = rate_player_create(&m, rate, RATE_MODE_AUTO, 64, &err);
	assert(p);
	const uint32_t lat = rate_player_latency(p);
	rate_player_destroy(p);
	model_desc_free(&m);
	return lat;
}

// A new instance at rate playing path (loaded through the worker, its crossfade over).
static HostInstance *load(HostWorld *hw, double rate, const char *path)
{
	static float buf[BLOCK];
	HostInstance *hi = host_instance_new(hw, rate, HOST_SYNC_WORKER);
	assert(hi);
	memset(buf, 0, sizeof buf);
	for (int k = 0; k < 100 && hi->notifications == 0; k++) // the activation's notice first
		host_run(hi, buf, buf, BLOCK);
	host_send_model(hi, path, HOST_MSG_PATH);
	for (int k = 0; k < 100 && strcmp(hi->notified_model, path) != 0; k++)
		host_run(hi, buf, buf, BLOCK);
	CHECK(strcmp(hi->notified_model, path) == 0, "%g Hz: %s never loaded", rate, path);
	for (int k = 0; k < 40; k++) // past the 30 ms crossfade
		host_run(hi, buf, buf, BLOCK);
	return hi;
}

// With the mix at 0 the output is the input exactly lat frames late.
static void check_dry_delay(HostInstance *hi, double rate, uint32_t lat)
{
	static float x[FRAMES], y[FRAMES];
	for (int t = 0; t < FRAMES; t++)
		x[t] = 0.5f * noise();
	hi->controls[LSTM_PORT_MIX] = 0.0f;
	lilv_instance_deactivate(hi->instance); // restart: the mix starts at 0, the dry line empty
	lilv_instance_activate(hi->instance);
	for (uint32_t done = 0; done < FRAMES; done += BLOCK)
		host_run(hi, x + done, y + done, BLOCK);
	int exact = 1;
	for (uint32_t t = 0; t < FRAMES; t++)
		exact &= y[t] == (t >= lat ? x[t - lat] : 0.0f);
	CHECK(exact, "%g Hz: at mix 0 the output is not the input delayed by %u", rate, (unsigned)lat);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_plugin_latency BUNDLE_DIR\n");
		return 2;
	}
	char dir[] = "/tmp/lstm-latency-XXXXXX", with[64], without[64];
	assert(mkdtemp(dir));
	snprintf(with, sizeof with, "%s/late.lstm.json", dir);
	snprintf(without, sizeof without, "%s/plain.lstm.json", dir);
	write_model(with, LATENCY);
	write_model(without, 0.0f);

	static const struct {
		double rate;
		uint32_t own; // 1.5 * rate / 48000, rounded: 1.378 -> 1, 1.5 -> 2 (halves up), 3
	} cases[] = {{44100, 1}, {48000, 2}, {96000, 3}};
	HostWorld *hw = host_world_new(argv[1]);
	const uint32_t errors = host_log_errors();
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const double rate = cases[c].rate;
		const uint32_t rate_lat = rate_path_latency(rate);
		// Off the model's rate the resampler adds a delay, so the sum is not the model's part.
		CHECK(rate == 48000 ? rate_lat == 0 : rate_lat > 0, "%g Hz: rate path latency %u", rate,
		      (unsigned)rate_lat);

		HostInstance *hi = load(hw, rate, without);
		const float plain = hi->controls[LSTM_PORT_LATENCY];
		CHECK(plain == (float)rate_lat, "%g Hz, no latency_samples: port %g, expected %u", rate,
		      plain, (unsigned)rate_lat);
		host_instance_free(hi);

		hi = load(hw, rate, with);
		const float port = hi->controls[LSTM_PORT_LATENCY];
		const uint32_t expect = rate_lat + cases[c].own;
		CHECK(port == (float)expect, "%g Hz, latency_samples %g: port %g, expected %u + %u", rate,
		      (double)LATENCY, port, (unsigned)rate_lat, (unsigned)cases[c].own);
		printf("%6g Hz: latency port %g without the key, %g with latency_samples %g "
		       "(rate path %u + model %u)\n",
		       rate, plain, port, (double)LATENCY, (unsigned)rate_lat, (unsigned)cases[c].own);
		check_dry_delay(hi, rate, expect);
		host_instance_free(hi);
	}
	CHECK(host_log_errors() == errors, "%u errors logged", (unsigned)(host_log_errors() - errors));
	CHECK(host_rt_violations() == 0, "run() allocated, locked or made a system call");
	host_world_free(hw);
	unlink(with);
	unlink(without);
	rmdir(dir);
	return check_result();
}
