// SPDX-License-Identifier: ISC
// The plugin's signal path without LV2: bit-identical to the bare engine at default controls,
// smoothed gains and mix, a crossfaded bypass, click-free model switches with the retire list,
// non-finite input silenced and recovered, the caller's floating-point mode left alone.
// Usage: test_fx_core <model.lstm.json> <other.lstm.json> <knob-model.lstm.json>
#undef NDEBUG
#include "fx_core.h"
#include "model_load.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

enum { RATE = 48000, LEN = 24000 };

static const char *model_paths[3];
static uint32_t rng_state = 777u;

static float noise(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (float)((rng_state >> 8) / 16777216.0 * 2.0 - 1.0) * 0.5f;
}

static uint32_t rnd_block(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (rng_state >> 16) % 300u;
}

typedef struct {
	FxModel fx;
	ModelDesc desc;
} TestModel;

static TestModel *load(const char *path)
{
	TestModel *tm = calloc(1, sizeof(*tm));
	ModelError err;
	if (model_load_file(path, &tm->desc, &err) != MODEL_OK) {
		fprintf(stderr, "cannot load %s: %s\n", path, err.message);
		exit(1);
	}
	// At the model's own rate: the rate player's bit-exact bypass.
	RatePlayer *player =
		rate_player_create(&tm->desc, tm->desc.sample_rate, RATE_MODE_AUTO, FX_CHUNK, &err);
	assert(player);
	fx_model_init(&tm->fx, player, &tm->desc);
	return tm;
}

static void unload(TestModel *tm)
{
	rate_player_destroy(tm->fx.player);
	model_desc_free(&tm->desc);
	free(tm);
}

// Engine reference with every knob at the model's default (what the core's 0.5 means).
static void reference(const char *path, const float *in, float *out, uint32_t n)
{
	assert(n <= 2 * LEN);
	TestModel *tm = load(path);
	static float cond[FX_MAX_KNOBS][2 * LEN]; // the longest reference asked for
	const float *inputs[1 + FX_MAX_KNOBS] = {in};
	for (int k = 0; k < tm->desc.inputs - 1; k++) {
		const float def = k < tm->desc.num_controls ? tm->desc.controls[k].def : 0.5f;
		for (uint32_t t = 0; t < n; t++)
			cond[k][t] = def;
		inputs[1 + k] = cond[k];
	}
	lstm_net_process(rate_player_net(tm->fx.player), inputs, out, n);
	unload(tm);
}

static void process_random_blocks(FxCore *fx, const float *in, float *out, uint32_t n)
{
	for (uint32_t done = 0; done < n;) {
		uint32_t len = rnd_block();
		if (len > n - done)
			len = n - done;
		fx_core_process(fx, in + done, out + done, len);
		done += len;
	}
}

static float max_jump(const float *v, uint32_t from, uint32_t to)
{
	float j = 0.0f;
	for (uint32_t t = from + 1; t < to; t++)
		j = fmaxf(j, fabsf(v[t] - v[t - 1]));
	return j;
}

static void test_default_is_bit_identical(void)
{
	static float in[LEN], out[LEN], ref[LEN];
	for (int m = 0; m < 3; m++) {
		for (int t = 0; t < LEN; t++)
			in[t] = noise();
		FxCore *fx = malloc(sizeof(*fx));
		fx_core_init(fx, RATE);
		TestModel *tm = load(model_paths[m]);
		assert(fx_core_install_model(fx, &tm->fx) == 0);
		process_random_blocks(fx, in, out, LEN);
		reference(model_paths[m], in, ref, LEN);
		assert(memcmp(out, ref, sizeof(out)) == 0);
		// In place gives the same bits too.
		fx_core_reset(fx);
		memcpy(out, in, sizeof(in));
		process_random_blocks(fx, out, out, LEN);
		assert(memcmp(out, ref, sizeof(out)) == 0);
		assert(fx->nonfinite_blocks == 0);
		unload(tm);
		free(fx);
	}
}

