// SPDX-License-Identifier: ISC
// Same model, same input, same options: same bits, whichever network instance runs it, whether
// the description still exists, and whatever floating-point mode the caller left set. Also the
// small promises of the API: destroy(NULL) is a no-op, the getters report the options, a
// network refuses what it cannot run.
#undef NDEBUG
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
enum { MXCSR_FTZ_DAZ = 0x8040, MXCSR_FLAGS = 0x3f };
#endif

enum { FRAMES = 1200 };

static void run(LstmNet *net, float *const *chan, float *out)
{
	const float *in[MODEL_MAX_INPUTS];
	for (int c = 0; c < lstm_net_inputs(net); c++)
		in[c] = chan[c];
	lstm_net_process(net, in, out, FRAMES);
}

static void test_shape(const FixtureShape *shape, uint32_t seed)
{
	ModelDesc m, keep;
	fixture_model(&m, shape, seed);
	if (model_desc_copy(&keep, &m) != 0)
		abort();
	float *chan[MODEL_MAX_INPUTS];
	for (int c = 0; c < m.inputs; c++)
		chan[c] = fixture_signal(FRAMES, c, seed);
	float *a = fixture_floats(FRAMES), *b = fixture_floats(FRAMES);
	for (int p = 0; p < fixture_num_paths(); p++) {
		const FixturePath *path = fixture_path(p);
		LstmNet *n1 = fixture_net(&m, path);
		LstmNet *n2 = fixture_net(&m, path);
		CHECK(lstm_net_isa(n1) == path->isa && lstm_net_activations(n1) == path->act,
		      "%s: the getters do not report the options", shape->name);
		CHECK(lstm_net_inputs(n1) == m.inputs && lstm_net_sample_rate(n1) == m.sample_rate,
		      "%s: inputs or sample rate wrong", shape->name);
		CHECK(lstm_net_memory_size(n1) > 0, "%s: memory size 0", shape->name);
		run(n1, chan, a);
		run(n2, chan, b);
		CHECK(memcmp(a, b, FRAMES * sizeof(float)) == 0,
		      "%s %s: two networks from one model differ", shape->name, path->name);

		// The network keeps its own copy: freeing the description changes nothing.
		ModelDesc tmp;
		if (model_desc_copy(&tmp, &m) != 0)
			abort();
		LstmNet *n3 = fixture_net(&tmp, path);
		model_desc_free(&tmp);
		run(n3, chan, b);
		CHECK(memcmp(a, b, FRAMES * sizeof(float)) == 0,
		      "%s %s: a network whose description was freed differs", shape->name, path->name);

#ifdef HAVE_MXCSR
		// The caller's flush-to-zero setting must not change the output, and the
		// caller's modes (rounding, exception masks, flush-to-zero) come back as they
		// were, whatever they were. The six sticky exception flags may gain bits, as
		// after any float arithmetic: restoring them would cost a register write per
		// call even when the caller already flushes denormals.
		const unsigned int saved = _mm_getcsr();
		static const unsigned int modes[] = {0x1f80, 0x1f80 | MXCSR_FTZ_DAZ, 0x1f80 | 0x8000,
		                                     0x1f80 | 0x0040};
		for (int md = 0; md < 4; md++) {
			_mm_setcsr(modes[md]);
			lstm_net_reset(n3);
			run(n3, chan, b);
			const unsigned int after = _mm_getcsr() & ~MXCSR_FLAGS;
			_mm_setcsr(saved);
			CHECK(after == modes[md], "%s %s: MXCSR %#x came back as %#x", shape->name, path->name,
			      modes[md], after);
			CHECK(memcmp(a, b, FRAMES * sizeof(float)) == 0,
			      "%s %s: output depends on the caller's MXCSR %#x", shape->name, path->name,
			      modes[md]);
		}
#endif
		lstm_net_destroy(n1);
		lstm_net_destroy(n2);
		lstm_net_destroy(n3);
	}
	// Building networks left the description as it was.
	for (int k = 0; k < m.num_layers; k++) {
		const RecurrentLayerDesc *x = &m.layers[k], *y = &keep.layers[k];
		size_t gh = (size_t)model_cell_gates(x->cell) * (size_t)x->hidden;
		CHECK(memcmp(x->w_ih, y->w_ih, gh * (size_t)x->inputs * sizeof(float)) == 0
		          && memcmp(x->w_hh, y->w_hh, gh * (size_t)x->hidden * sizeof(float)) == 0,
		      "%s: lstm_net_create changed the description", shape->name);
	}
	free(a);
	free(b);
	for (int c = 0; c < m.inputs; c++)
		free(chan[c]);
	model_desc_free(&m);
	model_desc_free(&keep);
}

static void test_api_edges(void)
{
	lstm_net_destroy(NULL);
	model_desc_free(NULL);

	LstmNetOptions def = lstm_net_default_options();
	CHECK(def.activations == LSTM_ACT_FAST && def.isa == LSTM_ISA_AUTO,
	      "default options are not fast + auto");
	CHECK(lstm_isa_supported(LSTM_ISA_SCALAR) && lstm_isa_supported(LSTM_ISA_AUTO),
	      "scalar or auto reported unsupported");

	ModelDesc m;
	fixture_model(&m, &fixture_shapes[1], 9);
	ModelError err;
	LstmNet *net = lstm_net_create(&m, NULL, &err);
	CHECK(net != NULL, "create with NULL options failed: %s", err.message);
	if (net) {
		LstmIsa isa = lstm_net_isa(net);
		CHECK(isa != LSTM_ISA_AUTO && lstm_isa_supported(isa), "auto resolved to %s",
		      lstm_isa_name(isa));
		CHECK(lstm_net_activations(net) == LSTM_ACT_FAST, "NULL options are not fast");
		lstm_net_destroy(net);
	}

	static const LstmIsa all[] = {LSTM_ISA_AVX2, LSTM_ISA_AVX512};
	for (int k = 0; k < 2; k++) {
		if (lstm_isa_supported(all[k]))
			continue;
		LstmNetOptions opt = {LSTM_ACT_EXACT, all[k]};
		err.status = MODEL_OK;
		net = lstm_net_create(&m, &opt, &err);
		CHECK(net == NULL && err.status != MODEL_OK, "an unsupported ISA (%s) was accepted",
		      lstm_isa_name(all[k]));
		lstm_net_destroy(net);
	}
	LstmNetOptions bad = {(LstmActivations)7, LSTM_ISA_SCALAR};
	net = lstm_net_create(&m, &bad, &err);
	CHECK(net == NULL && err.status != MODEL_OK, "unknown activations accepted");
	lstm_net_destroy(net);

	// An invalid description: the error names the part, and no network is made.
	m.layers[0].hidden = 0;
	net = lstm_net_create(&m, NULL, &err);
	CHECK(net == NULL && err.status == MODEL_ERR_RANGE && strstr(err.message, "layers[0].hidden"),
	      "hidden 0: got status %d, \"%s\"", (int)err.status, err.message);
	lstm_net_destroy(net);
	m.layers[0].hidden = 8;
	model_desc_free(&m);
}

int main(void)
{
	for (int k = 0; k < fixture_num_shapes; k++)
		test_shape(&fixture_shapes[k], 500u + (uint32_t)k);
	test_api_edges();
	return check_result();
}
