// SPDX-License-Identifier: ISC
// Running a whole audio file through a model offline, as the plugin would: input level, the
// network, output level. Also decides how the file's channels feed the model's inputs:
//   - as many file channels as model inputs: channel c feeds input c;
//   - a mono file and a model with knobs: the audio feeds input 0 and each knob's value
//     (the model's default unless set with a KnobSetting) fills its input for the whole file.
// Shared by lstm-apply and lstm-esr. Allocates and builds a network: tools only.
#ifndef LSTM_TOOLS_MODEL_RENDER_H
#define LSTM_TOOLS_MODEL_RENDER_H

#include "audio_file.h"
#include "lstm_net.h"
#include "model_desc.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { RENDER_KNOB_NAME_LEN = 64, RENDER_MAX_KNOBS = 16 };

// One "--knob NAME=VALUE" from the command line, parsed but not yet matched to the model.
typedef struct {
	char name[RENDER_KNOB_NAME_LEN];
	double value;
} KnobSetting;

// Parses "NAME=VALUE" (VALUE a finite number). Returns 0, or -1 with a message quoting arg.
// Any thread; no allocation.
int render_knob_parse(const char *arg, KnobSetting *out, char *err, size_t err_len);

// Parses "NAME=VALUE" into knobs[*count] and counts it: refuses what render_knob_parse
// refuses, more than max knobs, and a name given twice. Returns 0, or -1 with a message.
int render_knob_add(const char *arg, KnobSetting *knobs, int *count, int max, char *err,
                    size_t err_len);

// Parses an instruction-set name: "auto", "scalar", "avx2" or "avx512". Returns 0, or -1
// with a message (also when this CPU cannot run it). Any thread; no allocation.
int render_isa_parse(const char *s, LstmIsa *out, char *err, size_t err_len);

typedef struct {
	LstmNetOptions net;       // activations and instruction set
	const KnobSetting *knobs; // [num_knobs] values for the model's controls
	int num_knobs;
	int ignore_rate; // 1: run even when the file's rate is not the model's
	// 0: a file at another rate than the model's is refused (or, with ignore_rate, run as if
	// it were the model's rate); 1 + a RateMode (rate/rate_player.h): the model is played at
	// the file's rate through a RatePlayer, its latency taken off so the output lines up with
	// the input.
	int rate_mode;
	// 1: shift the output earlier by the model's own latency (latency_samples, rounded to whole
	// frames at the file's rate), so it lines up with the device the model captured; the last
	// frames are the model's output for silence after the file. 0: the model's output as is.
	int remove_latency;
} RenderOptions;

// Renders in (named in_name in messages) through m into out ([in->frames][1], same rate). Knob
// names match a control's name ignoring case, or "1".."3" / "knob1".."knob3" for the control's
// position; each value must lie within the control's range (0..1 when the model names none). Fails
// with -1 and a message for: a channel count that fits neither rule, a knob that names no control
// or is out of range, knobs given when the file supplies every input, a sample rate that is not the
// model's (unless ignore_rate or rate_mode), a network that cannot be built, and output that stops
// being finite (the frame is named). Tools only: allocates.
int model_render(const ModelDesc *m, const RenderOptions *opt, const AudioBuffer *in,
                 const char *in_name, AudioBuffer *out, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
