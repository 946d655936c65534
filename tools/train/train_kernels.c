// SPDX-License-Identifier: ISC
// The training hot loops (see train_kernels.h). This one file is built three ways: float for
// plain x86-64, float with -mavx2 -mfma (TRAIN_KERNELS_AVX2, adds an intrinsic matrix
// micro-kernel), and double (TRAIN_F64) for the gradient tests. The element-wise loops are
// written branch-free over a row so the compiler vectorises them for whichever ISA it targets.
//
// Activations: the float builds use a Cephes-style exp (range reduction plus a degree-6
// polynomial, about 2 ulp), so sigmoid and tanh stay within a few 1e-7 of libm's and the
// engine's exact path reproduces the trainer's output to about 1e-6; the double build calls
// libm so finite differences see smooth functions.
#include "train_kernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifdef TRAIN_KERNELS_AVX2
#include <immintrin.h>
#endif

#ifdef TRAIN_F64
static inline real k_sigmoid(real x) { return 1.0 / (1.0 + exp(-x)); }

static inline real k_tanh(real x) { return tanh(x); }
#else
static inline float k_exp(float x)
{
	x = x < -87.0f ? -87.0f : x;
	x = x > 88.0f ? 88.0f : x;
	// Round to nearest by the 1.5*2^23 trick: exact for |t| < 2^22 without any rounding mode.
	float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
	float r = x - n * 0.693359375f;
	r = r + n * 2.12194440e-4f;
	float p = 1.9875691500e-4f;
	p = p * r + 1.3981999507e-3f;
	p = p * r + 8.3334519073e-3f;
	p = p * r + 4.1665795894e-2f;
	p = p * r + 1.6666665459e-1f;
	p = p * r + 5.0000001201e-1f;
	p = p * r * r + r + 1.0f;
	int32_t e = (int32_t)n;
	uint32_t bits = (uint32_t)(e + 127) << 23;
	float scale;
	memcpy(&scale, &bits, sizeof scale);
	return p * scale;
}

static inline float k_sigmoid(float x) { return 1.0f / (1.0f + k_exp(-x)); }

static inline float k_tanh(float x) { return 1.0f - 2.0f / (k_exp(2.0f * x) + 1.0f); }
#endif

// Row-by-row axpy form: correct for any shape, vectorised along n.
static void gemm_rows(int M, int N, int K, const real *A, long ars, long acs, const real *B,
                      long ldb, real *C, long ldc)
{
	for (int m = 0; m < M; m++) {
		real *restrict c = C + (long)m * ldc;
		for (int k = 0; k < K; k++) {
			const real a = A[(long)m * ars + (long)k * acs];
			const real *restrict b = B + (long)k * ldb;
			for (int n = 0; n < N; n++)
				c[n] += a * b[n];
		}
	}
}

#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
// A block of C of `rows` (1 to 4) by 8 x `vecs` (1 to 3) columns, kept in registers over all
// of K: at most 12 accumulators, three B vectors and a broadcast. Called with constants, so
// the compiler unrolls it into one kernel per shape.
static inline __attribute__((always_inline)) void avx2_block(const int rows, const int vecs, int K,
                                                             const float *A, long ars, long acs,
                                                             const float *B, long ldb, float *C,
                                                             long ldc)
{
	__m256 acc[4][3];
	for (int i = 0; i < rows; i++)
		for (int v = 0; v < vecs; v++)
			acc[i][v] = _mm256_loadu_ps(C + i * ldc + 8 * v);
	for (int k = 0; k < K; k++, B += ldb) {
		__m256 b[3];
		for (int v = 0; v < vecs; v++)
			b[v] = _mm256_loadu_ps(B + 8 * v);
		for (int i = 0; i < rows; i++) {
			const __m256 s = _mm256_broadcast_ss(A + i * ars + (long)k * acs);
			for (int v = 0; v < vecs; v++)
				acc[i][v] = _mm256_fmadd_ps(s, b[v], acc[i][v]);
		}
	}
	for (int i = 0; i < rows; i++)
		for (int v = 0; v < vecs; v++)
			_mm256_storeu_ps(C + i * ldc + 8 * v, acc[i][v]);
}

