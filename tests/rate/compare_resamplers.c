// SPDX-License-Identifier: ISC
// The evidence behind rate/'s choice of resampler (docs/sample-rates.md): libspeexdsp,
// libsamplerate and libsoxr at several qualities, each at 44.1 <-> 48 kHz and 96 <-> 48 kHz,
// streamed in 64-frame blocks. For each it prints
// - rt: the forbidden calls (rt_interposer.h) made by the process call after four warm-up
//   blocks: anything but "none" rules a library out for the audio thread;
// - lag: the streaming latency in output samples, found as the largest shortfall of output
//   against input when fed one sample at a time (what a real-time wrapper must pre-fill);
// - pass: error-to-signal ratio of a 1 kHz, 10 kHz and 18 kHz sine after removing the best
//   delay (the passband is flat where that is tiny);
// - stop: for 48 -> 44.1 kHz, the level of a 23 kHz sine (above the output's Nyquist) that
//   leaks through as an alias, in dB;
// - ns: CPU time per input sample (thread CPU time, median of 5).
// Not a pass/fail test: run build/tests/rate/compare_resamplers by hand.
#include "rt_interposer.h"

#include <math.h>
#include <samplerate.h>
#include <soxr.h>
#include <speex/speex_resampler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double PI = 3.14159265358979323846;

typedef enum { LIB_SPEEX, LIB_SRC, LIB_SOXR } Lib;

typedef struct {
	Lib lib;
	void *st;
	double ratio;
} Resampler;

static int make(Resampler *r, Lib lib, int q, int in, int out)
{
	int err = 0;
	r->lib = lib;
	r->ratio = (double)out / in;
	if (lib == LIB_SPEEX) {
		r->st = speex_resampler_init(1, (spx_uint32_t)in, (spx_uint32_t)out, q, &err);
		if (r->st)
			speex_resampler_skip_zeros(r->st);
	} else if (lib == LIB_SRC) {
		r->st = src_new(q, 1, &err);
	} else {
		soxr_quality_spec_t qs = soxr_quality_spec((unsigned long)q, 0);
		soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
		soxr_error_t e = NULL;
		r->st = soxr_create(in, out, 1, &e, &io, &qs, NULL);
	}
	return r->st ? 0 : -1;
}

static void destroy(Resampler *r)
{
	if (r->lib == LIB_SPEEX)
		speex_resampler_destroy(r->st);
	else if (r->lib == LIB_SRC)
		src_delete(r->st);
	else
		soxr_delete(r->st);
}

// Consumes all n inputs; returns the outputs written.
static size_t run(Resampler *r, const float *in, size_t n, float *out, size_t cap)
{
	if (r->lib == LIB_SPEEX) {
		spx_uint32_t il = (spx_uint32_t)n, ol = (spx_uint32_t)cap;
		speex_resampler_process_float(r->st, 0, in, &il, out, &ol);
		return ol;
	}
	if (r->lib == LIB_SRC) {
		SRC_DATA d;
		memset(&d, 0, sizeof d);
		d.data_in = in;
		d.input_frames = (long)n;
		d.data_out = out;
		d.output_frames = (long)cap;
		d.src_ratio = r->ratio;
		src_process(r->st, &d);
		return (size_t)d.output_frames_gen;
	}
	size_t idone = 0, odone = 0;
	soxr_process(r->st, in, n, &idone, out, cap, &odone);
	return odone;
}

enum { N = 48000, CAP = 4 * N, BLOCK = 64 };
static float in_buf[N], out_buf[CAP];

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// Streams a sine through a fresh resampler; returns the outputs and fills *viol, *ns.
static size_t stream_sine(Lib lib, int q, int fin, int fout, double f, unsigned long *viol,
                          double *ns)
{
	Resampler r;
	if (make(&r, lib, q, fin, fout) != 0)
		abort();
	for (int i = 0; i < N; i++)
		in_buf[i] = (float)(0.5 * sin(2 * PI * f * i / fin));
	size_t o = 0;
	rt_violations_reset();
	const double t0 = cpu_now();
	for (int i = 0; i < N; i += BLOCK) {
		if (i == 4 * BLOCK)
			rt_section_begin();
		o += run(&r, in_buf + i, BLOCK, out_buf + o, CAP - o);
	}
	rt_section_end();
	*ns = (cpu_now() - t0) / N * 1e9;
	*viol = rt_violations();
	destroy(&r);
	return o;
}

