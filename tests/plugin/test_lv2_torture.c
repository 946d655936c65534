// SPDX-License-Identifier: ISC
// Lifecycle torture, control fuzz and determinism of the built plugin through lilv, the checks
// a careful host (and pluginval, lv2lint) would make:
//  - instantiate then cleanup without activating, with every subset of the optional features
//    (urid:map, log:log, work:schedule); each subset plays the same audio bit for bit;
//  - activate, deactivate, activate again: the second run repeats the first bit for bit;
//  - connect_port before and after activate (a moved output buffer is used at once, the old one
//    is no longer written); run() with 0 frames anywhere changes nothing; in place equals out
//    of place;
//  - every control port set to random values each 32 frames, out of range, NaN and +-Inf
//    included: the output stays finite and below OUT_BOUND; out-of-range values play exactly as
//    the clamped ones; a -24 to +24 dB output gain step moves no faster than the smoother;
//  - two instances fed the same input and controls give bit-identical output.
// Usage: test_lv2_torture <bundle-dir>
#undef NDEBUG
#include "fx_core.h"
#include "lv2_host.h"
#include "lstm_uris.h"
#include "sync_worker.h"

#include <lv2/atom/atom.h>
#include <lv2/log/log.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	F_MAP = 1,
	F_LOG = 2,
	F_WORKER = 4,
	F_ALL = 7,
	NUM_CONTROLS = LSTM_PORT_RATE_MODE - LSTM_PORT_IN_GAIN + 1, // control inputs
	N = 9600,                                                   // 0.2 s at 48 kHz
	ATOM_BYTES = 4096,
};
static const double RATE = 48000.0;
// Largest output allowed under control fuzz: +24 dB (x15.85) on a network output well under 4
// in magnitude (each bundled model's dense layer sums tanh outputs), plus the dry input.
static const float OUT_BOUND = 64.0f;
// in_gain, out_gain, mix, enabled, knob1..3, rate_mode.
static const float DEFAULTS[NUM_CONTROLS] = {0.0f, 0.0f, 1.0f, 1.0f, 0.5f, 0.5f, 0.5f, 0.0f};

static HostWorld *hw;
static float noise[N];

typedef struct {
	LilvInstance *instance;
	SyncWorker worker;
	LV2_Feature map_f, log_f;
	const LV2_Feature *features[4];
	float controls[NUM_CONTROLS];
	float latency; // the latency output port
	uint64_t control_buf[ATOM_BYTES / 8], notify_buf[ATOM_BYTES / 8];
} Inst;

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}
static float rng_uniform(void) { return (float)rng_next() / 4294967296.0f; } // [0, 1)

// Instantiates with a subset of the features; nothing connected, not activated.
static Inst *inst_new(unsigned features)
{
	Inst *in = calloc(1, sizeof(*in));
	assert(in);
	sync_worker_init(&in->worker);
	in->map_f = (LV2_Feature){LV2_URID__map, &hw->map};
	in->log_f = (LV2_Feature){LV2_LOG__log, host_log()};
	int nf = 0;
	if (features & F_MAP)
		in->features[nf++] = &in->map_f;
	if (features & F_LOG)
		in->features[nf++] = &in->log_f;
	if (features & F_WORKER)
		in->features[nf++] = &in->worker.feature;
	in->features[nf] = NULL;
	in->instance = lilv_plugin_instantiate(hw->plugin, RATE, in->features);
	if (!in->instance) {
		fprintf(stderr, "FAIL: instantiation with features 0x%x\n", features);
		exit(1);
	}
	const LV2_Worker_Interface *iface =
		lilv_instance_get_extension_data(in->instance, LV2_WORKER__interface);
	sync_worker_attach(&in->worker, iface, lilv_instance_get_handle(in->instance));
	memcpy(in->controls, DEFAULTS, sizeof(DEFAULTS));
	return in;
}

static void inst_connect(Inst *in, const float *audio_in, float *audio_out)
{
	lilv_instance_connect_port(in->instance, LSTM_PORT_IN, (void *)audio_in);
	lilv_instance_connect_port(in->instance, LSTM_PORT_OUT, audio_out);
	lilv_instance_connect_port(in->instance, LSTM_PORT_CONTROL, in->control_buf);
	lilv_instance_connect_port(in->instance, LSTM_PORT_NOTIFY, in->notify_buf);
	for (uint32_t p = 0; p < NUM_CONTROLS; p++)
		lilv_instance_connect_port(in->instance, LSTM_PORT_IN_GAIN + p, &in->controls[p]);
	lilv_instance_connect_port(in->instance, LSTM_PORT_LATENCY, &in->latency);
}