// `rows` rows of C, across: blocks of 24 columns, then 16, 8 and the last few one by one.
static inline __attribute__((always_inline)) void avx2_rows(const int rows, int N, int K,
                                                            const float *A, long ars, long acs,
                                                            const float *B, long ldb, float *C,
                                                            long ldc)
{
	int n = 0;
	for (; n + 24 <= N; n += 24)
		avx2_block(rows, 3, K, A, ars, acs, B + n, ldb, C + n, ldc);
	if (n + 16 <= N) {
		avx2_block(rows, 2, K, A, ars, acs, B + n, ldb, C + n, ldc);
		n += 16;
	}
	if (n + 8 <= N) {
		avx2_block(rows, 1, K, A, ars, acs, B + n, ldb, C + n, ldc);
		n += 8;
	}
	if (n < N)
		gemm_rows(rows, N - n, K, A, ars, acs, B + n, ldb, C + n, ldc);
}

// Four rows at a time, then the 1 to 3 left over as one block: a batch split into a few rows
// per thread (16 over two threads, or a last batch of 2 or 3 rows) runs at nearly the
// four-row speed rather than row by row.
static void gemm_avx2_panel(int M, int N, int K, const float *A, long ars, long acs, const float *B,
                            long ldb, float *C, long ldc)
{
	int m = 0;
	for (; m + 4 <= M; m += 4)
		avx2_rows(4, N, K, A + (long)m * ars, ars, acs, B, ldb, C + (long)m * ldc, ldc);
	const float *a = A + (long)m * ars;
	float *c = C + (long)m * ldc;
	switch (M - m) {
	case 3: avx2_rows(3, N, K, a, ars, acs, B, ldb, c, ldc); break;
	case 2: avx2_rows(2, N, K, a, ars, acs, B, ldb, c, ldc); break;
	case 1: avx2_rows(1, N, K, a, ars, acs, B, ldb, c, ldc); break;
	default: break;
	}
}

#endif

#if defined(TRAIN_KERNELS_AVX512) && !defined(TRAIN_F64)
// 4x32 blocks of 16-wide registers; the columns left over (fewer than 32) and the rows left
// over (fewer than 4) go to the AVX2 code.
static void gemm_avx512_panel(int M, int N, int K, const float *A, long ars, long acs,
                              const float *B, long ldb, float *C, long ldc)
{
	const int N32 = N & ~31, M4 = M & ~3;
	for (int m = 0; m < M4; m += 4) {
		const float *a0 = A + (long)m * ars;
		const float *a1 = a0 + ars, *a2 = a1 + ars, *a3 = a2 + ars;
		float *c0 = C + (long)m * ldc;
		float *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
		for (int n = 0; n < N32; n += 32) {
			__m512 x00 = _mm512_loadu_ps(c0 + n), x01 = _mm512_loadu_ps(c0 + n + 16);
			__m512 x10 = _mm512_loadu_ps(c1 + n), x11 = _mm512_loadu_ps(c1 + n + 16);
			__m512 x20 = _mm512_loadu_ps(c2 + n), x21 = _mm512_loadu_ps(c2 + n + 16);
			__m512 x30 = _mm512_loadu_ps(c3 + n), x31 = _mm512_loadu_ps(c3 + n + 16);
			const float *b = B + n;
			for (int k = 0; k < K; k++, b += ldb) {
				const long o = (long)k * acs;
				__m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
				__m512 s = _mm512_set1_ps(a0[o]);
				x00 = _mm512_fmadd_ps(s, b0, x00);
				x01 = _mm512_fmadd_ps(s, b1, x01);
				s = _mm512_set1_ps(a1[o]);
				x10 = _mm512_fmadd_ps(s, b0, x10);
				x11 = _mm512_fmadd_ps(s, b1, x11);
				s = _mm512_set1_ps(a2[o]);
				x20 = _mm512_fmadd_ps(s, b0, x20);
				x21 = _mm512_fmadd_ps(s, b1, x21);
				s = _mm512_set1_ps(a3[o]);
				x30 = _mm512_fmadd_ps(s, b0, x30);
				x31 = _mm512_fmadd_ps(s, b1, x31);
			}
			_mm512_storeu_ps(c0 + n, x00);
			_mm512_storeu_ps(c0 + n + 16, x01);
			_mm512_storeu_ps(c1 + n, x10);
			_mm512_storeu_ps(c1 + n + 16, x11);
			_mm512_storeu_ps(c2 + n, x20);
			_mm512_storeu_ps(c2 + n + 16, x21);
			_mm512_storeu_ps(c3 + n, x30);
			_mm512_storeu_ps(c3 + n + 16, x31);
		}
	}
	if (N32 < N && M4 > 0)
		gemm_avx2_panel(M4, N - N32, K, A, ars, acs, B + N32, ldb, C + N32, ldc);
	if (M4 < M)
		gemm_avx2_panel(M - M4, N, K, A + (long)M4 * ars, ars, acs, B, ldb, C + (long)M4 * ldc,
		                ldc);
}
#endif

