// SPDX-License-Identifier: ISC
// Self-test pairs: checking a model against its stored reference output, and making one.
#include "model_selftest.h"

#include "lstm_net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// Runs input [frames][inputs] through a fresh exact-activation scalar network into out.
static ModelStatus render(const ModelDesc *m, const float *input, int frames, float *out,
                          ModelError *err)
{
	LstmNetOptions opt = {LSTM_ACT_EXACT, LSTM_ISA_SCALAR};
	LstmNet *net = lstm_net_create(m, &opt, err);
	if (!net)
		return err ? err->status : MODEL_ERR_VALUE;
	for (int t = 0; t < frames; t++)
		out[t] = lstm_net_process_frame(net, input + (size_t)t * (size_t)m->inputs);
	lstm_net_destroy(net);
	return MODEL_OK;
}

ModelStatus model_selftest_run(const ModelDesc *m, double *max_error, ModelError *err)
{
	if (max_error)
		*max_error = 0.0;
	if (m->selftest_frames <= 0)
		return MODEL_OK;
	float *out = malloc((size_t)m->selftest_frames * sizeof(float));
	if (!out)
		return model_error_set(err, MODEL_ERR_NOMEM, "selftest: out of memory");
	ModelStatus st = render(m, m->selftest_input, m->selftest_frames, out, err);
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
	ModelStatus st = render(&bare, in, frames, out, err);
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
