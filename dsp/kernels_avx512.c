// SPDX-License-Identifier: ISC
// AVX-512F kernels: the shared vector kernel body (kernels_simd.h) on sixteen floats a vector.
// Compiled with -mavx512f -mavx512dq; only called after lstm_isa_supported(LSTM_ISA_AVX512), and on
// a network laid out with LSTM_LANE_AVX512.
#include "fast_math_avx512.h"
#include "net_layout.h"

#include <immintrin.h>

#define VEC __m512
#define VW 16
// Two partial sums: a recurrent chain of H/2 FMAs. Four (H/4) measured slower at H=16 (77 ns a
// sample against 71: eight more additions on two busy ports outweigh two FMAs of latency) and no
// faster at 32 or 64; one is slower everywhere (H=16: 74, H=64: 537 against 463).
#define KP 2
#define V_PS(op) _mm512_##op##_ps
#define V_FAST(fn) fast_##fn##_avx512
#define V_BCAST(p) _mm512_set1_ps(*(p))
#define V_LANE(v, j) _mm512_permutexvar_ps(_mm512_set1_epi32(j), (v))
#define V_HSUM(v) _mm512_reduce_add_ps(v)
#define KS_KERNELS kernels_avx512

#include "kernels_simd.h"
