// SPDX-License-Identifier: ISC
// Test helper compiled with -mavx2 -mfma: the AVX2 fast activations over an array.
#include "fast_math_probe.h"

#include "fast_math_avx2.h"

void probe_fast_avx2(const float *x, float *sig, float *th, size_t n)
{
	for (size_t k = 0; k < n; k += 8) {
		__m256 v = _mm256_loadu_ps(x + k);
		_mm256_storeu_ps(sig + k, fast_sigmoid_avx2(v));
		_mm256_storeu_ps(th + k, fast_tanh_avx2(v));
	}
}
