// SPDX-License-Identifier: ISC
// Exporters from ModelDesc to other projects' players: AIDA-X / RTNeural Keras JSON and Neural
// Amp Modeler .nam (LSTM). Each builds a jansson document the caller writes (atomically, with
// json_file_write()) and owns. Worker thread or tools only: they allocate, and the Keras
// exporter runs the engine to make its reference pair.
#ifndef LSTM_MODEL_EXPORT_H
#define LSTM_MODEL_EXPORT_H

#include "model_status.h"

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Frames in the input_batch/output_batch pair the Keras exporter writes.
enum { MODEL_EXPORT_BATCH_FRAMES = 2048 };

// AIDA-X / RTNeural Keras JSON with in_shape, in_skip, in_gain/out_gain (dB), metadata
// (samplerate as a number) and input_batch/output_batch: a fixed test signal on the audio input
// (knob inputs at 0, as aidadsp-lv2's check runs them) and the output of the engine's exact path
// from a zero state, skip included and levels not applied. Fails (MODEL_ERR_VALUE, naming the
// part) for what the format cannot hold: peephole cells, skip over more than the audio input.
// An initial state (h0/c0) cannot be stored and is dropped; the pair is computed without it.
// *out is NULL on failure.
ModelStatus model_export_keras(const ModelDesc *m, json_t **out, ModelError *err);

// NAM .nam with "architecture": "LSTM", version 0.5.4. Fails (MODEL_ERR_VALUE) for what NAM's
// LSTM cannot hold exactly: GRU or peephole cells, a skip connection, conditioning inputs, dense
// layers before the head, layers of different widths (for a skip, see NamExportOptions).
// The output gain is written as
// metadata.loudness = -18 - output_gain_db (NAM's player normalises to -18 dB by default), or
// no loudness when the gain is 0; an input gain is folded into the first layer's input weights.
// *out is NULL on failure.
ModelStatus model_export_nam(const ModelDesc *m, json_t **out, ModelError *err);

typedef struct {
	// NAM's LSTM has no skip connection. With skip_unit set, a model whose output adds its audio
	// input (skip 1, one input) is exported with one more unit per layer that carries the input
	// through: its cell gate sees the input scaled by 2^-10 (the unit of the layer before, in
	// deeper layers), its input and output gates are held open and its forget gate shut (gate
	// pre-activations of +-17.125, where both the exact sigmoid and NAM's fast one are within
	// 6e-8 of 1 and 0), and the
	// head reads it with weight 2^10. Not exact: each layer passes the input through tanh twice,
	// so the carried input is x - (2L/3) 2^-20 x^3 + ... for L layers: off by less than 1e-6
	// per layer for |x| <= 1. Needs hidden + 1 <= MODEL_MAX_HIDDEN.
	int skip_unit;
} NamExportOptions;

// model_export_nam() with options; opt may be NULL (all off).
ModelStatus model_export_nam_with(const ModelDesc *m, const NamExportOptions *opt, json_t **out,
                                  ModelError *err);

// Notes about an export that succeeds but changes something or will not play everywhere (for
// example "AIDA-X's player loads only one recurrent layer of 8 to 80 units"). Writes the notes,
// one per line, into buf and returns how many there are. Any thread; no allocation.
int model_export_keras_notes(const ModelDesc *m, char *buf, size_t len);
int model_export_nam_notes(const ModelDesc *m, const NamExportOptions *opt, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
