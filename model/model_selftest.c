// SPDX-License-Identifier: ISC
// Self-test pairs: checking a model against its stored reference output, and making one.
#include "model_selftest.h"

#include "lstm_net.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Runs input [frames][inputs] through a fresh exact-activation scalar network into out.
ModelStatus model_render_exact(const ModelDesc *m, const float *input, long frames, float *out,
                               ModelError *err)
{
	LstmNetOptions opt = {LSTM_ACT_EXACT, LSTM_ISA_SCALAR};
	LstmNet *net = lstm_net_create(m, &opt, err);
	if (!net)
		return err ? err->status : MODEL_ERR_VALUE;
	for (long t = 0; t < frames; t++)
		out[t] = lstm_net_process_frame(net, input + (size_t)t * (size_t)m->inputs);
	lstm_net_destroy(net);
	return MODEL_OK;
}

// The probe every model is run on at load: a tone with a little noise at about -12 dBFS, the
// knobs at their defaults. Long enough for an overflowing weight to show, short enough that
// the largest legal network loads in a fraction of a second.
#define PROBE_FRAMES 512
// No audio is 80 dB over full scale: a model that gets there on ordinary input is broken.
#define PROBE_MAX_OUTPUT 1e4f

static ModelStatus probe(const ModelDesc *m, ModelError *err)
{
	float *in = malloc((size_t)PROBE_FRAMES * (size_t)m->inputs * sizeof(float));
	float *out = malloc(PROBE_FRAMES * sizeof(float));
	ModelStatus st = MODEL_OK;
	if (!in || !out) {
		st = model_error_set(err, MODEL_ERR_NOMEM, "probe: out of memory");
		goto done;
	}
	uint32_t r = 1u;
	for (int t = 0; t < PROBE_FRAMES; t++) {
		r = r * 1664525u + 1013904223u;
		float *x = in + (size_t)t * (size_t)m->inputs;
		x[0] = 0.2f * sinf(2.0f * 3.14159265f * 440.0f * (float)t / (float)m->sample_rate)
		       + 0.05f * ((float)(r >> 8) / 8388608.0f - 1.0f);
		for (int k = 1; k < m->inputs; k++)
			x[k] = k - 1 < m->num_controls ? m->controls[k - 1].def : 0.5f;
	}
	st = model_render_exact(m, in, PROBE_FRAMES, out, err);
	for (int t = 0; !st && t < PROBE_FRAMES; t++) {
		if (!isfinite(out[t]))
			st = model_error_set(err, MODEL_ERR_SELFTEST,
			                     "the output is not finite (NaN or "
			                     "infinite) from frame %d of a test tone at -12 dBFS: the "
			                     "model's weights overflow",
			                     t);
		else if (fabsf(out[t]) > PROBE_MAX_OUTPUT)
			st = model_error_set(err, MODEL_ERR_SELFTEST,
			                     "the output reaches %.3g (%.0f dBFS) "
			                     "at frame %d of a test tone at -12 dBFS: no device is that loud",
			                     (double)out[t], 20.0 * log10(fabs((double)out[t])), t);
	}
done:
	free(in);
	free(out);
	return st;
}

ModelStatus model_selftest_run(const ModelDesc *m, double *max_error, ModelError *err)
{
	if (max_error)
		*max_error = 0.0;
	ModelStatus pst = probe(m, err);
	if (pst)
		return pst;
	if (m->selftest_frames <= 0)
		return MODEL_OK;
	float *out = malloc((size_t)m->selftest_frames * sizeof(float));
	if (!out)
		return model_error_set(err, MODEL_ERR_NOMEM, "selftest: out of memory");
	ModelStatus st = model_render_exact(m, m->selftest_input, m->selftest_frames, out, err);
	if (st) {
		free(out);
		return st;
	}
	double worst = 0.0;
	int where = 0;
	for (int t = 0; t < m->selftest_frames; t++) {
		double d = fabs((double)out[t] - (double)m->selftest_output[t]);
		if (!(d <= worst)) { // also catches NaN
			worst = d;
			where = t;
			if (isnan(d))
				break;
		}
	}
	free(out);
	if (max_error)
		*max_error = worst;
	if (!(worst <= (double)m->selftest_tolerance))
		return model_error_set(err, MODEL_ERR_SELFTEST,
		                       "selftest: output differs from the reference by %.3g at frame %d "
		                       "(tolerance %.3g)",
		                       worst, where, (double)m->selftest_tolerance);
	return MODEL_OK;
}

ModelStatus model_selftest_fill(ModelDesc *m, const float *input, int frames, ModelError *err)
{
	if (frames < 1 || frames > MODEL_MAX_SELFTEST_FRAMES)
		return model_error_set(err, MODEL_ERR_RANGE, "selftest: %d frames, expected 1 to %d",
		                       frames, MODEL_MAX_SELFTEST_FRAMES);
	size_t n = (size_t)frames * (size_t)m->inputs;
	float *in = malloc(n * sizeof(float));
	float *out = malloc((size_t)frames * sizeof(float));
	if (!in || !out) {
		free(in);
		free(out);
		return model_error_set(err, MODEL_ERR_NOMEM, "selftest: out of memory");
	}
	memcpy(in, input, n * sizeof(float));
	// Validate with no pair attached, so a stale pair does not get in the way.
	ModelDesc bare = *m;
	bare.selftest_frames = 0;
	ModelStatus st = model_render_exact(&bare, in, frames, out, err);
	if (st) {
		free(in);
		free(out);
		return st;
	}
	free(m->selftest_input);
	free(m->selftest_output);
	m->selftest_input = in;
	m->selftest_output = out;
	m->selftest_frames = frames;
	return MODEL_OK;
}
