// SPDX-License-Identifier: ISC
// Internal to the importers and exporters of other projects' formats (model/import_*.c,
// model/export_*.c), on top of json_get.h: reading numbers and nested number arrays out of
// jansson values with errors that name the key path ("layers[0].weights[1]: 20 rows, expected
// 16"), and writing float matrices back. Worker thread or tools only; these allocate.
#ifndef LSTM_IMPORT_UTIL_H
#define LSTM_IMPORT_UTIL_H

#include "json_get.h"

#include <jansson.h>
#include <stddef.h>

enum { IMPORT_PATH_LEN = 128 };

// A number (integer or real; with allow_string also a string such as "48000", as some
// writers store the sample rate) that is finite and within [lo, hi].
ModelStatus import_number(const json_t *v, const char *path, double lo, double hi,
                          int allow_string, double *out, ModelError *err);

// An integer within [lo, hi]. A real with an integral value (8.0) is accepted.
ModelStatus import_int(const json_t *v, const char *path, int lo, int hi, int *out,
                       ModelError *err);

// Member key of object obj, which must be present. path names obj ("" for the root).
ModelStatus import_member(const json_t *obj, const char *path, const char *key,
                          const json_t **out, ModelError *err);

// One number that is finite and representable as a float.
ModelStatus import_float(const json_t *v, const char *path, float *out, ModelError *err);

// An array of exactly n numbers, each finite and representable as a float, into out[n].
ModelStatus import_floats(const json_t *arr, const char *path, size_t n, float *out,
                          ModelError *err);

// A nested array of exactly rows arrays of cols numbers, row-major into out[rows][cols].
ModelStatus import_matrix(const json_t *arr, const char *path, size_t rows, size_t cols,
                          float *out, ModelError *err);

// Number of rows of a nested array (0 with an error when arr is not an array). The importers
// use it to say "20 rows, expected 16" before anything else.
ModelStatus import_rows(const json_t *arr, const char *path, size_t *rows, ModelError *err);

// path + "[k]" into buf (truncated to IMPORT_PATH_LEN); path + "." + key is json_path_join.
const char *import_path_index(char *buf, const char *path, size_t k);

// A [rows][cols] nested array from row-major data; with transpose, the [cols][rows] array of
// the transposed matrix instead. NULL when out of memory.
json_t *import_float_matrix(const float *v, size_t rows, size_t cols, int transpose);

// Stores metadata (an object or NULL) into m->metadata_json as compact JSON text. Returns
// MODEL_OK or MODEL_ERR_NOMEM.
ModelStatus import_set_metadata(ModelDesc *m, const json_t *metadata, ModelError *err);

// Runs an importer's reader into a fresh description and validates it: out receives the model
// whole, or stays empty with err set. Every importer goes through this, so none can hand back a
// partial model.
typedef ModelStatus (*ImportReader)(const json_t *root, ModelDesc *m, ModelError *err);
ModelStatus import_run(ImportReader read, const json_t *root, ModelDesc *out, ModelError *err);

#endif
