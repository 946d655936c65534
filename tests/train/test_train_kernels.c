// SPDX-License-Identifier: ISC
// The training kernels' matrix product, every table this CPU runs (scalar, AVX2, AVX-512),
// against a double-precision sum, over the shapes the trainer meets: 1 to 9 rows (a batch
// split over threads leaves 1 to 3 over the blocks of 4), column counts on and off the 8, 16
// and 24-wide blocks, K across the 256-deep panels, and A plain or transposed. Tolerance:
// 1e-5 of the sum of |a b| (float rounding over K terms, with headroom).
#include "train_kernels.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned seed = 12345;

static float uniform(void)
{
	seed = seed * 1664525u + 1013904223u;
	return (float)(seed >> 8) / 16777216.0f * 2.0f - 1.0f;
}

// Returns the largest error over the bound, for one shape and layout.
static double check(const TrainKernels *K, int M, int N, int Kd, int transposed)
{
	const long ars = transposed ? 1 : Kd, acs = transposed ? M : 1;
	float *A = malloc(sizeof(float) * (size_t)M * (size_t)Kd);
	float *B = malloc(sizeof(float) * (size_t)Kd * (size_t)N);
	const long ldc = N + 3; // C's rows padded: the kernels must honour ldc
	float *C = malloc(sizeof(float) * (size_t)M * (size_t)ldc);
	assert(A && B && C);
	for (long i = 0; i < (long)M * Kd; i++)
		A[i] = uniform();
	for (long i = 0; i < (long)Kd * N; i++)
		B[i] = uniform();
	for (long i = 0; i < (long)M * ldc; i++)
		C[i] = uniform();
	float *C0 = malloc(sizeof(float) * (size_t)M * (size_t)ldc);
	assert(C0);
	for (long i = 0; i < (long)M * ldc; i++)
		C0[i] = C[i];
	K->gemm(M, N, Kd, A, ars, acs, B, N, C, ldc);
	double worst = 0.0;
	for (int m = 0; m < M; m++) {
		for (int n = 0; n < N; n++) {
			double want = C0[m * ldc + n], bound = fabs(want);
			for (int k = 0; k < Kd; k++) {
				const double p = (double)A[m * ars + k * acs] * (double)B[(long)k * N + n];
				want += p;
				bound += fabs(p);
			}
			const double e = fabs(C[m * ldc + n] - want) / (1e-5 * bound);
			worst = e > worst ? e : worst;
		}
		for (long n = N; n < ldc; n++)
			assert(C[m * ldc + n] == C0[m * ldc + n]); // the padding is left alone
	}
	free(A);
	free(B);
	free(C);
	free(C0);
	return worst;
}

int main(void)
{
	const TrainKernels *tables[3] = {train_kernels_scalar(), train_kernels_avx2(),
	                                 train_kernels_avx512()};
	const int ns[] = {1, 5, 8, 13, 16, 24, 31, 32, 40, 48, 96, 128, 131};
	const int ks[] = {1, 7, 32, 128, 300, 600};
	for (int t = 0; t < 3; t++) {
		if (!tables[t]) {
			printf("%s kernels: not on this CPU\n", t == 1 ? "avx2" : "avx512");
			continue;
		}
		double worst = 0.0;
		int shapes = 0;
		for (int M = 1; M <= 9; M++)
			for (size_t in = 0; in < sizeof ns / sizeof *ns; in++)
				for (size_t ik = 0; ik < sizeof ks / sizeof *ks; ik++)
					for (int tr = 0; tr < 2; tr++) {
						const double e = check(tables[t], M, ns[in], ks[ik], tr);
						if (e > 1.0)
							printf("%s: M %d N %d K %d %s: error %.2f of the bound\n",
							       tables[t]->name, M, ns[in], ks[ik], tr ? "transposed" : "plain",
							       e);
						assert(e <= 1.0);
						worst = e > worst ? e : worst;
						shapes++;
					}
		printf("%s kernels: %d shapes, worst error %.3f of the bound\n", tables[t]->name, shapes,
		       worst);
	}
	return 0;
}
