// SPDX-License-Identifier: ISC
// Playing a model at a host sample rate other than the one it was trained at. A RatePlayer
// wraps an LstmNet and picks one of three paths at creation:
//
// - bypass: the rates are equal; the output is lstm_net_process()'s, bit for bit, latency 0.
// - resample: host rate -> model rate (libspeexdsp), the network at its own rate, and back;
//   adds a fixed whole number of host samples of latency (rate_player_latency()).
// - correct: the network runs at the host rate, but each step reads the recurrent state from
//   r = host/model samples back (linearly interpolated between the two nearest past states),
//   so the recurrence keeps its time scale; no latency. Defined for r > 1 only: below that the
//   resample path is used.
//
// Threads: create and destroy allocate (worker thread or instantiation); process, reset and
// the getters make no allocation, lock, wait, I/O or system call (audio thread).
#ifndef LSTM_RATE_PLAYER_H
#define LSTM_RATE_PLAYER_H

#include "lstm_net.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	RATE_MODE_AUTO = 0,     // the measured best: resample (docs/sample-rates.md)
	RATE_MODE_RESAMPLE = 1, // resample around the network
	RATE_MODE_CORRECT = 2,  // state correction when model < host <= 32 x model, else resample
} RateMode;

// The path a player actually runs.
typedef enum {
	RATE_PATH_BYPASS = 0,
	RATE_PATH_RESAMPLE = 1,
	RATE_PATH_CORRECT = 2,
} RatePath;

enum {
	RATE_MIN_HOST = 8000, // host rates accepted by rate_player_create(), in Hz
	RATE_MAX_HOST = 384000,
	// The correction path runs for r = host/model up to this; above it, resampling.
	RATE_MAX_RATIO = 32,
};

typedef struct RatePlayer RatePlayer;

const char *rate_mode_name(RateMode mode);
const char *rate_path_name(RatePath path);
// Parses "auto", "resample" or "correct"; returns 0, or -1 for any other text. Any thread.
int rate_mode_parse(const char *text, RateMode *out);

// The path a player for a model at model_rate would take at host_rate in this mode. Rates are
// compared in whole hertz (the resampler works in whole hertz). Any thread.
RatePath rate_path_choose(double model_rate, double host_rate, RateMode mode);

// Builds the network (opt may be NULL: lstm_net_default_options()) and what the chosen path
// needs: resamplers, state ring, scratch for blocks of max_block host samples (process() cuts
// longer blocks), all primed so that the first process() call allocates nothing. Returns NULL
// and fills err (when not NULL) when the model is invalid, host_rate is outside
// RATE_MIN_HOST..RATE_MAX_HOST, max_block < 1, the mode is unknown, the resampler refuses the
// rates, or memory runs out. Worker thread.
RatePlayer *rate_player_create(const ModelDesc *m, double host_rate, RateMode mode, int max_block,
                               ModelError *err);
RatePlayer *rate_player_create_opt(const ModelDesc *m, double host_rate, RateMode mode,
                                   int max_block, const LstmNetOptions *opt, ModelError *err);

// Frees everything. NULL is a no-op. Worker thread.
void rate_player_destroy(RatePlayer *p);

// Runs n host-rate frames: inputs[c][t] as for lstm_net_process() (audio first, then the
// conditioning values), out[t] the output. out may alias inputs[0]. Any n; the output does not
// depend on how a signal is cut into blocks. Audio thread.
void rate_player_process(RatePlayer *p, const float *const *inputs, float *out, uint32_t n);

// Clears all history: network state to h0/c0, resamplers and delay lines to silence. Audio
// thread.
void rate_player_reset(RatePlayer *p);

// Added delay in host samples (0 for bypass and correct): an impulse at input frame t comes out
// at frame t + latency. Any thread.
uint32_t rate_player_latency(const RatePlayer *p);

RatePath rate_player_path(const RatePlayer *p);
double rate_player_host_rate(const RatePlayer *p);
double rate_player_model_rate(const RatePlayer *p);
int rate_player_inputs(const RatePlayer *p);
// The network inside (for its getters and state checks). Any thread.
LstmNet *rate_player_net(RatePlayer *p);
// Times the resample path ran short of output since creation (0 unless there is a bug: the
// latency is sized so it cannot happen). Any thread.
unsigned long rate_player_underruns(const RatePlayer *p);

#ifdef __cplusplus
}
#endif

#endif
