// SPDX-License-Identifier: ISC
// model_render: output equals the engine run directly on (input gain x audio, knob values),
// times the output gain, bit for bit; channels map to inputs by the documented rules; knob
// names and values are checked; an unstable model's non-finite output is refused. Also the
// strict knob and ISA parsers.
#undef NDEBUG
#include "model_render.h"
#include "tools_test_util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 10000

// Reference: the engine on explicit channels, levels applied around it.
static void reference(const ModelDesc *m, const float *const *ch, float *y)
{
	LstmNetOptions o = {LSTM_ACT_EXACT, LSTM_ISA_AUTO};
	ModelError e;
	LstmNet *net = lstm_net_create(m, &o, &e);
	assert(net);
	float gi = powf(10.0f, m->input_gain_db / 20.0f), go = powf(10.0f, m->output_gain_db / 20.0f);
	float *a = malloc(N * sizeof *a);
	assert(a);
	for (int t = 0; t < N; ++t)
		a[t] = ch[0][t] * gi;
	const float *in[MODEL_MAX_INPUTS] = {a, ch[1], ch[2], ch[3]};
	lstm_net_process(net, in, y, N);
	for (int t = 0; t < N; ++t)
		y[t] *= go;
	lstm_net_destroy(net);
	free(a);
}

static RenderOptions exact(const KnobSetting *k, int nk)
{
	RenderOptions r = {{LSTM_ACT_EXACT, LSTM_ISA_AUTO}, k, nk, 0, 0, 0};
	return r;
}

static void make_audio(AudioBuffer *a, int channels)
{
	assert(audio_buffer_alloc(a, N, channels, 48000.0) == 0);
	unsigned seed = 3;
	for (long i = 0; i < (long)N * channels; ++i)
		a->data[i] = 0.5f * tt_noise(&seed);
}

