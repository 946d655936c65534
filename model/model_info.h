// SPDX-License-Identifier: ISC
// What a model file says about itself, whatever its format: for people (`lstm-convert --info`)
// and for hosts (the plugin's read-only name and ESR properties). Worker thread or tools only:
// parses the kept metadata and allocates.
#ifndef LSTM_MODEL_INFO_H
#define LSTM_MODEL_INFO_H

#include "model_status.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char name[MODEL_NAME_LEN]; // the metadata's "name" (cut to fit), "" when it has none
	// The held-out ESR its trainer reported, < 0 when it reported none: lstm-train's
	// training.esr_test, else training.esr_validation; NAM's training.validation_esr; the loose
	// "esr" of an AIDA-X file.
	double esr;
	// Level figures, NAN when absent: the raw output's loudness for a standard input
	// ("loudness_db"; NAM's "loudness" is copied there on import), and the capture's analog
	// levels at 0 dBFS in dBu (NAM's "input_level_dbu" and "output_level_dbu").
	double loudness_db, input_level_dbu, output_level_dbu;
	// NAM's own "loudness" key, NAN when absent. When present, the file's output gain is the
	// normalisation NAM's player applies, -18 - loudness (docs/interop.md): the NAM importer
	// sets it so and the NAM exporter writes the key so.
	double nam_loudness_db;
} ModelSummary;

// Reads the name, the held-out ESR and the level figures from m's metadata.
void model_summary(const ModelDesc *m, ModelSummary *s);

// Loads path as the plugin would (any format, checked, its reference pair run) and prints to
// out what it is: format, network, rate, latency, levels, knobs, reference pair, then every
// metadata field as "key: value" (nested keys joined by dots). On failure prints nothing and
// err says why.
ModelStatus model_info_print(const char *path, FILE *out, ModelError *err);

#ifdef __cplusplus
}
#endif

#endif
