// SPDX-License-Identifier: ISC
// The plugin's signal path without any LV2 type: input gain, the network (with a crossfade when
// the model changes), output gain, dry/wet mix and a crossfaded bypass, all smoothed; non-finite
// input or state resets the networks and silences the block. The LV2 glue (lstm_plugin.c) owns
// the models' memory: it offers a built FxModel, and takes back the ones the core retires so a
// worker can free them.
//
// At default controls (0 dB, mix 1, enabled, knobs settled) the output is bit-identical to
// lstm_net_process() on the same input: every settled gain is exactly 1 and the mix and bypass
// paths are skipped.
#ifndef LSTM_FX_CORE_H
#define LSTM_FX_CORE_H

#include "fx_smooth.h"
#include "lstm_net.h"
#include "rate_player.h"

#include <stdint.h>

enum {
	FX_MAX_KNOBS = 3,
	FX_CHUNK = 64,     // frames per inner pass: the scratch buffers' length
	FX_RETIRE_MAX = 8, // models waiting to be freed
	// The dry signal is delayed by the playing model's latency (rate conversion plus the
	// model's own) so that mix and bypass stay aligned with the wet one and the whole output
	// has the one latency the host is told: up to this many frames (a power of two; 10 ms of
	// each at 384 kHz fits).
	FX_DRY_DELAY = 8192,
};

// A built network and what the plugin needs to drive it. Built and freed on the worker.
typedef struct {
	// The network, played through its rate path: bit-exact bypass at the model's own rate,
	// resampling or state correction at another. It owns the network.
	RatePlayer *player;
	// Frames the output lags the device the model captured: the player's delay plus the
	// model's own latency_samples in host frames. Reported to the host; the dry path follows.
	uint32_t latency;
	int knobs;      // conditioning inputs: the network's inputs minus the audio one (0..3)
	float level_in; // linear gains the model file asks for ("levels")
	float level_out;
	float knob_min[FX_MAX_KNOBS];
	float knob_def[FX_MAX_KNOBS];
	float knob_max[FX_MAX_KNOBS];
	double sample_rate;
} FxModel;

typedef struct {
	double rate;
	FxSmooth in_gain, out_gain, mix, enabled;
	FxSmooth knob[FX_MAX_KNOBS]; // 0..1; 0 is the model's min, 0.5 its default, 1 its max
	FxModel *cur;                // playing (fading in while old is set)
	FxModel *old;                // fading out, or NULL
	FxModel *pending;            // waits for the current fade to end, or NULL
	uint32_t fade_pos, fade_len;
	FxModel *retired[FX_RETIRE_MAX];
	int num_retired;
	uint32_t nonfinite_blocks; // how many blocks were silenced (for tests and logging)
	// Scratch, one chunk each: [FX_CHUNK].
	float dry[FX_CHUNK], x[FX_CHUNK], scaled[FX_CHUNK], wet[FX_CHUNK], wet_old[FX_CHUNK];
	float knobv[FX_MAX_KNOBS][FX_CHUNK];
	float cond[FX_MAX_KNOBS][FX_CHUNK];
	float dry_line[FX_DRY_DELAY]; // the input, for the delayed dry signal
	uint32_t dry_pos;
} FxCore;

// Model crossfade length and parameter smoothing time constant, in seconds.
#define FX_MODEL_FADE_SECONDS 0.03
#define FX_SMOOTH_SECONDS 0.02

// Prepares the core for a sample rate with no model (it then passes audio through, with the
// gains, mix and bypass still applied). Any thread except audio; no allocation.
void fx_core_init(FxCore *fx, double rate);

// Networks back to their initial state, parameters jump to their targets, a running fade ends
// (the model fading out is retired). Audio thread.
void fx_core_reset(FxCore *fx);

// Parameters jump to their targets (no ramp): for the first block after activation, so a
// restored session starts at its saved settings. Audio thread.
void fx_core_snap_parameters(FxCore *fx);

// Setters: clamp, then return early when nothing changed. Audio thread.
void fx_core_set_input_gain_db(FxCore *fx, float db);
void fx_core_set_output_gain_db(FxCore *fx, float db);
void fx_core_set_mix(FxCore *fx, float mix);
void fx_core_set_enabled(FxCore *fx, int enabled);
void fx_core_set_knob(FxCore *fx, int k, float value01);

// Hands over a new model; it is crossfaded in (after the fade in progress, if any). The core
// keeps the pointer until it retires it. Returns 0, or -1 when the retire list is full (the
// caller keeps ownership and should free it). Audio thread.
int fx_core_offer_model(FxCore *fx, FxModel *m);

// Installs a model at once with no fade (the previous ones are retired); for a deactivated
// plugin. Returns 0 or -1 as fx_core_offer_model(). Not concurrent with process.
int fx_core_install_model(FxCore *fx, FxModel *m);

// The model playing (or fading in), NULL in pass-through. Any thread that owns the core.
FxModel *fx_core_model(const FxCore *fx);

// The model that plays once the changes under way are done: the one waiting for the fade to
// end, else fx_core_model(). Any thread that owns the core.
FxModel *fx_core_next_model(const FxCore *fx);

// Whether a model change is under way (a fade, or a model waiting for one). Any thread that
// owns the core.
int fx_core_changing(const FxCore *fx);

// Blocks the core has silenced for non-finite audio since it was made. Any thread that owns
// the core.
uint32_t fx_core_nonfinite_blocks(const FxCore *fx);

// One retired model to free, or NULL. Audio thread (the caller sends it to a worker).
FxModel *fx_core_take_retired(FxCore *fx);

// Puts a model (back) on the retire list, for when a worker could not take it yet. Returns 0,
// or -1 when the list is full. Audio thread.
int fx_core_retire(FxCore *fx, FxModel *m);

// Processes n frames; out may be in. Audio thread.
void fx_core_process(FxCore *fx, const float *in, float *out, uint32_t n);

// A knob's value in the model's units: piecewise linear, 0 -> min, 0.5 -> exactly the model's
// default, 1 -> max. So the port's default always plays the model's default setting. Any thread.
static inline float fx_knob_value(float v01, float lo, float def, float hi)
{
	return v01 <= 0.5f ? def - (0.5f - v01) * 2.0f * (def - lo)
	                   : def + (v01 - 0.5f) * 2.0f * (hi - def);
}

// Fills an FxModel around a rate player (which owns the network): knob ranges and levels from
// the description. The caller owns the player. Any thread; no allocation.
void fx_model_init(FxModel *fm, RatePlayer *player, const ModelDesc *m);

// Runs silence through the network (knobs at their defaults) so that a model switched in
// mid-stream starts from its resting state rather than h0. Worker thread.
void fx_model_prewarm(FxModel *fm, uint32_t frames, const ModelDesc *m);

#endif
