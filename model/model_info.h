// SPDX-License-Identifier: ISC
// What a model file says about itself, whatever its format: for people (`lstm-convert --info`)
// and for hosts (the plugin's read-only name and ESR properties). Worker thread or tools only:
// parses the kept metadata and allocates.
#ifndef LSTM_MODEL_INFO_H
#define LSTM_MODEL_INFO_H

#include "model_desc.h"

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
} ModelSummary;

// Reads the name and the held-out ESR from m's metadata.
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
