// SPDX-License-Identifier: ISC
// The plugin's signal path (see fx_core.h). The hot loop works in chunks of FX_CHUNK frames so
// the scratch buffers stay small; the engine gives the same bits however a signal is split.
#include "fx_core.h"

#include "denormals.h"

#include <math.h>
#include <string.h>

enum {
	FX_GAIN_DB_MIN = -24,
	FX_GAIN_DB_MAX = 24,
};

static float db_to_gain(float db)
{
	// 0 dB must give exactly 1 so that default controls leave the signal's bits alone.
	return db == 0.0f ? 1.0f : powf(10.0f, db / 20.0f);
}

static float clampf(float v, float lo, float hi)
{
	if (!(v >= lo)) // also catches NaN
		return lo;
	return v > hi ? hi : v;
}

void fx_core_init(FxCore *fx, double rate)
{
	memset(fx, 0, sizeof(*fx));
	fx->rate = rate;
	fx_smooth_init(&fx->in_gain, rate, FX_SMOOTH_SECONDS, 1.0f);
	fx_smooth_init(&fx->out_gain, rate, FX_SMOOTH_SECONDS, 1.0f);
	fx_smooth_init(&fx->mix, rate, FX_SMOOTH_SECONDS, 1.0f);
	fx_smooth_init(&fx->enabled, rate, FX_SMOOTH_SECONDS, 1.0f);
	for (int k = 0; k < FX_MAX_KNOBS; k++)
		fx_smooth_init(&fx->knob[k], rate, FX_SMOOTH_SECONDS, 0.5f);
	fx->fade_len = (uint32_t)(FX_MODEL_FADE_SECONDS * rate);
	if (fx->fade_len < 1)
		fx->fade_len = 1;
}

// A model's network through its rate player. Audio thread.
static void model_reset(FxModel *m) { rate_player_reset(m->player); }

static void model_process(FxModel *m, const float *const *inputs, float *out, uint32_t n)
{
	rate_player_process(m->player, inputs, out, n);
}

static int model_state_is_finite(FxModel *m)
{
	return lstm_net_state_is_finite(rate_player_net(m->player));
}

static void retire(FxCore *fx, FxModel *m)
{
	// Callers check for room first; a full list would only leak, never free on this thread.
	if (m && fx->num_retired < FX_RETIRE_MAX)
		fx->retired[fx->num_retired++] = m;
}

static void start_fade(FxCore *fx, FxModel *m)
{
	fx->old = fx->cur;
	fx->cur = m;
	fx->fade_pos = 0;
}

static void end_fade(FxCore *fx)
{
	retire(fx, fx->old);
	fx->old = NULL;
	fx->fade_pos = 0;
	if (fx->pending) {
		FxModel *next = fx->pending;
		fx->pending = NULL;
		start_fade(fx, next);
	}
}

void fx_core_reset(FxCore *fx)
{
	retire(fx, fx->old);
	fx->old = NULL;
	if (fx->pending) {
		retire(fx, fx->cur);
		fx->cur = fx->pending;
		fx->pending = NULL;
	}
	fx->fade_pos = 0;
	if (fx->cur)
		model_reset(fx->cur);
	memset(fx->dry_line, 0, sizeof(fx->dry_line));
	fx_core_snap_parameters(fx);
}

void fx_core_snap_parameters(FxCore *fx)
{
	fx_smooth_jump(&fx->in_gain);
	fx_smooth_jump(&fx->out_gain);
	fx_smooth_jump(&fx->mix);
	fx_smooth_jump(&fx->enabled);
	for (int k = 0; k < FX_MAX_KNOBS; k++)
		fx_smooth_jump(&fx->knob[k]);
}

void fx_core_set_input_gain_db(FxCore *fx, float db)
{
	const float g = db_to_gain(clampf(db, FX_GAIN_DB_MIN, FX_GAIN_DB_MAX));
	if (g != fx->in_gain.target)
		fx_smooth_set(&fx->in_gain, g);
}

void fx_core_set_output_gain_db(FxCore *fx, float db)
{
	const float g = db_to_gain(clampf(db, FX_GAIN_DB_MIN, FX_GAIN_DB_MAX));
	if (g != fx->out_gain.target)
		fx_smooth_set(&fx->out_gain, g);
}