// ESR of out against the best-fitting sine of frequency f (second half of the output).
static double sine_error(size_t o, double f, int fout)
{
	double ss = 0, sc = 0, s2 = 0, c2 = 0;
	const size_t k0 = o / 2, k1 = o - 200;
	for (size_t k = k0; k < k1; k++) {
		const double w = 2 * PI * f * (double)k / fout, s = sin(w), c = cos(w);
		ss += out_buf[k] * s, sc += out_buf[k] * c, s2 += s * s, c2 += c * c;
	}
	const double a = ss / s2, b = sc / c2;
	double e = 0, p = 0;
	for (size_t k = k0; k < k1; k++) {
		const double w = 2 * PI * f * (double)k / fout;
		const double ref = a * sin(w) + b * cos(w), want = 0.5 * sin(w - atan2(-b, a));
		e += (out_buf[k] - ref) * (out_buf[k] - ref) + (ref - want) * (ref - want);
		p += want * want;
	}
	return e / p;
}

static double rms_db(size_t o)
{
	double p = 0;
	for (size_t k = o / 2; k < o; k++)
		p += (double)out_buf[k] * out_buf[k];
	return 10 * log10(p / (double)(o - o / 2) / 0.125 + 1e-30);
}

// Largest (inputs so far) * ratio - (outputs so far), feeding one sample at a time.
static double streaming_lag(Lib lib, int q, int fin, int fout)
{
	Resampler r;
	if (make(&r, lib, q, fin, fout) != 0)
		abort();
	const float zero = 0.0f;
	float out[16];
	double produced = 0, worst = 0;
	for (int i = 0; i < 4 * N / 10; i++) {
		produced += (double)run(&r, &zero, 1, out, 16);
		const double lag = (i + 1) * r.ratio - produced;
		if (lag > worst)
			worst = lag;
	}
	destroy(&r);
	return worst;
}

int main(void)
{
	if (rt_interposer_self_check() != 0) {
		fprintf(stderr, "compare_resamplers: the interposer does not work\n");
		return 1;
	}
	static const struct {
		Lib lib;
		int q;
		const char *name;
	} cfg[] = {
		{LIB_SPEEX, 3, "speex q3"},
		{LIB_SPEEX, 5, "speex q5"},
		{LIB_SPEEX, 7, "speex q7"},
		{LIB_SPEEX, 10, "speex q10"},
		{LIB_SRC, SRC_SINC_FASTEST, "src fastest"},
		{LIB_SRC, SRC_SINC_MEDIUM_QUALITY, "src medium"},
		{LIB_SRC, SRC_SINC_BEST_QUALITY, "src best"},
		{LIB_SOXR, SOXR_LQ, "soxr LQ"},
		{LIB_SOXR, SOXR_MQ, "soxr MQ"},
		{LIB_SOXR, SOXR_HQ, "soxr HQ"},
	};
	static const int rates[][2] = {{44100, 48000}, {48000, 44100}, {96000, 48000}, {48000, 96000}};
	printf("%-12s %-13s %-18s %6s %-26s %8s %8s\n", "library", "rates", "rt (after warm-up)", "lag",
	       "pass ESR 1k/10k/18k", "stop dB", "ns");
	for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; c++) {
		for (size_t k = 0; k < 4; k++) {
			const int fin = rates[k][0], fout = rates[k][1];
			unsigned long viol = 0, v;
			double ns[5], dummy, pass[3];
			static const double freqs[] = {1000, 10000, 18000};
			for (int j = 0; j < 3; j++) {
				const size_t o = stream_sine(cfg[c].lib, cfg[c].q, fin, fout, freqs[j], &v, &dummy);
				pass[j] = sine_error(o, freqs[j], fout);
				viol += v;
			}
			char report[128] = "none";
			if (viol)
				rt_violation_report(report, sizeof report);
			for (int j = 0; j < 5; j++)
				stream_sine(cfg[c].lib, cfg[c].q, fin, fout, 1000, &v, &ns[j]);
			for (int a = 0; a < 5; a++)
				for (int b = a + 1; b < 5; b++)
					if (ns[b] < ns[a]) {
						const double t = ns[a];
						ns[a] = ns[b], ns[b] = t;
					}
			char stop[16] = "-";
			if (fin == 48000 && fout == 44100) {
				const size_t o = stream_sine(cfg[c].lib, cfg[c].q, fin, fout, 23000, &v, &dummy);
				snprintf(stop, sizeof stop, "%.0f", rms_db(o));
			}
			char rr[32];
			snprintf(rr, sizeof rr, "%g->%g", fin / 1000.0, fout / 1000.0);
			printf("%-12s %-13s %-18.18s %6.1f %8.1e %8.1e %8.1e %8s %8.1f\n", cfg[c].name, rr,
			       viol ? report : "none", streaming_lag(cfg[c].lib, cfg[c].q, fin, fout), pass[0],
			       pass[1], pass[2], stop, ns[2]);
		}
	}
	return 0;
}
