// SPDX-License-Identifier: ISC
// Engine benchmark: ns per sample of LstmNet for LSTM and GRU models (input 1, one layer, a
// linear head, skip on) over 10 s of a guitar-like 48 kHz signal, on one core, for each hidden
// size, each instruction set this CPU runs and both activation sets, beside a naive textbook
// scalar implementation (PyTorch's gate-major layout, libm activations) timed in the same
// process; ratios are naive / engine (higher is faster). Also the largest output error of each
// path against a float64 run of the same model. Prints figures; never fails on time.
//
// Usage: bench_engine [--quick] [--runs N]
//   --quick  hidden 8, 16, 32, 64 only and 1 s of audio (a smoke run, not for quoting)
// Times are this thread's CPU time (see now()), medians of N runs (default 5).
#define _GNU_SOURCE
#include "bench_util.h"
#include "denormals.h"
#include "lstm_net.h"

#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 128, ERR_FRAMES = 48000, MIN_FRAMES = 48000, MAX_CONFIGS = 6 };

// A run covers the whole signal unless that would take longer than this; then as many samples
// as fit (at least MIN_FRAMES), and the figure is marked with '*'. This keeps the slow paths
// (naive, scalar, exact activations at large sizes) within the few minutes the bench may take.
#define RUN_BUDGET_S 0.1

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static double rng_uniform(double lo, double hi)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	uint64_t r = rng_state * 0x2545f4914f6cdd1dull;
	return lo + (hi - lo) * (double)(r >> 11) * (1.0 / 9007199254740992.0);
}

// Plucked notes from the guitar's range, half a second each, with decaying harmonics.
static void make_signal(float *x, size_t n)
{
	const double two_pi = 6.283185307179586;
	size_t t = 0;
	while (t < n) {
		const double f0 = 82.4 * pow(2.0, floor(rng_uniform(0.0, 36.0)) / 12.0);
		const double amp = rng_uniform(0.2, 0.9);
		const size_t len = 24000 < n - t ? 24000 : n - t;
		for (size_t k = 0; k < len; k++) {
			const double tt = (double)k / 48000.0;
			double v = 0.0;
			for (int h = 1; h <= 6; h++)
				v += exp(-tt * (3.0 + 2.0 * h)) / h * sin(two_pi * f0 * h * tt);
			x[t + k] = (float)(amp * 0.6 * v + rng_uniform(-1e-3, 1e-3));
		}
		t += len;
	}
}

static void fill(float *v, size_t n, double scale)
{
	for (size_t k = 0; k < n; k++)
		v[k] = (float)rng_uniform(-scale, scale);
}

static void build(ModelDesc *m, CellType cell, int hidden)
{
	if (bench_model_shape(m, cell, hidden) != 0)
		abort();
	RecurrentLayerDesc *l = &m->layers[0];
	DenseLayerDesc *d = &m->dense[0];
	const size_t gh = (size_t)model_cell_gates(cell) * (size_t)hidden;
	const double scale = 1.0 / sqrt((double)hidden);
	fill(l->w_ih, gh, 1.0);
	fill(l->w_hh, gh * (size_t)hidden, scale);
	fill(l->b_ih, gh, scale);
	fill(l->b_hh, gh, scale);
	fill(d->w, (size_t)hidden, scale);
	fill(d->b, 1, 0.1);
}