void fx_core_set_mix(FxCore *fx, float mix)
{
	mix = clampf(mix, 0.0f, 1.0f);
	if (mix != fx->mix.target)
		fx_smooth_set(&fx->mix, mix);
}

void fx_core_set_enabled(FxCore *fx, int enabled)
{
	const float e = enabled ? 1.0f : 0.0f;
	if (e != fx->enabled.target)
		fx_smooth_set(&fx->enabled, e);
}

void fx_core_set_knob(FxCore *fx, int k, float value01)
{
	if (k < 0 || k >= FX_MAX_KNOBS)
		return;
	value01 = clampf(value01, 0.0f, 1.0f);
	if (value01 != fx->knob[k].target)
		fx_smooth_set(&fx->knob[k], value01);
}

int fx_core_offer_model(FxCore *fx, FxModel *m)
{
	// Room for everything this offer may retire: the replaced pending one now, the fading one
	// at the end of its fade.
	if (fx->num_retired > FX_RETIRE_MAX - 2)
		return -1;
	if (fx->old) {
		retire(fx, fx->pending);
		fx->pending = m;
	} else {
		start_fade(fx, m);
	}
	return 0;
}

int fx_core_install_model(FxCore *fx, FxModel *m)
{
	if (fx->num_retired > FX_RETIRE_MAX - 3)
		return -1;
	retire(fx, fx->old);
	retire(fx, fx->pending);
	retire(fx, fx->cur);
	fx->old = NULL;
	fx->pending = NULL;
	fx->cur = m;
	fx->fade_pos = 0;
	if (m)
		model_reset(m);
	return 0;
}

FxModel *fx_core_model(const FxCore *fx) { return fx->cur; }

FxModel *fx_core_next_model(const FxCore *fx) { return fx->pending ? fx->pending : fx->cur; }

int fx_core_changing(const FxCore *fx) { return fx->old != NULL || fx->pending != NULL; }

uint32_t fx_core_nonfinite_blocks(const FxCore *fx) { return fx->nonfinite_blocks; }

int fx_core_retire(FxCore *fx, FxModel *m)
{
	if (fx->num_retired >= FX_RETIRE_MAX)
		return -1;
	retire(fx, m);
	return 0;
}

FxModel *fx_core_take_retired(FxCore *fx)
{
	if (fx->num_retired == 0)
		return NULL;
	return fx->retired[--fx->num_retired];
}

// One model's output for the chunk in fx->x (already through the input gain) into wet.
static void run_model(FxCore *fx, FxModel *m, uint32_t n, float *wet)
{
	if (!m) {
		memcpy(wet, fx->x, n * sizeof(float));
		return;
	}
	const float *inputs[1 + FX_MAX_KNOBS];
	inputs[0] = fx->x;
	if (m->level_in != 1.0f) {
		for (uint32_t t = 0; t < n; t++)
			fx->scaled[t] = fx->x[t] * m->level_in;
		inputs[0] = fx->scaled;
	}
	for (int k = 0; k < m->knobs; k++) {
		const float lo = m->knob_min[k], def = m->knob_def[k], hi = m->knob_max[k];
		for (uint32_t t = 0; t < n; t++)
			fx->cond[k][t] = fx_knob_value(fx->knobv[k][t], lo, def, hi);
		inputs[1 + k] = fx->cond[k];
	}
	model_process(m, inputs, wet, n);
	if (m->level_out != 1.0f)
		for (uint32_t t = 0; t < n; t++)
			wet[t] *= m->level_out;
}

