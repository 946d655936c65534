// SPDX-License-Identifier: ISC
// Typed getters over jansson values that report errors with the key path ("layers[0].U"), so
// every reader and importer words its messages the same way. Worker thread or tools only.
#ifndef LSTM_JSON_GET_H
#define LSTM_JSON_GET_H

#include "model_status.h"

#include <jansson.h>
#include <stddef.h>

// "an object", "an array", "a string"...: a value's JSON type for messages.
const char *json_type_name(const json_t *v);

// The child `key` of object obj, which must exist. path names obj ("" for the root).
ModelStatus json_get_member(const json_t *obj, const char *path, const char *key, json_t **out,
                            ModelError *err);

// An integer member within [min, max].
ModelStatus json_get_int(const json_t *obj, const char *path, const char *key, int min, int max,
                         int *out, ModelError *err);

// A number member (integer or real), finite, within [min, max].
ModelStatus json_get_number(const json_t *obj, const char *path, const char *key, double min,
                            double max, double *out, ModelError *err);

// A string member; *out points into the document.
ModelStatus json_get_string(const json_t *obj, const char *path, const char *key,
                            const char **out, ModelError *err);

// Converts an array of exactly n numbers, each a finite float32, into a new allocation.
// what names the array in messages.
ModelStatus json_floats(const json_t *arr, const char *what, size_t n, float **out,
                        ModelError *err);

// The same for member key of obj (what = path.key).
ModelStatus json_get_floats(const json_t *obj, const char *path, const char *key, size_t n,
                            float **out, ModelError *err);

// A JSON array of n floats written as reals that read back to the same float32 (jansson
// prints doubles with 17 significant digits, so converting float -> double is exact), or NULL
// when out of memory.
json_t *json_float_array(const float *v, size_t n);

// Joins path and key into buf as "path.key" (or "key" at the root) and returns buf.
const char *json_path_join(char *buf, size_t len, const char *path, const char *key);

#endif