// One block: empty control sequence, a notify buffer of full capacity, responses delivered.
static void inst_run(Inst *in, uint32_t n)
{
	LV2_Atom_Sequence *c = (LV2_Atom_Sequence *)in->control_buf;
	c->atom.type = hw->map.map(NULL, LV2_ATOM__Sequence);
	c->atom.size = sizeof(LV2_Atom_Sequence_Body);
	c->body.unit = c->body.pad = 0;
	LV2_Atom *notify = (LV2_Atom *)in->notify_buf;
	notify->type = hw->map.map(NULL, LV2_ATOM__Chunk);
	notify->size = ATOM_BYTES - sizeof(LV2_Atom);
	lilv_instance_run(in->instance, n);
	sync_worker_deliver(&in->worker);
}

static void inst_free(Inst *in, bool active)
{
	if (active)
		lilv_instance_deactivate(in->instance);
	lilv_instance_free(in->instance);
	free(in);
}

// Renders noise through a fresh, activated instance in blocks of `block` frames.
static void render(unsigned features, float *out, uint32_t block)
{
	Inst *in = inst_new(features);
	inst_connect(in, noise, out);
	lilv_instance_activate(in->instance);
	for (uint32_t pos = 0; pos < N; pos += block) {
		const uint32_t n = pos + block <= N ? block : N - pos;
		inst_connect(in, noise + pos, out + pos);
		inst_run(in, n);
	}
	inst_free(in, true);
}

static void assert_same(const float *a, const float *b, uint32_t n, const char *what)
{
	for (uint32_t t = 0; t < n; t++)
		if (memcmp(&a[t], &b[t], sizeof(float))) {
			fprintf(stderr, "FAIL: %s: frame %u: %.9g != %.9g\n", what, t, a[t], b[t]);
			exit(1);
		}
}

static void test_instantiate_cleanup(void)
{
	for (unsigned f = 0; f <= F_ALL; f++) {
		Inst *in = inst_new(f);
		inst_free(in, false);
		in = inst_new(f);
		float buf[64] = {0};
		inst_connect(in, buf, buf);
		inst_free(in, false);
	}
	printf("instantiate + cleanup without activate: 8 feature subsets ok\n");
}

static void test_features_missing(float *ref)
{
	float *out = malloc(N * sizeof(float));
	for (unsigned f = 0; f < F_ALL; f++) {
		render(f, out, 256);
		char what[64];
		snprintf(what, sizeof(what), "features 0x%x against all features", f);
		assert_same(out, ref, N, what);
	}
	uint32_t differ = 0;
	for (uint32_t t = 0; t < N; t++)
		differ += ref[t] != noise[t];
	assert(differ > N / 2); // the model plays: not a pass-through
	free(out);
	printf("each optional feature missing: same output bit for bit (8 subsets)\n");
}

static void test_activate_cycle(const float *ref)
{
	float *out = malloc(N * sizeof(float));
	Inst *in = inst_new(F_ALL);
	inst_connect(in, noise, out);
	for (int round = 0; round < 3; round++) {
		lilv_instance_activate(in->instance);
		for (uint32_t pos = 0; pos < N; pos += 256) {
			inst_connect(in, noise + pos, out + pos);
			inst_run(in, 256 < N - pos ? 256 : N - pos);
		}
		lilv_instance_deactivate(in->instance);
		assert_same(out, ref, N, "activate after running restores the initial state");
	}
	inst_free(in, false);
	free(out);
	printf("activate, deactivate, activate: each round identical to a fresh instance\n");
}

