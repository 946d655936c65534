// SPDX-License-Identifier: ISC
// Helpers shared by the interop tests: loading a file of any foreign format, reading CSV
// columns, running a model through the engine, and a CHECK macro that fails loudly.
#ifndef LSTM_TEST_INTEROP_COMMON_H
#define LSTM_TEST_INTEROP_COMMON_H

#include "check.h"
#include "lstm_net.h"
#include "model_status.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

// Exit status that meson counts as a skipped test.
enum { TEST_SKIP = 77 };

// Loads a file with the project's loader (format detected from the content, reference pair
// checked): model_load_file().
ModelStatus test_load(const char *path, ModelDesc *m, ModelError *err);

// dir + "/" + name into a static buffer (one at a time).
const char *test_path(const char *dir, const char *name);

// One number per line; returns a new array and its length in *n, or exits on error.
float *test_read_csv(const char *path, size_t *n);

// Runs m from its initial state on audio x (knob inputs held at knob[c - 1], or 0 when knob
// is NULL) into y, with the given options (NULL: exact activations, scalar kernels).
void test_run(const ModelDesc *m, const LstmNetOptions *opt, const float *x, const float *knob,
              float *y, int n);

// Largest absolute difference of m's selftest pair on the exact scalar path; -1 when none.
double test_selftest_error(const ModelDesc *m);

// A deterministic test input: noise and sines up to amplitude amp.
void test_signal(float *x, int n, unsigned seed, float amp);

// Largest absolute difference between two arrays.
double test_max_diff(const float *a, const float *b, size_t n);

#endif
