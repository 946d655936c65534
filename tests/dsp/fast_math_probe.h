// SPDX-License-Identifier: ISC
// Test helpers: apply each fast activation to an array, one implementation per function. The
// vector ones live in files compiled with their instruction-set flags; call them only when
// lstm_isa_supported() says the CPU has that instruction set. n must be a multiple of 16.
#ifndef TEST_FAST_MATH_PROBE_H
#define TEST_FAST_MATH_PROBE_H

#include <stddef.h>

void probe_fast_avx2(const float *x, float *sig, float *th, size_t n);
void probe_fast_avx512(const float *x, float *sig, float *th, size_t n);

#endif