static void test_connect_and_zero(const float *ref)
{
	float *a = malloc(N * sizeof(float)), *b = malloc(N * sizeof(float));
	for (uint32_t t = 0; t < N; t++)
		a[t] = b[t] = 12345.0f; // sentinels
	Inst *in = inst_new(F_ALL);
	inst_connect(in, noise, a); // before activate
	lilv_instance_activate(in->instance);
	inst_run(in, 0);
	const uint32_t half = N / 2;
	inst_run(in, half);
	// After activate: the output moves to b (offset so sample t lands at b[t]).
	inst_connect(in, noise + half, b + half);
	inst_run(in, 0);
	inst_run(in, half);
	inst_run(in, 0);
	for (uint32_t t = half; t < N; t++)
		assert(a[t] == 12345.0f); // the old buffer is not written after the move
	for (uint32_t t = 0; t < half; t++)
		assert(b[t] == 12345.0f);
	memcpy(b, a, half * sizeof(float));
	assert_same(b, ref, N, "connect_port after activate, run(0) between blocks");
	inst_free(in, true);

	// In place: input and output on the same buffer.
	memcpy(a, noise, N * sizeof(float));
	in = inst_new(F_ALL);
	inst_connect(in, a, a);
	lilv_instance_activate(in->instance);
	for (uint32_t pos = 0; pos < N; pos += 100) {
		inst_connect(in, a + pos, a + pos);
		inst_run(in, 100 < N - pos ? 100 : N - pos);
	}
	assert_same(a, ref, N, "in place");
	inst_free(in, true);
	free(a);
	free(b);
	printf("connect_port before/after activate, run(0), in place: identical\n");
}

// A random control value: in range, far out of range, NaN, +-Inf, subnormal or zero.
static float wild_value(float lo, float hi)
{
	switch (rng_next() % 8) {
	case 0: return NAN;
	case 1: return INFINITY;
	case 2: return -INFINITY;
	case 3: return (rng_uniform() - 0.5f) * 2e6f;
	case 4: return 1e-42f;
	default: return lo + (hi - lo) * rng_uniform();
	}
}

static const float LO[NUM_CONTROLS] = {-24, -24, 0, 0, 0, 0, 0, 0};
static const float HI[NUM_CONTROLS] = {24, 24, 1, 1, 1, 1, 1, 2};

// Control fuzz, played into two instances at once (determinism).
static void test_control_fuzz(void)
{
	float *a = malloc(N * 5 * sizeof(float)), *b = malloc(N * 5 * sizeof(float));
	float *x = malloc(N * 5 * sizeof(float));
	for (uint32_t t = 0; t < 5 * N; t++)
		x[t] = noise[t % N] * (t / N % 2 ? 2.0f : 0.5f);
	Inst *p = inst_new(F_ALL), *q = inst_new(F_ALL);
	inst_connect(p, x, a);
	inst_connect(q, x, b);
	lilv_instance_activate(p->instance);
	lilv_instance_activate(q->instance);
	float peak = 0.0f;
	uint32_t odd = 0;
	for (uint32_t pos = 0; pos < 5 * N; pos += 32) {
		for (int c = 0; c < NUM_CONTROLS; c++) {
			// A rate-mode change rebuilds the model on the worker (a file load and its
			// self-test): fuzz it every 64th block so the test stays quick under sanitizers.
			if (c == NUM_CONTROLS - 1 && (pos / 32) % 64 != 0)
				continue;
			const float v = wild_value(LO[c], HI[c]);
			odd += !(v >= LO[c] && v <= HI[c]);
			p->controls[c] = q->controls[c] = v;
		}
		inst_connect(p, x + pos, a + pos);
		inst_connect(q, x + pos, b + pos);
		inst_run(p, 32);
		inst_run(q, 32);
		for (uint32_t t = pos; t < pos + 32; t++) {
			if (!isfinite(a[t]) || fabsf(a[t]) > OUT_BOUND) {
				fprintf(stderr, "FAIL: control fuzz: frame %u: output %g\n", t, a[t]);
				exit(1);
			}
			peak = fmaxf(peak, fabsf(a[t]));
		}
	}
	assert(odd > 5 * N / 32); // many values were out of range or not finite
	assert(peak > 0.01f);     // and the plugin was not silent all along
	assert_same(a, b, 5 * N, "two instances, same input and controls");
	inst_free(p, true);
	inst_free(q, true);
	free(a);
	free(b);
	free(x);
	printf("control fuzz (%u odd values in %u blocks of 32): finite, peak %.3f <= %.0f; "
	       "two instances bit-identical\n",
	       odd, 5 * N / 32, peak, OUT_BOUND);
}