#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
#ifdef TRAIN_KERNELS_AVX512
#define GEMM_PANEL gemm_avx512_panel
#else
#define GEMM_PANEL gemm_avx2_panel
#endif
// Long products (weight gradients over a whole chunk) go in panels of K so the rows of A and
// B being read stay in cache while every block of C passes over them; each panel with this
// build's widest micro-kernel.
static void gemm_k_panels(int M, int N, int K, const float *A, long ars, long acs, const float *B,
                          long ldb, float *C, long ldc)
{
	enum { KC = 256 };
	for (int k = 0; k < K; k += KC)
		GEMM_PANEL(M, N, K - k < KC ? K - k : KC, A + (long)k * acs, ars, acs, B + (long)k * ldb,
		           ldb, C, ldc);
}
#endif

// One row of an LSTM step's outputs, each [H]: the gate activations i, f, g, o (written over
// their pre-activations), the new cell, its tanh and h.
typedef struct {
	real *i, *f, *g, *o, *c, *tc, *h;
} CellRow;

// Stores an LSTM step's results at unit u, h = o * tanh(c) among them: the one store of the
// plain and the peephole cell.
static inline void cell_store(const CellRow *r, int u, real i, real f, real g, real o, real c,
                              real tc)
{
	r->i[u] = i;
	r->f[u] = f;
	r->g[u] = g;
	r->o[u] = o;
	r->c[u] = c;
	r->tc[u] = tc;
	r->h[u] = o * tc;
}

#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
// Eight units at a time, with GCC vector arithmetic; k_exp's formula in AVX2 intrinsics.
typedef float v8 __attribute__((vector_size(32)));

static inline v8 ld8(const float *p) { return (v8)_mm256_loadu_ps(p); }

static inline void st8(float *p, v8 v) { _mm256_storeu_ps(p, (__m256)v); }

static inline v8 splat8(float x) { return (v8)_mm256_set1_ps(x); }

static inline v8 v_exp(v8 xv)
{
	__m256 x =
		_mm256_min_ps(_mm256_max_ps((__m256)xv, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.0f));
	__m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
	                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
	v8 r = (v8)_mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
	r = (v8)_mm256_fmadd_ps(n, _mm256_set1_ps(2.12194440e-4f), (__m256)r);
	v8 p = splat8(1.9875691500e-4f);
	p = p * r + 1.3981999507e-3f;
	p = p * r + 8.3334519073e-3f;
	p = p * r + 4.1665795894e-2f;
	p = p * r + 1.6666665459e-1f;
	p = p * r + 5.0000001201e-1f;
	p = p * (r * r) + r + 1.0f;
	__m256i e =
		_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
	return p * (v8)_mm256_castsi256_ps(e);
}

static inline v8 v_sig(v8 x) { return 1.0f / (1.0f + v_exp(-x)); }

static inline v8 v_tanh(v8 x) { return 1.0f - 2.0f / (v_exp(2.0f * x) + 1.0f); }

