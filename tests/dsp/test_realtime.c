// SPDX-License-Identifier: ISC
// The audio-thread functions of the engine make no allocation, lock, wait, I/O, sleep or
// system call. The tripwire (rt_interposer.c, linked in) counts every such libc call made
// inside a real-time section; this test builds networks outside the section, then runs
// processing, single frames, reset, state get/set and the getters inside it, for every model
// shape, instruction set and activation provider, with ordinary and hostile input (NaN,
// infinities, denormals, huge values), and fails naming any function that was called.
// It first proves the tripwire fires, so that a pass means something.
#undef NDEBUG
#include "fixture.h"
#include "rt_interposer.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { FRAMES = 4096, MAX_STATE = 2 * MODEL_MAX_HIDDEN * MODEL_MAX_LAYERS };

static atomic_int worker_go, worker_done;

static void *worker_allocates(void *arg)
{
	(void)arg;
	while (!atomic_load(&worker_go))
		;
	for (int k = 0; k < 1000; k++)
		free(malloc(64 + (size_t)k));
	atomic_store(&worker_done, 1);
	return NULL;
}

static void test_tripwire(void)
{
	CHECK(rt_interposer_self_check() == 0, "the interposer does not see calls: this test "
	                                       "could never fail");

	// Calls from this file and from a shared library (jansson allocates through libc's
	// malloc symbol) are seen too; the plugin tests rely on the second.
	void *(*volatile do_malloc)(size_t) = malloc;
	void (*volatile do_free)(void *) = free;
	rt_violations_reset();
	rt_section_begin();
	do_free(do_malloc(100));
	json_t *obj = json_object();
	json_decref(obj);
	rt_section_end();
	char report[256];
	CHECK(rt_violation_count("malloc") >= 2 && rt_violation_count("free") >= 2,
	      "allocations from the test or from libjansson were not seen: %s",
	      rt_violation_report(report, sizeof report));
	CHECK(strcmp(rt_first_violation() ? rt_first_violation() : "", "malloc") == 0,
	      "first violation %s, expected malloc", rt_first_violation());

	// Another thread allocating while this one is inside its section is not counted.
	pthread_t worker;
	if (pthread_create(&worker, NULL, worker_allocates, NULL) != 0)
		abort();
	rt_violations_reset();
	rt_section_begin();
	atomic_store(&worker_go, 1);
	while (!atomic_load(&worker_done))
		;
	rt_section_end();
	CHECK(rt_violations() == 0, "a worker thread's allocations were counted: %s",
	      rt_violation_report(report, sizeof report));
	pthread_join(worker, NULL);
	rt_violations_reset();
}

// Everything the audio thread may call, in the order a host might.
static void audio_thread_work(LstmNet *net, float *const *chan, float *const *nasty, float *out,
                              float *state)
{
	static const uint32_t blocks[] = {1, 7, 64, 0, 512, 1000, 2, 128, 2048, 333};
	const float *in[MODEL_MAX_INPUTS];
	const int inputs = lstm_net_inputs(net);
	size_t t = 0;
	for (size_t b = 0; b < sizeof blocks / sizeof blocks[0] && t + blocks[b] <= FRAMES; b++) {
		for (int c = 0; c < inputs; c++)
			in[c] = chan[c] + t;
		lstm_net_process(net, in, out + t, blocks[b]);
		t += blocks[b];
	}
	float x[MODEL_MAX_INPUTS] = {0.25f, 0.5f, 0.5f, 0.5f};
	for (int k = 0; k < 16; k++)
		out[k] = lstm_net_process_frame(net, x);
	lstm_net_get_state(net, state);
	lstm_net_reset(net);
	lstm_net_set_state(net, state);
	out[0] += (float)lstm_net_state_is_finite(net) + (float)lstm_net_sample_rate(net)
	          + (float)lstm_net_state_size(net) + (float)lstm_net_memory_size(net)
	          + (float)lstm_net_isa(net) + (float)lstm_net_activations(net)
	          + (float)lstm_isa_supported(LSTM_ISA_AVX2) + (float)(lstm_isa_name(LSTM_ISA_AVX2)[0]);
	for (int c = 0; c < inputs; c++)
		in[c] = nasty[c];
	lstm_net_process(net, in, out, 256);
	if (!lstm_net_state_is_finite(net))
		lstm_net_reset(net);
	lstm_net_process(net, in, out, 0);
	lstm_net_reset(net);
}

static void test_shape(const FixtureShape *shape, uint32_t seed)
{
	ModelDesc m;
	fixture_model(&m, shape, seed);
	float *chan[MODEL_MAX_INPUTS], *nasty[MODEL_MAX_INPUTS];
	for (int c = 0; c < m.inputs; c++) {
		chan[c] = fixture_signal(FRAMES, c, seed);
		nasty[c] = fixture_floats(256);
		static const float odd[] = {NAN, INFINITY, -INFINITY, 1e-40f, -1e-42f, 1e30f, -1e30f, 0.0f};
		for (int t = 0; t < 256; t++)
			nasty[c][t] = t < 128 ? odd[(t + c) % 8] : 1e-39f * (float)(t % 5);
	}
	float *out = fixture_floats(FRAMES);
	float *state = fixture_floats(MAX_STATE);
	for (int p = 0; p < fixture_num_paths(); p++) {
		const FixturePath *path = fixture_path(p);
		LstmNet *net = fixture_net(&m, path);
		rt_violations_reset();
		rt_section_begin();
		audio_thread_work(net, chan, nasty, out, state);
		rt_section_end();
		char report[256];
		CHECK(rt_violations() == 0, "%s, %s: forbidden calls while processing: %s", shape->name,
		      path->name, rt_violation_report(report, sizeof report));
		lstm_net_destroy(net);
	}
	free(out);
	free(state);
	for (int c = 0; c < m.inputs; c++) {
		free(chan[c]);
		free(nasty[c]);
	}
	model_desc_free(&m);
}

int main(void)
{
	test_tripwire();
	for (int k = 0; k < fixture_num_shapes; k++)
		test_shape(&fixture_shapes[k], 700u + (uint32_t)k);
	return check_result();
}
