// SPDX-License-Identifier: ISC
// lstm_net_reset() returns a network to its initial state h0/c0: the output after a reset is
// bit for bit that of a fresh network. The state getters and setters round-trip: a network
// given another's state continues exactly as the other does. lstm_net_state_is_finite() sees
// a poisoned state.
#undef NDEBUG
#include "fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FRAMES = 1000, MAX_STATE = 2 * MODEL_MAX_HIDDEN * MODEL_MAX_LAYERS };

static void run(LstmNet *net, float *const *chan, size_t offset, float *out, uint32_t n)
{
	const float *in[MODEL_MAX_INPUTS];
	for (int c = 0; c < lstm_net_inputs(net); c++)
		in[c] = chan[c] + offset;
	lstm_net_process(net, in, out, n);
}

// What lstm_net_get_state() must give from the initial state: h0 then c0, layer by layer.
static size_t initial_state(const ModelDesc *m, float *out)
{
	size_t n = 0;
	for (int k = 0; k < m->num_layers; k++) {
		const RecurrentLayerDesc *l = &m->layers[k];
		for (int u = 0; u < l->hidden; u++)
			out[n++] = l->h0 ? l->h0[u] : 0.0f;
		for (int u = 0; u < l->hidden; u++)
			out[n++] = l->c0 ? l->c0[u] : 0.0f;
	}
	return n;
}

static void test_shape(const FixtureShape *shape, uint32_t seed)
{
	ModelDesc m;
	fixture_model(&m, shape, seed);
	float *chan[MODEL_MAX_INPUTS];
	for (int c = 0; c < m.inputs; c++)
		chan[c] = fixture_signal(2 * FRAMES, c, seed);
	float *a = fixture_floats(FRAMES), *b = fixture_floats(FRAMES);
	float init[MAX_STATE], st[MAX_STATE], st2[MAX_STATE];
	size_t nstate = initial_state(&m, init);

	for (int p = 0; p < fixture_num_paths(); p++) {
		const FixturePath *path = fixture_path(p);
		LstmNet *net = fixture_net(&m, path);
		LstmNet *fresh = fixture_net(&m, path);
		CHECK(lstm_net_state_size(net) == nstate, "%s: state size %zu, expected %zu", shape->name,
		      lstm_net_state_size(net), nstate);
		lstm_net_get_state(net, st);
		CHECK(memcmp(st, init, nstate * sizeof(float)) == 0,
		      "%s %s: a new network does not start at h0/c0", shape->name, path->name);

		// Drive the state far from h0/c0, then reset.
		run(net, chan, 0, a, FRAMES);
		lstm_net_get_state(net, st);
		CHECK(memcmp(st, init, nstate * sizeof(float)) != 0,
		      "%s: the state did not move, the test proves nothing", shape->name);
		CHECK(lstm_net_state_is_finite(net), "%s %s: state not finite", shape->name, path->name);
		lstm_net_reset(net);
		lstm_net_get_state(net, st);
		CHECK(memcmp(st, init, nstate * sizeof(float)) == 0, "%s %s: reset does not restore h0/c0",
		      shape->name, path->name);
		run(net, chan, FRAMES, a, FRAMES);
		run(fresh, chan, FRAMES, b, FRAMES);
		CHECK(memcmp(a, b, FRAMES * sizeof(float)) == 0,
		      "%s %s: output after reset differs from a fresh network", shape->name, path->name);

		// Two resets in a row are one reset.
		lstm_net_reset(net);
		lstm_net_reset(net);
		run(net, chan, FRAMES, a, FRAMES);
		CHECK(memcmp(a, b, FRAMES * sizeof(float)) == 0, "%s %s: a double reset differs",
		      shape->name, path->name);

		// Round trip: take net's state half-way, give it to fresh (whose own state is
		// elsewhere), and both must continue identically.
		lstm_net_reset(net);
		run(net, chan, 0, a, FRAMES / 2);
		lstm_net_get_state(net, st);
		lstm_net_set_state(fresh, st);
		lstm_net_get_state(fresh, st2);
		CHECK(memcmp(st, st2, nstate * sizeof(float)) == 0,
		      "%s %s: get_state after set_state differs", shape->name, path->name);
		run(net, chan, FRAMES / 2, a, FRAMES);
		run(fresh, chan, FRAMES / 2, b, FRAMES);
		CHECK(memcmp(a, b, FRAMES * sizeof(float)) == 0,
		      "%s %s: a network given another's state does not continue like it", shape->name,
		      path->name);

		// A state with a NaN in the last layer's h is seen as not finite; reset heals it.
		lstm_net_get_state(net, st);
		size_t last_h = nstate - 2 * (size_t)m.layers[m.num_layers - 1].hidden;
		st[last_h] = NAN;
		lstm_net_set_state(net, st);
		CHECK(!lstm_net_state_is_finite(net), "%s %s: NaN state reported finite", shape->name,
		      path->name);
		if (m.layers[m.num_layers - 1].cell != CELL_GRU) {
			st[last_h] = 0.0f;
			st[nstate - 1] = INFINITY; // the last layer's c
			lstm_net_set_state(net, st);
			CHECK(!lstm_net_state_is_finite(net), "%s %s: infinite c reported finite", shape->name,
			      path->name);
		}
		lstm_net_reset(net);
		CHECK(lstm_net_state_is_finite(net), "%s %s: reset left a non-finite state", shape->name,
		      path->name);

		lstm_net_destroy(net);
		lstm_net_destroy(fresh);
	}
	free(a);
	free(b);
	for (int c = 0; c < m.inputs; c++)
		free(chan[c]);
	model_desc_free(&m);
}

int main(void)
{
	for (int k = 0; k < fixture_num_shapes; k++)
		test_shape(&fixture_shapes[k], 300u + (uint32_t)k);
	return check_result();
}