// Stores an LSTM step's results for the eight units from u (cell_store).
static inline void cell_store8(const CellRow *r, int u, v8 i, v8 f, v8 g, v8 o, v8 c, v8 tc)
{
	st8(r->i + u, i);
	st8(r->f + u, f);
	st8(r->g + u, g);
	st8(r->o + u, o);
	st8(r->c + u, c);
	st8(r->tc + u, tc);
	st8(r->h + u, o * tc);
}

#define VEC_UNITS(H) ((H) & ~7)
#else
#define VEC_UNITS(H) 0
#endif

static void lstm_cell_forward(int R, int H, real *gates, const real *c_prev, real *c, real *tc,
                              real *h, const real *peep)
{
	for (int r = 0; r < R; r++) {
		real *restrict gi = gates + (long)r * 4 * H;
		real *restrict gf = gi + H, *restrict gg = gf + H, *restrict go = gg + H;
		const real *restrict cp = c_prev + (long)r * H;
		real *restrict cr = c + (long)r * H, *restrict tr = tc + (long)r * H;
		real *restrict hr = h + (long)r * H;
		const CellRow row = {gi, gf, gg, go, cr, tr, hr};
		const int u0 = VEC_UNITS(H);
		if (peep) {
			const real *pi = peep, *pf = peep + H, *po = peep + 2 * H;
#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
			for (int u = 0; u < u0; u += 8) {
				v8 c0 = ld8(cp + u);
				v8 i = v_sig(ld8(gi + u) + ld8(pi + u) * c0);
				v8 f = v_sig(ld8(gf + u) + ld8(pf + u) * c0);
				v8 g = v_tanh(ld8(gg + u));
				v8 cn = f * c0 + i * g;
				v8 o = v_sig(ld8(go + u) + ld8(po + u) * cn);
				v8 t = v_tanh(cn);
				cell_store8(&row, u, i, f, g, o, cn, t);
			}
#endif
			for (int u = u0; u < H; u++) {
				real i = k_sigmoid(gi[u] + pi[u] * cp[u]);
				real f = k_sigmoid(gf[u] + pf[u] * cp[u]);
				real g = k_tanh(gg[u]);
				real cn = f * cp[u] + i * g;
				real o = k_sigmoid(go[u] + po[u] * cn);
				real t = k_tanh(cn);
				cell_store(&row, u, i, f, g, o, cn, t);
			}
		} else {
#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
			for (int u = 0; u < u0; u += 8) {
				v8 i = v_sig(ld8(gi + u));
				v8 f = v_sig(ld8(gf + u));
				v8 g = v_tanh(ld8(gg + u));
				v8 o = v_sig(ld8(go + u));
				v8 cn = f * ld8(cp + u) + i * g;
				v8 t = v_tanh(cn);
				cell_store8(&row, u, i, f, g, o, cn, t);
			}
#endif
			for (int u = u0; u < H; u++) {
				real i = k_sigmoid(gi[u]);
				real f = k_sigmoid(gf[u]);
				real g = k_tanh(gg[u]);
				real o = k_sigmoid(go[u]);
				real cn = f * cp[u] + i * g;
				real t = k_tanh(cn);
				cell_store(&row, u, i, f, g, o, cn, t);
			}
		}
	}
}

