// SPDX-License-Identifier: ISC
// Scalar versions of the fast activations. Placeholder accuracy: these call libm until the
// vectorised approximations land; the SIMD kernels must match these within the documented error.
#ifndef LSTM_FAST_MATH_H
#define LSTM_FAST_MATH_H

#include <math.h>

static inline float fast_sigmoid(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

static inline float fast_tanh(float x)
{
	return tanhf(x);
}

#endif
