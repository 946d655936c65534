// SPDX-License-Identifier: ISC
// Helpers for the tools tests: a private temporary folder, WAV files written straight through
// libsndfile (independently of audio_file_write), a tiny model, and running a program with
// its output captured. Test code only: everything asserts instead of returning errors.
#ifndef LSTM_TOOLS_TEST_UTIL_H
#define LSTM_TOOLS_TEST_UTIL_H

#include "capture_pair.h"
#include "model_desc.h"

#include <stddef.h>

// Creates a fresh folder under $TMPDIR (or /tmp) and returns its path (static storage).
const char *tt_tmpdir(void);

// Removes the folder and everything in it.
void tt_rmtree(const char *dir);

// Number of entries in dir, "." and ".." excluded (hidden temp files included).
int tt_count_entries(const char *dir);

// dir + "/" + name in a static ring of buffers (valid for the next 15 calls).
const char *tt_path(const char *dir, const char *name);

// Writes frames x channels interleaved samples with libsndfile; format is an SF_FORMAT_* pair
// such as SF_FORMAT_WAV | SF_FORMAT_FLOAT (PCM_24 for the integer case). NaN and Inf pass
// through unchanged for float formats.
void tt_write_wav(const char *path, const float *data, long frames, int channels, int rate,
                  int format);

// capture_pair_load() of dir/input and dir/target with options o (NULL: the defaults); fails
// the test, printing the loader's message, when it refuses them.
void tt_load_pair(const char *dir, const char *input, const char *target,
                  const CapturePairOptions *o, CapturePair *p);

// Writes a text file with the given content.
void tt_write_text(const char *path, const char *text);

// Deterministic noise in -1..1.
float tt_noise(unsigned *state);

// A small valid model: one LSTM layer of `hidden` units, a linear head, skip 1, inputs
// 1..4, 48 kHz, random weights from seed; knobs named "Gain", "Tone", "Mix" (0..1, default
// 0.5, except Tone -1..1 default 0).
void tt_make_model(ModelDesc *m, int inputs, int hidden, unsigned seed);

// Runs argv[0] with argv (NULL-terminated), stdout and stderr into files (NULL: /dev/null).
// Returns the exit status, or -1 when the program died from a signal.
int tt_run(const char *const *argv, const char *out_path, const char *err_path);

// Reads a whole (small) file into a static buffer and returns it ("" when missing).
const char *tt_read_text(const char *path);

#endif