static void render_ok(const ModelDesc *m, const RenderOptions *o, const AudioBuffer *in,
                      AudioBuffer *out)
{
	char err[512] = "";
	if (model_render(m, o, in, "in.wav", out, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		assert(0);
	}
	assert(out->frames == in->frames && out->channels == 1 && out->sample_rate == in->sample_rate);
}

static void render_fail(const ModelDesc *m, const RenderOptions *o, const AudioBuffer *in,
                        const char *needle)
{
	char err[512] = "";
	AudioBuffer out;
	int rc = model_render(m, o, in, "in.wav", &out, err, sizeof err);
	if (rc != -1 || !strstr(err, needle)) {
		fprintf(stderr, "rc %d, message '%s', expected '%s'\n", rc, err, needle);
		assert(0);
	}
	assert(out.data == NULL);
}

static void test_mono_with_levels(void)
{
	ModelDesc m;
	tt_make_model(&m, 1, 6, 11);
	m.input_gain_db = 6.0f;
	m.output_gain_db = -3.0f;
	AudioBuffer in, out;
	make_audio(&in, 1);
	RenderOptions o = exact(NULL, 0);
	render_ok(&m, &o, &in, &out);
	float *want = malloc(N * sizeof *want);
	const float *ch[4] = {in.data, NULL, NULL, NULL};
	reference(&m, ch, want);
	assert(memcmp(want, out.data, N * sizeof *want) == 0);
	// The levels matter: without them the output differs.
	m.input_gain_db = m.output_gain_db = 0.0f;
	AudioBuffer plain;
	render_ok(&m, &o, &in, &plain);
	assert(memcmp(plain.data, out.data, N * sizeof(float)) != 0);
	audio_buffer_free(&plain);

	AudioBuffer st;
	make_audio(&st, 2);
	render_fail(&m, &o, &st, "in.wav: 2 channels, but the model takes 1 input (mono audio)");
	KnobSetting k = {"Gain", 0.5};
	RenderOptions ok = exact(&k, 1);
	render_fail(&m, &ok, &in, "--knob Gain: this model has no knobs");
	in.sample_rate = 44100.0;
	render_fail(&m, &o, &in, "in.wav: 44100 Hz, but the model was trained at 48000 Hz");
	o.ignore_rate = 1;
	render_ok(&m, &o, &in, &plain);
	audio_buffer_free(&plain);
	audio_buffer_free(&st);
	audio_buffer_free(&in);
	audio_buffer_free(&out);
	free(want);
	model_desc_free(&m);
}

static void test_knobs_fill_inputs(void)
{
	ModelDesc m;
	tt_make_model(&m, 3, 5, 12);
	AudioBuffer in, out;
	make_audio(&in, 1);
	float *k1 = malloc(N * sizeof *k1), *k2 = malloc(N * sizeof *k2),
		  *want = malloc(N * sizeof *want);
	assert(k1 && k2 && want);

	// Defaults: Gain 0.5, Tone 0.
	RenderOptions o = exact(NULL, 0);
	render_ok(&m, &o, &in, &out);
	for (int t = 0; t < N; ++t) {
		k1[t] = 0.5f;
		k2[t] = 0.0f;
	}
	const float *ch[4] = {in.data, k1, k2, NULL};
	reference(&m, ch, want);
	assert(memcmp(want, out.data, N * sizeof *want) == 0);
	audio_buffer_free(&out);

	// By name (any case) and by position.
	KnobSetting ks[2] = {{"gain", 0.8}, {"2", -0.4}};
	o = exact(ks, 2);
	render_ok(&m, &o, &in, &out);
	for (int t = 0; t < N; ++t) {
		k1[t] = 0.8f;
		k2[t] = -0.4f;
	}
	reference(&m, ch, want);
	assert(memcmp(want, out.data, N * sizeof *want) == 0);
	audio_buffer_free(&out);
	KnobSetting kk[1] = {{"knob2", -0.4}};
	o = exact(kk, 1);
	render_ok(&m, &o, &in, &out);
	for (int t = 0; t < N; ++t)
		k1[t] = 0.5f;
	reference(&m, ch, want);
	assert(memcmp(want, out.data, N * sizeof *want) == 0);
	audio_buffer_free(&out);

	KnobSetting bad[1] = {{"Drive", 0.5}};
	o = exact(bad, 1);
	render_fail(&m, &o, &in,
	            "--knob Drive: the model has no knob of that name (knobs: 'Gain', 'Tone')");
	KnobSetting far[1] = {{"Tone", 1.5}};
	o = exact(far, 1);
	render_fail(&m, &o, &in, "--knob Tone=1.5: outside the knob's range -1..1");
	KnobSetting third[1] = {{"3", 0.5}};
	o = exact(third, 1);
	render_fail(&m, &o, &in, "--knob 3: the model has no knob of that name");

	// A file with one channel per input feeds them directly; knobs are then refused.
	AudioBuffer in3;
	make_audio(&in3, 3);
	o = exact(NULL, 0);
	render_ok(&m, &o, &in3, &out);
	float *c[3];
	for (int k = 0; k < 3; ++k) {
		c[k] = malloc(N * sizeof(float));
		for (int t = 0; t < N; ++t)
			c[k][t] = in3.data[3 * t + k];
	}
	const float *ch3[4] = {c[0], c[1], c[2], NULL};
	reference(&m, ch3, want);
	assert(memcmp(want, out.data, N * sizeof *want) == 0);
	audio_buffer_free(&out);
	o = exact(ks, 1);
	render_fail(&m, &o, &in3, "the file has a channel for every model input");
	AudioBuffer in2;
	make_audio(&in2, 2);
	o = exact(NULL, 0);
	render_fail(&m, &o, &in2, "in.wav: 2 channels, but the model takes 3 inputs");

	for (int k = 0; k < 3; ++k)
		free(c[k]);
	audio_buffer_free(&in);
	audio_buffer_free(&in2);
	audio_buffer_free(&in3);
	free(k1);
	free(k2);
	free(want);
	model_desc_free(&m);
}

static void test_unstable_output(void)
{
	ModelDesc m;
	tt_make_model(&m, 1, 4, 13);
	for (int i = 0; i < 4; ++i)
		m.dense[0].w[i] = 3e38f;
	m.dense[0].b[0] = 3e38f;
	m.output_gain_db = 100.0f;
	AudioBuffer in;
	make_audio(&in, 1);
	RenderOptions o = exact(NULL, 0);
	render_fail(&m, &o, &in, "in.wav: the model's output is not finite at frame ");
	audio_buffer_free(&in);
	model_desc_free(&m);
}

static void test_parsers(void)
{
	KnobSetting k;
	char err[256];
	assert(render_knob_parse("Gain=0.25", &k, err, sizeof err) == 0);
	assert(strcmp(k.name, "Gain") == 0 && k.value == 0.25);
	assert(render_knob_parse("Tone=-1e-1", &k, err, sizeof err) == 0 && k.value == -0.1);
	static const char *const bad[] = {"gain=abc", "gain=",    "=1",        "gain", "gain=1e999",
	                                  "gain=nan", "gain=inf", "gain=0.5x", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
		err[0] = '\0';
		assert(render_knob_parse(bad[i], &k, err, sizeof err) == -1);
		assert(strstr(err, "--knob"));
	}
	assert(render_knob_parse("gain=abc", &k, err, sizeof err) == -1);
	assert(strstr(err, "--knob gain=abc: 'abc' is not a number"));

	LstmIsa isa;
	assert(render_isa_parse("scalar", &isa, err, sizeof err) == 0 && isa == LSTM_ISA_SCALAR);
	assert(render_isa_parse("auto", &isa, err, sizeof err) == 0 && isa == LSTM_ISA_AUTO);
	assert(render_isa_parse("sse9", &isa, err, sizeof err) == -1);
	assert(strstr(err, "--isa sse9: unknown"));
}

int main(void)
{
	test_mono_with_levels();
	test_knobs_fill_inputs();
	test_unstable_output();
	test_parsers();
	return 0;
}
