// SPDX-License-Identifier: ISC
// The RatePlayer (rate_player.h): picks the path, owns the network, and cuts host blocks into
// the chunks the paths were sized for. Denormals are flushed for the whole call, as the engine
// does inside its own, because the resamplers' filter memories decay into them after a note.
#include "rate_player.h"

#include "denormals.h"
#include "name_table.h"
#include "rate_correct.h"
#include "rate_resample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATE_MAX_CHUNK = 4096 };

struct RatePlayer {
	RatePath path;
	double host_rate, model_rate;
	uint32_t chunk;
	LstmNet *net; // owned here; the path's corrector or resampler borrows it
	RateResampler *rs;
	RateCorrector *rc;
};

// Indexed by the enums: the names options, logs and rate_mode_parse() use.
static const char *const mode_names[] = {
	[RATE_MODE_AUTO] = "auto",
	[RATE_MODE_RESAMPLE] = "resample",
	[RATE_MODE_CORRECT] = "correct",
};
static const char *const path_names[] = {
	[RATE_PATH_BYPASS] = "bypass",
	[RATE_PATH_RESAMPLE] = "resample",
	[RATE_PATH_CORRECT] = "correct",
};

const char *rate_mode_name(RateMode mode) { return NAME_TABLE_NAME(mode_names, mode); }

const char *rate_path_name(RatePath path) { return NAME_TABLE_NAME(path_names, path); }

int rate_mode_parse(const char *text, RateMode *out)
{
	const int mode = NAME_TABLE_VALUE(mode_names, text);
	if (mode < 0)
		return -1;
	*out = (RateMode)mode;
	return 0;
}

static uint32_t whole_hz(double rate) { return (uint32_t)lround(rate); }

RatePath rate_path_choose(double model_rate, double host_rate, RateMode mode)
{
	const uint32_t m = whole_hz(model_rate), h = whole_hz(host_rate);
	if (m == h)
		return RATE_PATH_BYPASS;
	// Far above the model's rate the state ring grows long and the blend of chains loses its
	// meaning; resampling is right there too.
	if (mode == RATE_MODE_CORRECT && h > m && h <= (uint64_t)m * RATE_MAX_RATIO)
		return RATE_PATH_CORRECT;
	return RATE_PATH_RESAMPLE;
}

RatePlayer *rate_player_create(const ModelDesc *m, double host_rate, RateMode mode, int max_block,
                               ModelError *err)
{
	return rate_player_create_opt(m, host_rate, mode, max_block, NULL, err);
}

RatePlayer *rate_player_create_opt(const ModelDesc *m, double host_rate, RateMode mode,
                                   int max_block, const LstmNetOptions *opt, ModelError *err)
{
	if (!(host_rate >= RATE_MIN_HOST && host_rate <= RATE_MAX_HOST)) {
		model_error_set(err, MODEL_ERR_RANGE, "host sample rate %g Hz: outside %d to %d", host_rate,
		                RATE_MIN_HOST, RATE_MAX_HOST);
		return NULL;
	}
	if (max_block < 1) {
		model_error_set(err, MODEL_ERR_RANGE, "block size %d: must be at least 1", max_block);
		return NULL;
	}
	if (mode != RATE_MODE_AUTO && mode != RATE_MODE_RESAMPLE && mode != RATE_MODE_CORRECT) {
		model_error_set(err, MODEL_ERR_RANGE, "rate mode %d: unknown", (int)mode);
		return NULL;
	}
	LstmNet *net = lstm_net_create(m, opt, err);
	if (!net)
		return NULL;
	RatePlayer *p = calloc(1, sizeof *p);
	if (!p) {
		lstm_net_destroy(net);
		model_error_set(err, MODEL_ERR_NOMEM, "rate player: out of memory");
		return NULL;
	}
	p->host_rate = host_rate;
	p->model_rate = m->sample_rate;
	p->chunk = max_block < RATE_MAX_CHUNK ? (uint32_t)max_block : RATE_MAX_CHUNK;
	p->path = rate_path_choose(m->sample_rate, host_rate, mode);
	p->net = net;
	const double ratio = (double)whole_hz(host_rate) / whole_hz(m->sample_rate);
	if (p->path == RATE_PATH_CORRECT)
		p->rc = rate_corrector_create(net, ratio, err);
	if (p->path == RATE_PATH_RESAMPLE)
		p->rs = rate_resampler_create(net, whole_hz(m->sample_rate), whole_hz(host_rate), p->chunk,
		                              err);
	if (p->path != RATE_PATH_BYPASS && !p->rc && !p->rs) {
		rate_player_destroy(p);
		return NULL;
	}
	return p;
}

void rate_player_destroy(RatePlayer *p)
{
	if (!p)
		return;
	rate_corrector_destroy(p->rc);
	rate_resampler_destroy(p->rs);
	lstm_net_destroy(p->net);
	free(p);
}

void rate_player_process(RatePlayer *p, const float *const *inputs, float *out, uint32_t n)
{
	if (p->path == RATE_PATH_BYPASS) {
		lstm_net_process(p->net, inputs, out, n);
		return;
	}
	const DenormalGuard guard = denormals_flush_begin();
	const int inputs_n = rate_player_inputs(p);
	const float *chunk_in[MODEL_MAX_INPUTS];
	for (uint32_t done = 0; done < n;) {
		uint32_t k = n - done;
		if (k > p->chunk)
			k = p->chunk;
		for (int c = 0; c < inputs_n; c++)
			chunk_in[c] = inputs[c] + done;
		if (p->path == RATE_PATH_RESAMPLE)
			rate_resampler_process(p->rs, chunk_in, out + done, k);
		else
			rate_corrector_process(p->rc, chunk_in, out + done, k);
		done += k;
	}
	denormals_flush_end(guard);
}

void rate_player_reset(RatePlayer *p)
{
	switch (p->path) {
	case RATE_PATH_BYPASS: lstm_net_reset(p->net); break;
	case RATE_PATH_RESAMPLE: rate_resampler_reset(p->rs); break;
	case RATE_PATH_CORRECT: rate_corrector_reset(p->rc); break;
	}
}

uint32_t rate_player_latency(const RatePlayer *p)
{
	return p->path == RATE_PATH_RESAMPLE ? rate_resampler_latency(p->rs) : 0;
}

RatePath rate_player_path(const RatePlayer *p) { return p->path; }

double rate_player_host_rate(const RatePlayer *p) { return p->host_rate; }

double rate_player_model_rate(const RatePlayer *p) { return p->model_rate; }

LstmNet *rate_player_net(RatePlayer *p) { return p->net; }

int rate_player_inputs(const RatePlayer *p) { return lstm_net_inputs(p->net); }

unsigned long rate_player_underruns(const RatePlayer *p)
{
	return p->path == RATE_PATH_RESAMPLE ? rate_resampler_underruns(p->rs) : 0;
}