// The naive reference, in float with libm (timed) and in double (for the error): PyTorch's
// layout as it is, one dot product per gate row.
#define DEFINE_NAIVE(NAME, T, EXP, TANH)                                                           \
	static void NAME(const ModelDesc *m, const float *x, float *y, size_t n)                       \
	{                                                                                              \
		const RecurrentLayerDesc *l = &m->layers[0];                                               \
		const int H = l->hidden, G = model_cell_gates(l->cell), GH = G * H;                        \
		T *h = calloc((size_t)H, sizeof(T)), *c = calloc((size_t)H, sizeof(T));                    \
		T *gi = calloc((size_t)GH, sizeof(T)), *gh = calloc((size_t)GH, sizeof(T));                \
		if (!h || !c || !gi || !gh)                                                                \
			abort();                                                                               \
		for (size_t t = 0; t < n; t++) {                                                           \
			for (int r = 0; r < GH; r++) {                                                         \
				T s = (T)l->b_hh[r];                                                               \
				for (int j = 0; j < H; j++)                                                        \
					s += (T)l->w_hh[(size_t)r * (size_t)H + (size_t)j] * h[j];                     \
				gi[r] = (T)l->b_ih[r] + (T)l->w_ih[r] * (T)x[t];                                   \
				gh[r] = s;                                                                         \
			}                                                                                      \
			for (int u = 0; u < H; u++) {                                                          \
				if (l->cell == CELL_GRU) {                                                         \
					T rr = 1 / (1 + EXP(-(gi[u] + gh[u])));                                        \
					T z = 1 / (1 + EXP(-(gi[H + u] + gh[H + u])));                                 \
					T nn = TANH(gi[2 * H + u] + rr * gh[2 * H + u]);                               \
					gi[u] = (1 - z) * nn + z * h[u];                                               \
				} else {                                                                           \
					T i = 1 / (1 + EXP(-(gi[u] + gh[u])));                                         \
					T f = 1 / (1 + EXP(-(gi[H + u] + gh[H + u])));                                 \
					T g = TANH(gi[2 * H + u] + gh[2 * H + u]);                                     \
					T o = 1 / (1 + EXP(-(gi[3 * H + u] + gh[3 * H + u])));                         \
					c[u] = f * c[u] + i * g;                                                       \
					gi[u] = o * TANH(c[u]);                                                        \
				}                                                                                  \
			}                                                                                      \
			T out = (T)m->dense[0].b[0] + (T)x[t];                                                 \
			for (int u = 0; u < H; u++) {                                                          \
				h[u] = gi[u];                                                                      \
				out += (T)m->dense[0].w[u] * h[u];                                                 \
			}                                                                                      \
			y[t] = (float)out;                                                                     \
		}                                                                                          \
		free(h);                                                                                   \
		free(c);                                                                                   \
		free(gi);                                                                                  \
		free(gh);                                                                                  \
	}

DEFINE_NAIVE(naive_run, float, expf, tanhf)
DEFINE_NAIVE(double_run, double, exp, tanh)

// This thread's CPU time: on a shared machine other processes' time slices do not count, so the
// figures match what one dedicated core would take (cache disturbance by others still shows).
static double now(void) { return bench_seconds(CLOCK_THREAD_CPUTIME_ID); }

// Samples per run for a path that took ns_est ns a sample in its warm-up.
static size_t frames_for(double ns_est, size_t n)
{
	double fit = RUN_BUDGET_S * 1e9 / (ns_est > 1.0 ? ns_est : 1.0);
	size_t f = fit >= (double)n ? n : (size_t)fit / BLOCK * BLOCK;
	return f < MIN_FRAMES ? (n < MIN_FRAMES ? n : MIN_FRAMES) : f;
}

static void run_blocks(LstmNet *net, const float *x, float *y, size_t n, size_t block)
{
	lstm_net_reset(net);
	for (size_t t = 0; t < n; t += block) {
		const float *in[1] = {x + t};
		uint32_t len = (uint32_t)(n - t < block ? n - t : block);
		lstm_net_process(net, in, y + t, len);
	}
}

static void run_net(LstmNet *net, const float *x, float *y, size_t n)
{
	run_blocks(net, x, y, n, BLOCK);
}