static void lstm_cell_backward(int R, int H, const real *gates, const real *c_prev, const real *c,
                               const real *tc, const real *peep, const real *dh, real *dc,
                               real *dgates, real *dpeep)
{
	for (int r = 0; r < R; r++) {
		const real *restrict gi = gates + (long)r * 4 * H;
		const real *restrict gf = gi + H, *restrict gg = gf + H, *restrict go = gg + H;
		const real *restrict cp = c_prev + (long)r * H;
		const real *restrict cr = c + (long)r * H, *restrict tr = tc + (long)r * H;
		const real *restrict dhr = dh + (long)r * H;
		real *restrict dcr = dc + (long)r * H;
		real *restrict di = dgates + (long)r * 4 * H;
		real *restrict df = di + H, *restrict dg = df + H, *restrict dO = dg + H;
		const int u0 = VEC_UNITS(H);
		if (peep) {
			const real *pi = peep, *pf = peep + H, *po = peep + 2 * H;
			real *restrict dpi = dpeep, *restrict dpf = dpeep + H, *restrict dpo = dpeep + 2 * H;
#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
			for (int u = 0; u < u0; u += 8) {
				v8 i = ld8(gi + u), f = ld8(gf + u), g = ld8(gg + u), o = ld8(go + u);
				v8 t = ld8(tr + u), d = ld8(dhr + u), c0 = ld8(cp + u);
				v8 dao = d * t * o * (1.0f - o);
				v8 dcv = ld8(dcr + u) + d * o * (1.0f - t * t) + dao * ld8(po + u);
				v8 dai = dcv * g * i * (1.0f - i);
				v8 daf = dcv * c0 * f * (1.0f - f);
				st8(di + u, dai);
				st8(df + u, daf);
				st8(dg + u, dcv * i * (1.0f - g * g));
				st8(dO + u, dao);
				st8(dcr + u, dcv * f + dai * ld8(pi + u) + daf * ld8(pf + u));
				st8(dpi + u, ld8(dpi + u) + dai * c0);
				st8(dpf + u, ld8(dpf + u) + daf * c0);
				st8(dpo + u, ld8(dpo + u) + dao * ld8(cr + u));
			}
#endif
			for (int u = u0; u < H; u++) {
				real i = gi[u], f = gf[u], g = gg[u], o = go[u], t = tr[u];
				real dao = dhr[u] * t * o * (1 - o);
				real dcv = dcr[u] + dhr[u] * o * (1 - t * t) + dao * po[u];
				real dai = dcv * g * i * (1 - i);
				real daf = dcv * cp[u] * f * (1 - f);
				di[u] = dai;
				df[u] = daf;
				dg[u] = dcv * i * (1 - g * g);
				dO[u] = dao;
				dcr[u] = dcv * f + dai * pi[u] + daf * pf[u];
				dpi[u] += dai * cp[u];
				dpf[u] += daf * cp[u];
				dpo[u] += dao * cr[u];
			}
		} else {
#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
			for (int u = 0; u < u0; u += 8) {
				v8 i = ld8(gi + u), f = ld8(gf + u), g = ld8(gg + u), o = ld8(go + u);
				v8 t = ld8(tr + u), d = ld8(dhr + u);
				v8 dcv = ld8(dcr + u) + d * o * (1.0f - t * t);
				st8(di + u, dcv * g * i * (1.0f - i));
				st8(df + u, dcv * ld8(cp + u) * f * (1.0f - f));
				st8(dg + u, dcv * i * (1.0f - g * g));
				st8(dO + u, d * t * o * (1.0f - o));
				st8(dcr + u, dcv * f);
			}
#endif
			for (int u = u0; u < H; u++) {
				real i = gi[u], f = gf[u], g = gg[u], o = go[u], t = tr[u];
				real dcv = dcr[u] + dhr[u] * o * (1 - t * t);
				di[u] = dcv * g * i * (1 - i);
				df[u] = dcv * cp[u] * f * (1 - f);
				dg[u] = dcv * i * (1 - g * g);
				dO[u] = dhr[u] * t * o * (1 - o);
				dcr[u] = dcv * f;
			}
		}
	}
}

static void gru_cell_forward(int R, int H, const real *gx, const real *gh, const real *h_prev,
                             real *act, real *h)
{
	for (int r = 0; r < R; r++) {
		const real *restrict xr = gx + (long)r * 3 * H, *restrict hr = gh + (long)r * 3 * H;
		const real *restrict hp = h_prev + (long)r * H;
		real *restrict a = act + (long)r * 3 * H, *restrict ho = h + (long)r * H;
		const int u0 = VEC_UNITS(H);
#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
		for (int u = 0; u < u0; u += 8) {
			v8 rg = v_sig(ld8(xr + u) + ld8(hr + u));
			v8 z = v_sig(ld8(xr + H + u) + ld8(hr + H + u));
			v8 n = v_tanh(ld8(xr + 2 * H + u) + rg * ld8(hr + 2 * H + u));
			st8(a + u, rg);
			st8(a + H + u, z);
			st8(a + 2 * H + u, n);
			st8(ho + u, n + z * (ld8(hp + u) - n));
		}
#endif
		for (int u = u0; u < H; u++) {
			real rg = k_sigmoid(xr[u] + hr[u]);
			real z = k_sigmoid(xr[H + u] + hr[H + u]);
			real n = k_tanh(xr[2 * H + u] + rg * hr[2 * H + u]);
			a[u] = rg;
			a[H + u] = z;
			a[2 * H + u] = n;
			ho[u] = n + z * (hp[u] - n);
		}
	}
}

