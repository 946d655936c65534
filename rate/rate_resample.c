// SPDX-License-Identifier: ISC
// The resampling path (rate_resample.h). libspeexdsp was chosen over libsamplerate and libsoxr
// (docs/sample-rates.md): its process call allocates nothing after set-up, it is the fastest of
// the three at the quality needed, and skip_zeros() makes its delay exactly zero, which lets the
// path report a whole-sample latency.
//
// The latency is the smallest FIFO priming that never runs dry when the host feeds one sample
// at a time (the worst case: larger blocks push more input before pulling output). It is found
// at creation by running the two resamplers on silence and counting what comes out, because
// speex's look-ahead depends on the phase of its rational ratio in ways the API does not state.
#include "rate_resample.h"

#include <speex/speex_resampler.h>
#include <stdlib.h>
#include <string.h>

// The two speex resamplers of the path.
typedef struct {
	SpeexResamplerState *down; // host -> model, one channel per network input
	SpeexResamplerState *up;   // model -> host, the output
} SpeexPair;

struct RateResampler {
	LstmNet *net;
	int inputs;
	SpeexPair speex;
	uint32_t chunk;                    // largest host block per process call
	uint32_t model_cap;                // model frames one chunk can yield, with room to spare
	float *model_in[MODEL_MAX_INPUTS]; // [model_cap] each
	float *model_out;                  // [model_cap]
	float *fifo;                       // [fifo_cap] host-rate output waiting to be played
	uint32_t fifo_cap, fifo_n;
	uint32_t latency; // host samples of priming
	unsigned long underruns;
	float block[]; // model_in, model_out and fifo: one allocation with the struct
};

static void speex_pair_close(SpeexPair *sp)
{
	// speex_resampler_destroy() does not take NULL, which a refused init leaves.
	if (sp->down)
		speex_resampler_destroy(sp->down);
	if (sp->up)
		speex_resampler_destroy(sp->up);
}

static void speex_pair_restart(const SpeexPair *sp)
{
	speex_resampler_reset_mem(sp->down);
	speex_resampler_skip_zeros(sp->down);
	speex_resampler_reset_mem(sp->up);
	speex_resampler_skip_zeros(sp->up);
}

// Opens and restarts both resamplers. Returns 0, or -1 with err filled and nothing left open.
static int speex_pair_open(SpeexPair *sp, int inputs, uint32_t model_rate, uint32_t host_rate,
                           ModelError *err)
{
	int e1 = 0, e2 = 0;
	sp->down =
		speex_resampler_init((spx_uint32_t)inputs, host_rate, model_rate, RATE_SPEEX_QUALITY, &e1);
	sp->up = speex_resampler_init(1, model_rate, host_rate, RATE_SPEEX_QUALITY, &e2);
	if (!sp->down || !sp->up) {
		model_error_set(err,
		                e1 == RESAMPLER_ERR_ALLOC_FAILED || e2 == RESAMPLER_ERR_ALLOC_FAILED
		                    ? MODEL_ERR_NOMEM
		                    : MODEL_ERR_RANGE,
		                "resampler: speex refuses %u Hz <-> %u Hz: %s", (unsigned)host_rate,
		                (unsigned)model_rate, speex_resampler_strerror(e1 ? e1 : e2));
		speex_pair_close(sp);
		return -1;
	}
	speex_pair_restart(sp);
	return 0;
}

// Feeds silence one host sample at a time and returns the largest shortfall of produced output
// against consumed input. The phase pattern repeats every den host samples (den = host/gcd), so
// two whole periods plus the filters' warm-up cover every case; very long periods are covered
// in part and given one sample of margin. Leaves the pair restarted.
static uint32_t measure_latency(const SpeexPair *sp, int inputs, uint32_t model_rate,
                                uint32_t host_rate)
{
	uint32_t a = model_rate, b = host_rate;
	while (b) {
		const uint32_t t = a % b;
		a = b;
		b = t;
	}
	const uint64_t period = host_rate / a;
	uint64_t span = 2 * period + 4 * 4096;
	uint32_t margin = 0;
	if (span > 262144) {
		span = 262144;
		margin = 1;
	}
	// One input sample yields at most ceil(ratio) outputs: 48 at the widest rates accepted.
	enum { MOST = 64 };
	const float zero = 0.0f;
	float model[MOST], host[MOST];
	uint64_t produced = 0;
	int64_t worst = 0;
	for (uint64_t i = 0; i < span; i++) {
		spx_uint32_t in_len = 1, out_len = MOST;
		for (int c = 0; c < inputs; c++) {
			in_len = 1;
			out_len = MOST;
			speex_resampler_process_float(sp->down, (spx_uint32_t)c, &zero, &in_len, model,
			                              &out_len);
		}
		spx_uint32_t m_len = out_len, h_len = MOST;
		speex_resampler_process_float(sp->up, 0, model, &m_len, host, &h_len);
		produced += h_len;
		const int64_t shortfall = (int64_t)(i + 1) - (int64_t)produced;
		if (shortfall > worst)
			worst = shortfall;
	}
	speex_pair_restart(sp);
	return (uint32_t)worst + margin;
}