static void test_gains_are_smoothed(void)
{
	static float in[LEN], out[LEN];
	FxCore fx;
	fx_core_init(&fx, RATE); // no model: pass-through
	for (int t = 0; t < LEN; t++)
		in[t] = 0.25f;
	fx_core_process(&fx, in, out, 1000);
	assert(out[999] == 0.25f);
	fx_core_set_input_gain_db(&fx, 6.0f);
	fx_core_process(&fx, in, out, LEN);
	// One-pole ramp: monotonic, no step bigger than the first one, lands on the target.
	const float target = 0.25f * powf(10.0f, 6.0f / 20.0f);
	assert(out[0] > 0.25f && out[0] < 0.26f);
	for (int t = 1; t < LEN; t++)
		assert(out[t] >= out[t - 1]);
	assert(out[LEN - 1] == target);
	// Mix to 0 with an output gain: the output goes back to the dry input, smoothly.
	fx_core_set_output_gain_db(&fx, -12.0f);
	fx_core_set_mix(&fx, 0.0f);
	fx_core_process(&fx, in, out, LEN);
	assert(max_jump(out, 0, LEN) < 0.01f);
	assert(out[LEN - 1] == 0.25f);
	// Out-of-range and NaN settings are clamped, not propagated.
	fx_core_set_input_gain_db(&fx, NAN);
	fx_core_set_mix(&fx, 7.0f);
	fx_core_process(&fx, in, out, LEN);
	for (int t = 0; t < LEN; t++)
		assert(isfinite(out[t]));
}

static void test_bypass_crossfades(void)
{
	static float in[LEN], out[LEN];
	FxCore fx;
	fx_core_init(&fx, RATE);
	TestModel *tm = load(model_paths[1]); // no dry path: wet and dry differ a lot
	fx_core_install_model(&fx, &tm->fx);
	for (int t = 0; t < LEN; t++)
		in[t] = 0.5f * sinf(2.0f * 3.14159265f * 110.0f * (float)t / RATE);
	fx_core_process(&fx, in, out, LEN / 2);
	const float steady = max_jump(out, 1000, LEN / 2);
	fx_core_set_enabled(&fx, 0);
	fx_core_process(&fx, in + LEN / 2, out + LEN / 2, LEN / 2);
	// No hard cut: the switch region moves no faster than the signals themselves plus the
	// ramp's own slope.
	const float jump = max_jump(out, LEN / 2 - 1, LEN / 2 + 4000);
	assert(jump < steady + max_jump(in, 0, LEN) + 0.01f);
	assert(fabsf(out[LEN / 2] - out[LEN / 2 - 1]) < 0.05f);
	// Fully bypassed: exactly the input.
	assert(memcmp(out + LEN - 200, in + LEN - 200, 200 * sizeof(float)) == 0);
	fx_core_install_model(&fx, NULL);
	assert(fx_core_take_retired(&fx) == &tm->fx);
	unload(tm);
}

static void test_model_switch_is_smooth(void)
{
	static float in[LEN * 2], out[LEN * 2], a_alone[LEN * 2], b_alone[LEN * 2];
	for (int t = 0; t < LEN * 2; t++)
		in[t] = 0.5f * sinf(2.0f * 3.14159265f * 220.0f * (float)t / RATE);
	TestModel *a = load(model_paths[0]), *b = load(model_paths[1]);
	TestModel *c = load(model_paths[2]), *d = load(model_paths[0]);
	reference(model_paths[0], in, a_alone, LEN * 2);
	reference(model_paths[1], in, b_alone, LEN * 2);
	FxCore fx;
	fx_core_init(&fx, RATE);
	fx_core_install_model(&fx, &a->fx);
	fx_core_process(&fx, in, out, LEN);
	// B fades in; C and then D arrive during the fade: C is dropped unplayed, D waits.
	assert(fx_core_offer_model(&fx, &b->fx) == 0);
	fx_core_process(&fx, in + LEN, out + LEN, 100);
	assert(fx_core_offer_model(&fx, &c->fx) == 0);
	assert(fx_core_offer_model(&fx, &d->fx) == 0);
	assert(fx_core_take_retired(&fx) == &c->fx);
	assert(fx_core_take_retired(&fx) == NULL);
	fx_core_process(&fx, in + LEN + 100, out + LEN + 100, LEN - 100);
	// Both fades are over: A then B were retired, D plays.
	assert(fx_core_model(&fx) == &d->fx);
	FxModel *r1 = fx_core_take_retired(&fx), *r2 = fx_core_take_retired(&fx);
	assert((r1 == &a->fx && r2 == &b->fx) || (r1 == &b->fx && r2 == &a->fx));
	const uint32_t fade = (uint32_t)(FX_MODEL_FADE_SECONDS * RATE);
	const float steady = fmaxf(max_jump(a_alone, 1000, LEN * 2), max_jump(b_alone, 1000, LEN * 2));
	const float jump = max_jump(out, LEN - 1, LEN + 3 * fade);
	printf("model switch: largest jump %.5f, steady %.5f, hard cut would be %.5f\n", jump, steady,
	       fabsf(b_alone[LEN] - a_alone[LEN - 1]));
	assert(jump < steady + 2.0f / (float)fade + 0.01f);
	fx_core_install_model(&fx, NULL);
	assert(fx_core_take_retired(&fx) == &d->fx);
	unload(a);
	unload(b);
	unload(c);
	unload(d);
}