// The cost of a call: ns/sample of the automatic choice in calls of one frame (as the rate
// correction and odd host blocks make them) and in blocks of 64, both inside one flush-to-zero
// guard, as the engine's callers (the rate paths, the plugin's core, most hosts' audio threads)
// call it. The two are interleaved over short stretches of the signal and compared stretch by
// stretch: on a shared machine the load beside the bench changes from one second to the next,
// and a pair a few milliseconds long sees one load. Returns the median of the pairs' ratios,
// and in *quiet their tenth percentile: the pairs that ran beside the least load. A one-frame
// call runs more instructions a frame than a block (state loads and stores, constants, the
// call), and contention for the core (on a VM, often another guest on the same physical core)
// slows those more than the block's dependency chain: the ratio moves with that load, from one
// run to the next. The tenth percentile shows a quiet spell within the run; a load that lasts
// the whole run moves both. t1 and t64 get each run's ns/sample for the medians printed beside
// it.
static double one_frame_ratio(LstmNet *net, const float *x, float *y, size_t n, int runs,
                              double *t1, double *t64, double *quiet)
{
	enum { PAIRS = 10, STRETCH = MIN_FRAMES / PAIRS };
	double ratios[101 * PAIRS];
	const DenormalGuard guard = denormals_flush_begin();
	run_blocks(net, x, y, n < MIN_FRAMES ? n : MIN_FRAMES, 1); // warm up
	for (int r = 0; r < runs; r++) {
		double sum1 = 0.0, sum64 = 0.0;
		for (int p = 0; p < PAIRS; p++) {
			const float *xs = x + (size_t)p * STRETCH; // n >= MIN_FRAMES
			double t0 = now();
			run_blocks(net, xs, y, STRETCH, 1);
			const double a = now() - t0;
			t0 = now();
			run_blocks(net, xs, y, STRETCH, 64);
			const double b = now() - t0;
			ratios[r * PAIRS + p] = a / b;
			sum1 += a;
			sum64 += b;
		}
		t1[r] = sum1 / (PAIRS * STRETCH) * 1e9;
		t64[r] = sum64 / (PAIRS * STRETCH) * 1e9;
	}
	denormals_flush_end(guard);
	const double median = bench_median(ratios, runs * PAIRS); // sorts them
	*quiet = ratios[runs * PAIRS / 10];
	return median;
}

typedef struct {
	LstmIsa isa;
	LstmActivations act;
	const char *name;
} Config;

static double max_err(const float *y, const float *ref, size_t n)
{
	double e = 0.0;
	for (size_t t = 0; t < n; t++) {
		double d = fabs((double)y[t] - (double)ref[t]);
		if (!(d <= e))
			e = d;
	}
	return e;
}

static void bench_cell(CellType cell, const int *sizes, int nsizes, const float *x, size_t n,
                       int runs)
{
	Config configs[MAX_CONFIGS];
	int nc = 0;
	const LstmIsa isas[] = {LSTM_ISA_SCALAR, LSTM_ISA_AVX2, LSTM_ISA_AVX512};
	static const char *names[3][2] = {
		{"scal.ex", "scal.fa"}, {"avx2.ex", "avx2.fa"}, {"a512.ex", "a512.fa"}};
	for (int i = 0; i < 3; i++)
		if (lstm_isa_supported(isas[i]))
			for (int a = 0; a < 2; a++)
				configs[nc++] = (Config){isas[i], a ? LSTM_ACT_FAST : LSTM_ACT_EXACT, names[i][a]};
	printf("\n%s, input 1, 1 layer, linear head, skip; runs of %zu samples in blocks of %d "
	       "(* fewer: the run was cut to %.2f s, at least %d samples); ns/sample, median of %d "
	       "runs; (xN) = naive / engine\n",
	       cell == CELL_GRU ? "GRU" : "LSTM", n, BLOCK, RUN_BUDGET_S, MIN_FRAMES, runs);
	printf("%4s %8s", "H", "naive ");
	for (int k = 0; k < nc; k++)
		printf(" %16s", configs[k].name);
	printf("  %-6s %9s %9s %23s\n", "auto", "err.fast", "err.exact", "1-frame/64 [p10] (ns)");

	float *y = malloc(n * sizeof(float));
	float *ref = malloc(ERR_FRAMES * sizeof(float));
	double *t = malloc((size_t)runs * sizeof(double));
	double *t64 = malloc((size_t)runs * sizeof(double));
	if (!y || !ref || !t || !t64)
		abort();
	const size_t nerr = n < ERR_FRAMES ? n : ERR_FRAMES;
	for (int s = 0; s < nsizes; s++) {
		ModelDesc m;
		build(&m, cell, sizes[s]);
		double_run(&m, x, ref, nerr);

		double t0 = now();
		naive_run(&m, x, y, MIN_FRAMES / 4); // warm up and estimate
		size_t nf = frames_for((now() - t0) / (MIN_FRAMES / 4) * 1e9, n);
		for (int r = 0; r < runs; r++) {
			t0 = now();
			naive_run(&m, x, y, nf);
			t[r] = (now() - t0) / (double)nf * 1e9;
		}
		const double naive_ns = bench_median(t, runs);
		printf("%4d %7.1f%s", sizes[s], naive_ns, nf < n ? "*" : " ");
		fflush(stdout);

		double err_fast = 0.0, err_exact = 0.0;
		for (int k = 0; k < nc; k++) {
			LstmNetOptions opt = {configs[k].act, configs[k].isa};
			ModelError err;
			LstmNet *net = lstm_net_create(&m, &opt, &err);
			if (!net) {
				fprintf(stderr, "bench_engine: %s\n", err.message);
				exit(1);
			}
			t0 = now();
			run_net(net, x, y, MIN_FRAMES / 4);
			nf = frames_for((now() - t0) / (MIN_FRAMES / 4) * 1e9, n);
			for (int r = 0; r < runs; r++) {
				t0 = now();
				run_net(net, x, y, nf);
				t[r] = (now() - t0) / (double)nf * 1e9;
			}
			const double ns = bench_median(t, runs);
			const double e = max_err(y, ref, nerr);
			if (configs[k].act == LSTM_ACT_FAST)
				err_fast = fmax(err_fast, e);
			else
				err_exact = fmax(err_exact, e);
			char cell_text[32];
			snprintf(cell_text, sizeof cell_text, "%.1f%s(x%.1f)", ns, nf < n ? "* " : " ",
			         naive_ns / ns);
			printf(" %16s", cell_text);
			fflush(stdout);
			lstm_net_destroy(net);
		}
		LstmNet *net = lstm_net_create(&m, NULL, NULL);
		printf("  %-6s %9.2g %9.2g", net ? lstm_isa_name(lstm_net_isa(net)) : "-", err_fast,
		       err_exact);
		if (net) {
			double quiet;
			const double ratio = one_frame_ratio(net, x, y, n, runs, t, t64, &quiet);
			printf("  %5.2fx [%.2fx] (%.1f/%.1f)", ratio, quiet, bench_median(t, runs),
			       bench_median(t64, runs));
		}
		printf("\n");
		lstm_net_destroy(net);
		model_desc_free(&m);
	}
	free(y);
	free(ref);
	free(t);
	free(t64);
}