// Out-of-range values play exactly as the clamped ones (NaN as the minimum).
static void test_clamping(void)
{
	static const struct {
		int port;
		float wild, clamped;
	} cases[] = {
		{0, 1000.0f, 24.0f}, {0, INFINITY, 24.0f}, {0, -INFINITY, -24.0f}, {0, NAN, -24.0f},
		{1, 99.0f, 24.0f},   {1, -1e30f, -24.0f},  {1, NAN, -24.0f},       {2, 7.0f, 1.0f},
		{2, -3.0f, 0.0f},    {2, NAN, 0.0f},       {4, 5.0f, 1.0f},        {5, -5.0f, 0.0f},
		{6, INFINITY, 1.0f},
	};
	float *a = malloc(N * sizeof(float)), *b = malloc(N * sizeof(float));
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		float *outs[2] = {a, b};
		for (int v = 0; v < 2; v++) {
			Inst *in = inst_new(F_ALL);
			in->controls[cases[k].port] = v ? cases[k].clamped : cases[k].wild;
			inst_connect(in, noise, outs[v]);
			lilv_instance_activate(in->instance);
			for (uint32_t pos = 0; pos < N; pos += 480) {
				inst_connect(in, noise + pos, outs[v] + pos);
				inst_run(in, 480);
			}
			inst_free(in, true);
		}
		char what[96];
		snprintf(what, sizeof(what), "port %d at %g plays as %g", LSTM_PORT_IN_GAIN + cases[k].port,
		         cases[k].wild, cases[k].clamped);
		assert_same(a, b, N, what);
	}
	free(a);
	free(b);
	printf("controls clamped: %zu out-of-range values play exactly as their limits\n",
	       sizeof(cases) / sizeof(cases[0]));
}

// Output gain -24 -> +24 dB in one block on a steady 200 Hz sine: the largest step between
// frames must stay below STEP_BOUND = the settled output's own largest step at +24 dB plus the
// smoother's largest gain change per frame (g_hi - g_lo) / (tau * rate) times the wet peak,
// with 50 % margin. A hard cut would jump by about (g_hi - g_lo) times the wet peak.
static void test_gain_step(void)
{
	enum { LEN = 48000 };
	float *x = malloc(LEN * sizeof(float)), *y = malloc(LEN * sizeof(float));
	for (uint32_t t = 0; t < LEN; t++)
		x[t] = 0.3f * sinf(2.0f * 3.14159265f * 200.0f * (float)t / (float)RATE);
	Inst *in = inst_new(F_ALL);
	in->controls[1] = -24.0f;
	inst_connect(in, x, y);
	lilv_instance_activate(in->instance);
	const uint32_t step_at = LEN / 4;
	for (uint32_t pos = 0; pos < LEN; pos += 64) {
		if (pos == step_at)
			in->controls[1] = 24.0f;
		inst_connect(in, x + pos, y + pos);
		inst_run(in, 64);
	}
	inst_free(in, true);
	const float g_lo = powf(10.0f, -24.0f / 20.0f), g_hi = powf(10.0f, 24.0f / 20.0f);
	float wet_peak = 0.0f, settled_step = 0.0f, step = 0.0f;
	for (uint32_t t = 3 * LEN / 4; t < LEN; t++) {
		wet_peak = fmaxf(wet_peak, fabsf(y[t]) / g_hi);
		settled_step = fmaxf(settled_step, fabsf(y[t] - y[t - 1]));
	}
	for (uint32_t t = step_at; t < 3 * LEN / 4; t++)
		step = fmaxf(step, fabsf(y[t] - y[t - 1]));
	const float bound =
		1.5f * (settled_step + (g_hi - g_lo) * wet_peak / (float)(FX_SMOOTH_SECONDS * RATE));
	const float hard_cut = (g_hi - g_lo) * wet_peak;
	printf("gain step -24 -> +24 dB: largest jump %.3g, bound %.3g (settled %.3g, wet peak %.3g, "
	       "a hard cut would be ~%.3g)\n",
	       step, bound, settled_step, wet_peak, hard_cut);
	assert(wet_peak > 0.0f); // the placeholder models are quiet, but not silent
	assert(step <= bound);
	assert(bound < 0.5f * hard_cut);
	free(x);
	free(y);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <bundle-dir>\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	hw = host_world_new(argv[1]);
	for (uint32_t t = 0; t < N; t++)
		noise[t] = 0.5f * (2.0f * rng_uniform() - 1.0f);
	float *ref = malloc(N * sizeof(float));
	render(F_ALL, ref, 256);

	test_instantiate_cleanup();
	test_features_missing(ref);
	test_activate_cycle(ref);
	test_connect_and_zero(ref);
	test_control_fuzz();
	test_clamping();
	test_gain_step();

	free(ref);
	host_world_free(hw);
	printf("lv2 torture: all checks passed\n");
	return 0;
}
