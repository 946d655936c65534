// SPDX-License-Identifier: ISC
// Exporters from ModelDesc to other projects' players: AIDA-X / RTNeural Keras JSON and Neural
// Amp Modeler .nam (LSTM). Each builds a jansson document the caller writes (atomically, with
// model_write_json_file()) and owns. Worker thread or tools only: they allocate, and the
// Keras exporter runs the engine to make its reference pair.
#ifndef LSTM_MODEL_EXPORT_H
#define LSTM_MODEL_EXPORT_H

#include "model_desc.h"

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Frames in the input_batch/output_batch pair the Keras exporter writes.
enum { MODEL_EXPORT_BATCH_FRAMES = 2048 };

// AIDA-X / RTNeural Keras JSON with in_shape, in_skip, in_gain/out_gain (dB), metadata
// (samplerate as a number) and input_batch/output_batch: a fixed test signal on the audio input
// (knob inputs at 0, as AIDA-X's own check runs them) and the output of the engine's exact path
// from a zero state, skip included and levels not applied. Fails (MODEL_ERR_VALUE, naming the
// part) for what the format cannot hold: peephole cells, skip over more than the audio input.
// An initial state (h0/c0) cannot be stored and is dropped; the pair is computed without it.
// *out is NULL on failure.
ModelStatus model_export_keras(const ModelDesc *m, json_t **out, ModelError *err);

// NAM .nam with "architecture": "LSTM", version 0.5.4. Fails (MODEL_ERR_VALUE) for what NAM's
// LSTM cannot hold exactly: GRU or peephole cells, a skip connection, conditioning inputs, dense
// layers before the head, layers of different widths. The output gain is written as
// metadata.loudness = -18 - output_gain_db (NAM's player normalises to -18 dB by default), or
// no loudness when the gain is 0; an input gain is folded into the first layer's input weights.
// *out is NULL on failure.
ModelStatus model_export_nam(const ModelDesc *m, json_t **out, ModelError *err);

// Notes about an export that succeeds but changes something or will not play everywhere (for
// example "AIDA-X's player loads only one recurrent layer of 8 to 80 units"). Writes the notes,
// one per line, into buf and returns how many there are. Any thread; no allocation.
int model_export_keras_notes(const ModelDesc *m, char *buf, size_t len);
int model_export_nam_notes(const ModelDesc *m, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