static void gru_cell_backward(int R, int H, const real *act, const real *gh, const real *h_prev,
                              const real *dh, real *dgx, real *dgh, real *dh_prev)
{
	for (int r = 0; r < R; r++) {
		const real *restrict a = act + (long)r * 3 * H, *restrict hr = gh + (long)r * 3 * H;
		const real *restrict hp = h_prev + (long)r * H, *restrict d = dh + (long)r * H;
		real *restrict dx = dgx + (long)r * 3 * H, *restrict dhh = dgh + (long)r * 3 * H;
		real *restrict dp = dh_prev + (long)r * H;
		const int u0 = VEC_UNITS(H);
#if defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
		for (int u = 0; u < u0; u += 8) {
			v8 rg = ld8(a + u), z = ld8(a + H + u), n = ld8(a + 2 * H + u), du = ld8(d + u);
			v8 dz = du * (ld8(hp + u) - n);
			v8 dan = du * (1.0f - z) * (1.0f - n * n);
			v8 dar = dan * ld8(hr + 2 * H + u) * rg * (1.0f - rg);
			v8 daz = dz * z * (1.0f - z);
			st8(dx + u, dar);
			st8(dx + H + u, daz);
			st8(dx + 2 * H + u, dan);
			st8(dhh + u, dar);
			st8(dhh + H + u, daz);
			st8(dhh + 2 * H + u, dan * rg);
			st8(dp + u, du * z);
		}
#endif
		for (int u = u0; u < H; u++) {
			real rg = a[u], z = a[H + u], n = a[2 * H + u];
			real dz = d[u] * (hp[u] - n);
			real dan = d[u] * (1 - z) * (1 - n * n);
			real dar = dan * hr[2 * H + u] * rg * (1 - rg);
			real daz = dz * z * (1 - z);
			dx[u] = dar;
			dx[H + u] = daz;
			dx[2 * H + u] = dan;
			dhh[u] = dar;
			dhh[H + u] = daz;
			dhh[2 * H + u] = dan * rg;
			dp[u] = d[u] * z;
		}
	}
}

#if defined(TRAIN_KERNELS_AVX512) && !defined(TRAIN_F64)
static const TrainKernels table = {
	"avx512",           gemm_k_panels,    lstm_cell_forward,
	lstm_cell_backward, gru_cell_forward, gru_cell_backward,
};

const TrainKernels *train_kernels_avx512(void)
{
	if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx2")
	    || !__builtin_cpu_supports("fma"))
		return NULL;
	return &table;
}
#elif defined(TRAIN_KERNELS_AVX2) && !defined(TRAIN_F64)
static const TrainKernels table = {
	"avx2",           gemm_k_panels,     lstm_cell_forward, lstm_cell_backward,
	gru_cell_forward, gru_cell_backward,
};

const TrainKernels *train_kernels_avx2(void)
{
	if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
		return NULL;
	return &table;
}
#else
static const TrainKernels table = {
	"scalar", gemm_rows, lstm_cell_forward, lstm_cell_backward, gru_cell_forward, gru_cell_backward,
};

const TrainKernels *train_kernels_scalar(void) { return &table; }

#if defined(TRAIN_F64) || !(defined(__x86_64__) || defined(__i386__))
const TrainKernels *train_kernels_avx2(void) { return NULL; }

const TrainKernels *train_kernels_avx512(void) { return NULL; }
#endif

const TrainKernels *train_kernels_best(int force_scalar)
{
	if (force_scalar)
		return train_kernels_scalar();
	const TrainKernels *k = train_kernels_avx512();
	if (!k)
		k = train_kernels_avx2();
	return k ? k : train_kernels_scalar();
}
#endif