static void process_chunk(FxCore *fx, const float *in, float *out, uint32_t n)
{
	memcpy(fx->dry, in, n * sizeof(float)); // out may alias in

	if (fx_smooth_settled(&fx->in_gain)) {
		const float g = fx->in_gain.value;
		for (uint32_t t = 0; t < n; t++)
			fx->x[t] = fx->dry[t] * g;
	} else {
		for (uint32_t t = 0; t < n; t++)
			fx->x[t] = fx->dry[t] * fx_smooth_next(&fx->in_gain);
	}
	for (int k = 0; k < FX_MAX_KNOBS; k++)
		for (uint32_t t = 0; t < n; t++)
			fx->knobv[k][t] = fx_smooth_next(&fx->knob[k]);

	// The network got the input as it is; mix and bypass get it as late as the wet signal.
	const uint32_t mask = FX_DRY_DELAY - 1;
	for (uint32_t t = 0; t < n; t++)
		fx->dry_line[(fx->dry_pos + t) & mask] = fx->dry[t];
	const uint32_t lat = fx->cur ? fx->cur->latency : 0;
	if (lat)
		for (uint32_t t = 0; t < n; t++)
			fx->dry[t] = fx->dry_line[(fx->dry_pos + t - lat) & mask];
	fx->dry_pos += n;

	run_model(fx, fx->cur, n, fx->wet);
	if (fx->old) {
		run_model(fx, fx->old, n, fx->wet_old);
		const float step = 1.0f / (float)fx->fade_len;
		uint32_t t = 0;
		for (; t < n && fx->fade_pos < fx->fade_len; t++, fx->fade_pos++) {
			const float a = (float)fx->fade_pos * step;
			fx->wet[t] = fx->wet_old[t] + a * (fx->wet[t] - fx->wet_old[t]);
		}
		if (fx->fade_pos >= fx->fade_len)
			end_fade(fx);
		// A pending model that started fading mid-chunk joins from the next chunk: the rest
		// of this one is the finished fade's new model, as computed.
	}

	for (uint32_t t = 0; t < n; t++) {
		const float go = fx_smooth_next(&fx->out_gain);
		const float m = fx_smooth_next(&fx->mix);
		const float e = fx_smooth_next(&fx->enabled);
		const float dry = fx->dry[t];
		float y = fx->wet[t] * go;
		if (m != 1.0f)
			y = dry + m * (y - dry);
		if (e != 1.0f)
			y = dry + e * (y - dry);
		out[t] = y;
	}
}

static int all_finite(const float *v, uint32_t n)
{
	for (uint32_t t = 0; t < n; t++)
		if (!isfinite(v[t]))
			return 0;
	return 1;
}

static void silence(FxCore *fx, float *out, uint32_t n)
{
	memset(out, 0, n * sizeof(float));
	if (fx->cur)
		model_reset(fx->cur);
	if (fx->old)
		model_reset(fx->old);
	fx->nonfinite_blocks++;
}

void fx_core_process(FxCore *fx, const float *in, float *out, uint32_t n)
{
	const DenormalGuard guard = denormals_flush_begin();
	if (!all_finite(in, n)) {
		silence(fx, out, n);
	} else {
		for (uint32_t done = 0; done < n;) {
			const uint32_t len = n - done < FX_CHUNK ? n - done : FX_CHUNK;
			process_chunk(fx, in + done, out + done, len);
			done += len;
		}
		const int state_ok = (!fx->cur || model_state_is_finite(fx->cur))
		                     && (!fx->old || model_state_is_finite(fx->old));
		if (!state_ok || !all_finite(out, n))
			silence(fx, out, n);
	}
	denormals_flush_end(guard);
}

void fx_model_init(FxModel *fm, RatePlayer *player, const ModelDesc *m)
{
	memset(fm, 0, sizeof(*fm));
	fm->player = player;
	fm->knobs = m->inputs - 1;
	if (fm->knobs > FX_MAX_KNOBS)
		fm->knobs = FX_MAX_KNOBS;
	fm->level_in = db_to_gain(m->input_gain_db);
	fm->level_out = db_to_gain(m->output_gain_db);
	fm->sample_rate = m->sample_rate;
	for (int k = 0; k < fm->knobs; k++) {
		const int named = k < m->num_controls;
		fm->knob_min[k] = named ? m->controls[k].min : 0.0f;
		fm->knob_def[k] = named ? m->controls[k].def : 0.5f;
		fm->knob_max[k] = named ? m->controls[k].max : 1.0f;
	}
}

void fx_model_prewarm(FxModel *fm, uint32_t frames, const ModelDesc *m)
{
	float zeros[FX_CHUNK] = {0}, out[FX_CHUNK];
	float cond[FX_MAX_KNOBS][FX_CHUNK];
	const float *inputs[1 + FX_MAX_KNOBS] = {zeros};
	for (int k = 0; k < fm->knobs; k++) {
		const float def = k < m->num_controls ? m->controls[k].def : 0.5f;
		for (int t = 0; t < FX_CHUNK; t++)
			cond[k][t] = def;
		inputs[1 + k] = cond[k];
	}
	for (uint32_t done = 0; done < frames; done += FX_CHUNK)
		model_process(fm, inputs, out, FX_CHUNK);
	if (!model_state_is_finite(fm))
		model_reset(fm);
}
