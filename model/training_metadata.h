// SPDX-License-Identifier: ISC
// The metadata lstm-train writes into a model file (docs/model-format.md, "metadata"): what
// was trained, how, for how long, and how close it came, as one JSON object. Built here so the
// tools never touch JSON themselves.
#ifndef LSTM_MODEL_TRAINING_METADATA_H
#define LSTM_MODEL_TRAINING_METADATA_H

#include <stdint.h>

typedef struct {
	const char *name; // the model's name (the output file's base name)
	const char *description;
	// NAM's descriptive fields (NULL: not written); an exporter to NAM writes author as
	// modeled_by and date as NAM's date object.
	const char *author, *gear_make, *gear_model, *gear_type, *tone_type;
	const char *date;         // when training ended, ISO 8601 UTC ("2026-12-03T14:05:00Z")
	const char *command_line; // as run, for training.command_line
	double input_level_dbu, output_level_dbu; // NAM's calibration fields; NAN: not written
	double loudness_db;                       // output RMS over a standard stretch of input, dB
	const char *program;                      // "lstm-train VERSION"
	const char *cell;                         // "lstm", "gru" or "peephole"
	int hidden, layers, skip;
	int epochs;
	double seconds; // wall time of training
	int interrupted;
	double seconds_of_audio; // trained on
	int pairs;
	double latency_samples; // what the alignment left in
	int shift_samples;      // how far the first pair's target was moved earlier (< 0: later)
	double esr_train;
	double esr_validation;      // < 0: none
	double esr_test;            // < 0: none
	double esr_linear_baseline; // < 0: none
	double replicate_esr; // the standard signal's clip B against clip A on the device; < 0: none
	int segment_samples, batch, warmup, tbptt;
	double lr;
	const char *preemph;
	double preemph_coef, esr_weight, dc_weight;
	uint64_t seed;
	int threads;
} TrainingMetadata;

// The metadata as compact JSON with 9 significant digits, or NULL when out of memory. The
// caller frees it with free(). Any thread; allocates.
char *training_metadata_json(const TrainingMetadata *t);

#endif
