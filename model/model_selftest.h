// SPDX-License-Identifier: ISC
// Running a model's reference pair (its self-test) through the engine. Worker thread or tools:
// builds a temporary network, so it allocates.
#ifndef LSTM_MODEL_SELFTEST_H
#define LSTM_MODEL_SELFTEST_H

#include "model_status.h"

#ifdef __cplusplus
extern "C" {
#endif

// Runs m on a probe signal (a tone and noise at about -12 dBFS, knobs at their defaults) and
// refuses it (MODEL_ERR_SELFTEST) when its output is not finite or is beyond any audio level.
// Then runs m's selftest input from the initial state with exact activations and compares with
// the selftest output. MODEL_OK when there is no pair or every sample is within the tolerance;
// MODEL_ERR_SELFTEST naming the largest error and where it is otherwise. max_error (may be
// NULL) receives the largest absolute difference.
ModelStatus model_selftest_run(const ModelDesc *m, double *max_error, ModelError *err);

// Runs the engine as the self-test does (exact activations, plain C: the same bits on every
// CPU) over input [frames][inputs] from the initial state, into out [frames]. The one way the
// project renders a model for a reference.
ModelStatus model_render_exact(const ModelDesc *m, const float *input, long frames, float *out,
                               ModelError *err);

// Fills m's selftest pair by running the engine (exact activations) on input [frames][inputs].
// Returns MODEL_OK or an error (memory, invalid model).
ModelStatus model_selftest_fill(ModelDesc *m, const float *input, int frames, ModelError *err);

#ifdef __cplusplus
}
#endif

#endif
