// SPDX-License-Identifier: ISC
// lstm-train's command line: its options, read and checked (everything that can be checked
// before any audio is read), the usage text, and the one way the tool reports a problem.
#ifndef LSTM_TRAIN_CLI_H
#define LSTM_TRAIN_CLI_H

#include "train_data.h"
#include "trainer.h"

#include <stddef.h>
#include <stdio.h>

enum { EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_OUTPUT = 4 };
enum { MAX_PAIRS = 64, MAX_KNOBS = MODEL_MAX_CONTROLS };

typedef struct {
	TrainPairSpec pairs[MAX_PAIRS];
	int npairs;
	const char *output;
	const char *log_path, *plot_path, *ckpt_path, *resume_path;
	int force, trim, delay_comp, quiet;
	int skip_given;                 // --skip or --no-skip: otherwise chosen from the data
	int keep_levels;                // --keep-levels: train on the audio as recorded
	double valid_split, test_split; // valid_split < 0: spread blocks (DEFAULT_HOLDOUT)
	double segment_seconds;
	TrainConfig cfg;
	// What the model file says about itself (NAM's metadata fields); NULL when not given.
	const char *name, *author, *gear_make, *gear_model, *gear_type, *tone_type;
	double input_level_dbu, output_level_dbu; // NAN when not given
	const char *level_dbu_arg[2];             // their text as given (input, output)
	char command_line[2048];                  // as run, for the metadata (cut to fit)
} TrainOptions;

// Prints "lstm-train: " and the message to stderr.
void train_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Reads argv into o (the first nstored words were stored by a checkpoint and are read first).
// Returns 0, 1 after --help or --version, or an exit status after a message.
int train_parse_args(int argc, char **argv, int nstored, TrainOptions *o);

// The command line as a shell would take it back, cut at a word to fit len.
void train_join_command_line(int argc, char **argv, char *out, size_t len);

#endif