static void pin_to_one_core(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		fprintf(stderr, "bench_engine: could not pin to one core; figures may be noisier\n");
}

int main(int argc, char **argv)
{
	int quick = 0, runs = 5;
	static const struct option options[] = {
		{"quick", no_argument, NULL, 'q'},
		{"runs", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "qr:h", options, NULL)) != -1) {
		switch (opt) {
		case 'q': quick = 1; break;
		case 'r':
			runs = atoi(optarg);
			if (runs < 1 || runs > 101) {
				fprintf(stderr, "bench_engine: --runs %s: expected 1 to 101\n", optarg);
				return 2;
			}
			break;
		case 'h': printf("usage: bench_engine [--quick] [--runs N]\n"); return 0;
		default: fprintf(stderr, "usage: bench_engine [--quick] [--runs N]\n"); return 2;
		}
	}
	static const int full_sizes[] = {8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128};
	static const int quick_sizes[] = {8, 16, 32, 64};
	const int *sizes = quick ? quick_sizes : full_sizes;
	const int nsizes = quick ? 4 : (int)(sizeof full_sizes / sizeof full_sizes[0]);
	const size_t n = quick ? 48000 : 480000;

	pin_to_one_core();
	float *x = malloc(n * sizeof(float));
	if (!x)
		abort();
	make_signal(x, n);
	printf("bench_engine: %s; CPU runs avx2: %s, avx512: %s\n", quick ? "quick" : "full",
	       lstm_isa_supported(LSTM_ISA_AVX2) ? "yes" : "no",
	       lstm_isa_supported(LSTM_ISA_AVX512) ? "yes" : "no");
	printf("errors: largest |y - y_float64| over the first %d samples, fast and exact paths\n",
	       ERR_FRAMES);
	const double t0 = now();
	bench_cell(CELL_LSTM, sizes, nsizes, x, n, runs);
	bench_cell(CELL_GRU, sizes, nsizes, x, n, runs);
	printf("\ntotal %.0f s of CPU time\n", now() - t0);
	free(x);
	return 0;
}