// The resamplers come first: the latency they measure sizes the FIFO, and so the allocation.
RateResampler *rate_resampler_create(LstmNet *net, uint32_t model_rate, uint32_t host_rate,
                                     uint32_t chunk, ModelError *err)
{
	const int inputs = lstm_net_inputs(net);
	SpeexPair speex;
	if (speex_pair_open(&speex, inputs, model_rate, host_rate, err) != 0)
		return NULL;
	const uint32_t latency = measure_latency(&speex, inputs, model_rate, host_rate);
	const uint32_t model_cap =
		(uint32_t)(((uint64_t)chunk * model_rate + host_rate - 1) / host_rate) + 16;
	const uint32_t fifo_cap = latency + chunk + 16;
	const size_t floats = (size_t)model_cap * ((size_t)inputs + 1) + fifo_cap;
	RateResampler *rs = calloc(1, sizeof *rs + floats * sizeof(float));
	if (!rs) {
		speex_pair_close(&speex);
		model_error_set(err, MODEL_ERR_NOMEM, "resampler: out of memory");
		return NULL;
	}
	*rs = (RateResampler){.net = net,
	                      .inputs = inputs,
	                      .speex = speex,
	                      .chunk = chunk,
	                      .model_cap = model_cap,
	                      .fifo_cap = fifo_cap,
	                      .latency = latency};
	float *p = rs->block;
	for (int c = 0; c < inputs; c++, p += model_cap)
		rs->model_in[c] = p;
	rs->model_out = p;
	rs->fifo = p + model_cap;
	rate_resampler_reset(rs);
	return rs;
}

void rate_resampler_destroy(RateResampler *rs)
{
	if (rs)
		speex_pair_close(&rs->speex);
	free(rs);
}

void rate_resampler_reset(RateResampler *rs)
{
	speex_pair_restart(&rs->speex);
	lstm_net_reset(rs->net);
	memset(rs->fifo, 0, rs->latency * sizeof *rs->fifo);
	rs->fifo_n = rs->latency;
}

void rate_resampler_process(RateResampler *rs, const float *const *inputs, float *out, uint32_t n)
{
	spx_uint32_t frames = 0;
	for (int c = 0; c < rs->inputs; c++) {
		spx_uint32_t in_len = n, out_len = rs->model_cap;
		speex_resampler_process_float(rs->speex.down, (spx_uint32_t)c, inputs[c], &in_len,
		                              rs->model_in[c], &out_len);
		frames = out_len;
	}
	const float *model_in[MODEL_MAX_INPUTS];
	for (int c = 0; c < rs->inputs; c++)
		model_in[c] = rs->model_in[c];
	lstm_net_process(rs->net, model_in, rs->model_out, frames);

	spx_uint32_t in_len = frames, out_len = rs->fifo_cap - rs->fifo_n;
	speex_resampler_process_float(rs->speex.up, 0, rs->model_out, &in_len, rs->fifo + rs->fifo_n,
	                              &out_len);
	rs->fifo_n += out_len;

	uint32_t ready = rs->fifo_n < n ? rs->fifo_n : n;
	memcpy(out, rs->fifo, ready * sizeof *out);
	if (ready < n) {
		memset(out + ready, 0, (n - ready) * sizeof *out);
		rs->underruns++;
	}
	rs->fifo_n -= ready;
	memmove(rs->fifo, rs->fifo + ready, rs->fifo_n * sizeof *rs->fifo);
}

uint32_t rate_resampler_latency(const RateResampler *rs) { return rs->latency; }

unsigned long rate_resampler_underruns(const RateResampler *rs) { return rs->underruns; }