static void test_nonfinite_input_is_silenced(void)
{
	static float in[LEN], out[LEN], ref[LEN];
	FxCore fx;
	fx_core_init(&fx, RATE);
	TestModel *tm = load(model_paths[0]);
	fx_core_install_model(&fx, &tm->fx);
	for (int t = 0; t < LEN; t++)
		in[t] = noise();
	fx_core_process(&fx, in, out, 512);
	const float saved = in[600];
	in[600] = NAN;
	fx_core_process(&fx, in + 512, out + 512, 256);
	for (int t = 512; t < 768; t++)
		assert(out[t] == 0.0f);
	in[800] = INFINITY;
	fx_core_process(&fx, in + 768, out + 768, 256);
	assert(fx.nonfinite_blocks == 2);
	in[600] = saved;
	// Recovers: from the reset state the output is what a fresh network gives.
	fx_core_process(&fx, in + 1024, out + 1024, 4096);
	reference(model_paths[0], in + 1024, ref, 4096);
	assert(memcmp(out + 1024, ref, 4096 * sizeof(float)) == 0);
	fx_core_install_model(&fx, NULL);
	fx_core_take_retired(&fx);
	unload(tm);
}

static void test_knob_mapping(void)
{
	// 0 -> min, 0.5 -> the default exactly, 1 -> max, monotonic in between.
	assert(fx_knob_value(0.0f, -2.0f, 0.3f, 5.0f) == -2.0f);
	assert(fx_knob_value(0.5f, -2.0f, 0.3f, 5.0f) == 0.3f);
	assert(fx_knob_value(1.0f, -2.0f, 0.3f, 5.0f) == 5.0f);
	float prev = -3.0f;
	for (int k = 0; k <= 100; k++) {
		const float v = fx_knob_value((float)k / 100.0f, -2.0f, 0.3f, 5.0f);
		assert(v > prev);
		prev = v;
	}
}

static void test_float_mode_restored(void)
{
#if defined(__x86_64__)
	float in[64] = {1e-39f}, out[64];
	FxCore fx;
	fx_core_init(&fx, RATE);
	enum { STICKY_FLAGS = 0x3f }; // may gain bits, as after any float arithmetic
	const unsigned int csr = _mm_getcsr();
	fx_core_process(&fx, in, out, 64);
	assert((_mm_getcsr() & ~STICKY_FLAGS) == (csr & ~STICKY_FLAGS));
	// Denormals are flushed inside: the pass-through of a denormal input gives zero.
	assert(out[0] == 0.0f);
#endif
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s <model> <model-no-dry> <knob-model>\n", argv[0]);
		return 1;
	}
	for (int k = 0; k < 3; k++)
		model_paths[k] = argv[k + 1];
	test_default_is_bit_identical();
	test_gains_are_smoothed();
	test_bypass_crossfades();
	test_model_switch_is_smooth();
	test_nonfinite_input_is_silenced();
	test_knob_mapping();
	test_float_mode_restored();
	return 0;
}
