// SPDX-License-Identifier: ISC
// lstm_net_process() promises bit-identical output however a signal is cut into blocks. For
// every model shape, instruction set and activation provider: one call over the whole signal,
// one frame per call, lstm_net_process_frame(), random block sizes (0 included), and output
// written over the input in place must all give the same bits.
#undef NDEBUG
#include "fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FRAMES = 1500 };

typedef struct {
	float *chan[MODEL_MAX_INPUTS]; // [inputs][FRAMES]
	const float *ptrs[MODEL_MAX_INPUTS];
	int inputs;
} Signal;

static void signal_make(Signal *s, int inputs, uint32_t seed)
{
	s->inputs = inputs;
	for (int c = 0; c < inputs; c++) {
		s->chan[c] = fixture_signal(FRAMES, c, seed);
		s->ptrs[c] = s->chan[c];
	}
}

static void signal_free(Signal *s)
{
	for (int c = 0; c < s->inputs; c++)
		free(s->chan[c]);
}

// Index of the first frame where a and b differ in any bit, or -1.
static long first_difference(const float *a, const float *b, size_t n)
{
	for (size_t t = 0; t < n; t++)
		if (memcmp(&a[t], &b[t], sizeof(float)) != 0)
			return (long)t;
	return -1;
}

static void run_whole(const ModelDesc *m, const FixturePath *path, const Signal *s, float *out)
{
	LstmNet *net = fixture_net(m, path);
	lstm_net_process(net, s->ptrs, out, FRAMES);
	lstm_net_destroy(net);
}

// Blocks of random sizes from 0 to max_block; about one block in six is empty.
static void run_blocks(const ModelDesc *m, const FixturePath *path, const Signal *s, float *out,
                       uint32_t seed, uint32_t max_block)
{
	LstmNet *net = fixture_net(m, path);
	uint32_t rng = seed;
	size_t t = 0;
	while (t < FRAMES) {
		uint32_t n = fixture_uniform(&rng) < 1.0 / 6.0
		                 ? 0
		                 : 1 + (uint32_t)(fixture_uniform(&rng) * max_block);
		if (n > FRAMES - t)
			n = (uint32_t)(FRAMES - t);
		const float *in[MODEL_MAX_INPUTS];
		for (int c = 0; c < s->inputs; c++)
			in[c] = s->chan[c] + t;
		lstm_net_process(net, in, out + t, n);
		t += n;
	}
	lstm_net_destroy(net);
}

static void run_frames(const ModelDesc *m, const FixturePath *path, const Signal *s, float *out)
{
	LstmNet *net = fixture_net(m, path);
	for (size_t t = 0; t < FRAMES; t++) {
		float x[MODEL_MAX_INPUTS];
		for (int c = 0; c < s->inputs; c++)
			x[c] = s->chan[c][t];
		out[t] = lstm_net_process_frame(net, x);
	}
	lstm_net_destroy(net);
}

// The output buffer is the audio input buffer itself, cut into blocks as a host would.
static void run_in_place(const ModelDesc *m, const FixturePath *path, const Signal *s, float *out)
{
	LstmNet *net = fixture_net(m, path);
	memcpy(out, s->chan[0], FRAMES * sizeof(float));
	static const uint32_t sizes[] = {64, 1, 0, 127, 256, 3};
	size_t t = 0;
	for (int k = 0; t < FRAMES; k++) {
		uint32_t n = sizes[k % 6];
		if (n > FRAMES - t)
			n = (uint32_t)(FRAMES - t);
		const float *in[MODEL_MAX_INPUTS];
		in[0] = out + t;
		for (int c = 1; c < s->inputs; c++)
			in[c] = s->chan[c] + t;
		lstm_net_process(net, in, out + t, n);
		t += n;
	}
	lstm_net_destroy(net);
}

static void expect_same(const char *what, const char *shape, const FixturePath *path,
                        const float *ref, const float *got)
{
	long d = first_difference(ref, got, FRAMES);
	CHECK(d < 0, "%s, %s: %s differs from one whole call at frame %ld (%.9g vs %.9g)", shape,
	      path->name, what, d, d < 0 ? 0.0 : (double)got[d], d < 0 ? 0.0 : (double)ref[d]);
}

static void test_shape(const FixtureShape *shape, uint32_t seed)
{
	ModelDesc m;
	fixture_model(&m, shape, seed);
	Signal s;
	signal_make(&s, m.inputs, seed);
	float *ref = fixture_floats(FRAMES), *got = fixture_floats(FRAMES);
	for (int p = 0; p < fixture_num_paths(); p++) {
		const FixturePath *path = fixture_path(p);
		run_whole(&m, path, &s, ref);
		// A test signal that leaves the network silent or stuck would prove nothing.
		double peak = 0.0, moves = 0.0;
		for (size_t t = 0; t < FRAMES; t++) {
			CHECK(isfinite(ref[t]), "%s: output not finite at %zu", shape->name, t);
			peak = fmax(peak, fabs((double)ref[t]));
			if (t)
				moves += fabs((double)ref[t] - (double)ref[t - 1]);
		}
		CHECK(peak > 1e-3 && moves > 1e-2, "%s: the output hardly moves (peak %g)", shape->name,
		      peak);

		run_blocks(&m, path, &s, got, seed + 1, 1);
		expect_same("one frame per call", shape->name, path, ref, got);
		run_frames(&m, path, &s, got);
		expect_same("lstm_net_process_frame", shape->name, path, ref, got);
		for (uint32_t r = 0; r < 4; r++) {
			run_blocks(&m, path, &s, got, seed * 7 + r, r < 2 ? 17 : 700);
			expect_same("random blocks", shape->name, path, ref, got);
		}
		run_in_place(&m, path, &s, got);
		expect_same("in place", shape->name, path, ref, got);
	}
	free(ref);
	free(got);
	signal_free(&s);
	model_desc_free(&m);
}

// A call with n == 0 changes neither the state nor the output buffer.
static void test_empty_call(void)
{
	ModelDesc m;
	fixture_model(&m, &fixture_shapes[0], 5);
	for (int p = 0; p < fixture_num_paths(); p++) {
		LstmNet *a = fixture_net(&m, fixture_path(p));
		size_t n = lstm_net_state_size(a);
		float before[2 * MODEL_MAX_HIDDEN * MODEL_MAX_LAYERS],
			after[2 * MODEL_MAX_HIDDEN * MODEL_MAX_LAYERS];
		lstm_net_get_state(a, before);
		float x = 0.5f, y = 12345.0f;
		const float *in[MODEL_MAX_INPUTS] = {&x};
		lstm_net_process(a, in, &y, 0);
		lstm_net_get_state(a, after);
		CHECK(memcmp(before, after, n * sizeof(float)) == 0, "%s: n = 0 changed the state",
		      fixture_path(p)->name);
		CHECK(y == 12345.0f, "%s: n = 0 wrote the output", fixture_path(p)->name);
		lstm_net_destroy(a);
	}
	model_desc_free(&m);
}

int main(void)
{
	printf("paths:");
	for (int p = 0; p < fixture_num_paths(); p++)
		printf(" %s;", fixture_path(p)->name);
	printf("\n");
	for (int k = 0; k < fixture_num_shapes; k++)
		test_shape(&fixture_shapes[k], 100u + (uint32_t)k);
	test_empty_call();
	return check_result();
}
