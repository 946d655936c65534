// SPDX-License-Identifier: ISC
// AVX-512F kernels: the shared vector kernel body (kernels_simd.h) on sixteen floats a vector.
// Compiled with -mavx512f; only called after lstm_isa_supported(LSTM_ISA_AVX512), and on a
// network laid out with LSTM_LANE_AVX512.
#include "fast_math_avx512.h"
#include "net_layout.h"

#include <immintrin.h>

#define VEC __m512
#define VW 16
// Four partial sums: sixteen accumulators of the 32 registers, a recurrent chain of H/4 FMAs.
#define KP 4
#define V_LOAD(p) _mm512_load_ps(p)
#define V_STORE(p, v) _mm512_store_ps((p), (v))
#define V_SET1(f) _mm512_set1_ps(f)
#define V_ZERO() _mm512_setzero_ps()
#define V_BCAST(p) _mm512_set1_ps(*(p))
#define V_LANE(v, j) _mm512_permutexvar_ps(_mm512_set1_epi32(j), (v))
#define V_FMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define V_ADD(a, b) _mm512_add_ps((a), (b))
#define V_SUB(a, b) _mm512_sub_ps((a), (b))
#define V_MUL(a, b) _mm512_mul_ps((a), (b))
#define V_MAX(a, b) _mm512_max_ps((a), (b))
#define V_HSUM(v) _mm512_reduce_add_ps(v)
#define V_SIG_FAST(v) fast_sigmoid_avx512(v)
#define V_TANH_FAST(v) fast_tanh_avx512(v)

#include "kernels_simd.h"

const KernelSet *kernels_avx512(LstmActivations act)
{
	return act == LSTM_ACT_FAST ? &ks_fast_set : &ks_exact_set;
}
