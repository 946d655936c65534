// SPDX-License-Identifier: ISC
// The one JSON value layer of model/: typed reading of jansson values with errors that name
// the key path ("layers[0].U[5]: expected a number, found null"), so the project's reader and
// every importer word their messages the same way, and writing float arrays back. Whole files
// are json_file.h's. Worker thread or tools only; some of these allocate.
#ifndef LSTM_JSON_VALUE_H
#define LSTM_JSON_VALUE_H

#include "model_status.h"

#include <jansson.h>
#include <stddef.h>

// Room for a key path in messages; longer paths are truncated.
enum { JSON_PATH_LEN = 128 };

// "an object", "an array", "a string"... (or "nothing" for NULL): a value's type for messages.
const char *json_type_name(const json_t *v);

// Joins path and key into buf as "path.key" (or "key" at the root) and returns buf.
const char *json_path_join(char *buf, size_t len, const char *path, const char *key);

// path + "[k]" into buf; returns buf.
const char *json_path_index(char *buf, size_t len, const char *path, size_t k);

// Values. v may be NULL (an absent array entry), which is reported as "found nothing".

// A number (integer or real; with allow_string also a string such as "48000", as some
// writers store the sample rate) that is finite and within [lo, hi].
ModelStatus json_read_number(const json_t *v, const char *path, double lo, double hi,
                             int allow_string, double *out, ModelError *err);

// An integer within [lo, hi]. A real with an integral value (8.0) is accepted, as other
// projects' writers produce them; json_get_int() is the strict form.
ModelStatus json_read_int(const json_t *v, const char *path, int lo, int hi, int *out,
                          ModelError *err);

// One number that is finite and representable as a float32.
ModelStatus json_read_float(const json_t *v, const char *path, float *out, ModelError *err);

// An array of exactly n such numbers into out[n].
ModelStatus json_read_floats(const json_t *arr, const char *path, size_t n, float *out,
                             ModelError *err);

// A nested array of exactly rows arrays of cols numbers, row-major into out[rows][cols]. The
// row count is checked first, and a wrong one is explained by rows_are when not NULL ("20
// rows, expected 16 (the 16 units in layers[0].shape)"): it is usually a layer's width.
ModelStatus json_read_matrix(const json_t *arr, const char *path, size_t rows, size_t cols,
                             const char *rows_are, float *out, ModelError *err);

// Members of an object. path names the object ("" for the root); messages name path.key.

// The child key of obj, which must be an object and have it.
ModelStatus json_get_member(const json_t *obj, const char *path, const char *key,
                            const json_t **out, ModelError *err);

// An integer member within [min, max]. Strict, as the project's format is: 8.0 is refused.
ModelStatus json_get_int(const json_t *obj, const char *path, const char *key, int min, int max,
                         int *out, ModelError *err);

// A number member, finite, within [min, max].
ModelStatus json_get_number(const json_t *obj, const char *path, const char *key, double min,
                            double max, double *out, ModelError *err);

// A string member; *out points into the document.
ModelStatus json_get_string(const json_t *obj, const char *path, const char *key, const char **out,
                            ModelError *err);

// An array member of exactly n float32 numbers, into a new allocation (*out NULL on failure).
ModelStatus json_get_floats(const json_t *obj, const char *path, const char *key, size_t n,
                            float **out, ModelError *err);

// Writing. Each returns a new reference, or NULL when out of memory. Reals read back to the
// same float32 (jansson prints doubles with 17 significant digits, so float -> double is exact).

// A JSON array of n floats.
json_t *json_float_array(const float *v, size_t n);

// A [rows][cols] nested array from row-major data; with transpose, the [cols][rows] array of
// the transposed matrix instead.
json_t *json_float_matrix(const float *v, size_t rows, size_t cols, int transpose);

#endif
