// SPDX-License-Identifier: ISC
// Test helper compiled with -mavx512f -mavx512dq: the AVX-512 fast activations over an array.
#include "fast_math_probe.h"

#include "fast_math_avx512.h"

void probe_fast_avx512(const float *x, float *sig, float *th, size_t n)
{
	for (size_t k = 0; k < n; k += 16) {
		__m512 v = _mm512_loadu_ps(x + k);
		_mm512_storeu_ps(sig + k, fast_sigmoid_avx512(v));
		_mm512_storeu_ps(th + k, fast_tanh_avx512(v));
	}
}
