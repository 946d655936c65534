// SPDX-License-Identifier: ISC
// Shared helpers of the foreign-format importers and exporters: checked reading of numbers and
// number arrays from jansson values, with messages that name the key path.
#include "import_util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *import_path_index(char *buf, const char *path, size_t k)
{
	snprintf(buf, IMPORT_PATH_LEN, "%s[%zu]", path, k);
	return buf;
}

ModelStatus import_number(const json_t *v, const char *path, double lo, double hi,
                          int allow_string, double *out, ModelError *err)
{
	double x;
	if (json_is_number(v)) {
		x = json_number_value(v);
	} else if (allow_string && json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end = NULL;
		x = strtod(s, &end);
		if (end == s || *end != '\0')
			return model_error_set(err, MODEL_ERR_TYPE, "%s: \"%s\" is not a number", path, s);
	} else {
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected a number, found %s", path,
		                       v ? json_type_name(v) : "nothing");
	}
	if (!isfinite(x))
		return model_error_set(err, MODEL_ERR_VALUE, "%s: not a finite number", path);
	if (x < lo || x > hi)
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %g, expected %g to %g", path, x, lo, hi);
	*out = x;
	return MODEL_OK;
}

ModelStatus import_int(const json_t *v, const char *path, int lo, int hi, int *out,
                       ModelError *err)
{
	double x;
	if (!json_is_number(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an integer, found %s",
		                       path, v ? json_type_name(v) : "nothing");
	x = json_number_value(v);
	if (!isfinite(x) || x != floor(x))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an integer, found %g", path,
		                       x);
	if (x < lo || x > hi) {
		if (lo == hi)
			return model_error_set(err, MODEL_ERR_RANGE, "%s: %g, expected %d", path, x, lo);
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %g, expected %d to %d", path, x, lo, hi);
	}
	*out = (int)x;
	return MODEL_OK;
}

ModelStatus import_member(const json_t *obj, const char *path, const char *key,
                          const json_t **out, ModelError *err)
{
	char buf[IMPORT_PATH_LEN];
	*out = NULL;
	if (!json_is_object(obj))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an object, found %s",
		                       path && path[0] ? path : "document", json_type_name(obj));
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return model_error_set(err, MODEL_ERR_MISSING, "%s: missing",
		                       json_path_join(buf, IMPORT_PATH_LEN, path, key));
	*out = v;
	return MODEL_OK;
}

ModelStatus import_float(const json_t *v, const char *path, float *out, ModelError *err)
{
	if (!json_is_number(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected a number, found %s", path,
		                       v ? json_type_name(v) : "nothing");
	double x = json_number_value(v);
	if (!isfinite(x) || fabs(x) > FLT_MAX)
		return model_error_set(err, MODEL_ERR_VALUE, "%s: %g is not a finite float", path, x);
	*out = (float)x;
	return MODEL_OK;
}

ModelStatus import_floats(const json_t *arr, const char *path, size_t n, float *out,
                          ModelError *err)
{
	if (!json_is_array(arr))
		return model_error_set(err, MODEL_ERR_TYPE,
		                       "%s: expected an array of %zu numbers, found %s", path, n,
		                       arr ? json_type_name(arr) : "nothing");
	size_t got = json_array_size(arr);
	if (got != n)
		return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu values, expected %zu", path, got, n);
	char buf[IMPORT_PATH_LEN];
	for (size_t k = 0; k < n; k++) {
		ModelStatus st = import_float(json_array_get(arr, k), import_path_index(buf, path, k),
		                              &out[k], err);
		if (st)
			return st;
	}
	return MODEL_OK;
}

ModelStatus import_rows(const json_t *arr, const char *path, size_t *rows, ModelError *err)
{
	*rows = 0;
	if (!json_is_array(arr))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an array, found %s", path,
		                       arr ? json_type_name(arr) : "nothing");
	*rows = json_array_size(arr);
	return MODEL_OK;
}

ModelStatus import_matrix(const json_t *arr, const char *path, size_t rows, size_t cols,
                          float *out, ModelError *err)
{
	char buf[IMPORT_PATH_LEN];
	size_t got;
	ModelStatus st = import_rows(arr, path, &got, err);
	if (st)
		return st;
	if (got != rows)
		return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu rows, expected %zu", path, got,
		                       rows);
	for (size_t r = 0; r < rows; r++) {
		const json_t *row = json_array_get(arr, r);
		import_path_index(buf, path, r);
		if (json_is_array(row) && json_array_size(row) != cols)
			return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu values, expected %zu", buf,
			                       json_array_size(row), cols);
		st = import_floats(row, buf, cols, out + r * cols, err);
		if (st)
			return st;
	}
	return MODEL_OK;
}

json_t *import_float_matrix(const float *v, size_t rows, size_t cols, int transpose)
{
	size_t outer = transpose ? cols : rows;
	size_t inner = transpose ? rows : cols;
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t a = 0; a < outer; a++) {
		json_t *row = json_array();
		if (!row || json_array_append_new(arr, row) != 0) {
			json_decref(arr);
			return NULL;
		}
		for (size_t b = 0; b < inner; b++) {
			float x = transpose ? v[b * cols + a] : v[a * cols + b];
			if (json_array_append_new(row, json_real((double)x)) != 0) {
				json_decref(arr);
				return NULL;
			}
		}
	}
	return arr;
}

ModelStatus import_set_metadata(ModelDesc *m, const json_t *metadata, ModelError *err)
{
	free(m->metadata_json);
	m->metadata_json = NULL;
	if (!json_is_object(metadata))
		return MODEL_OK;
	m->metadata_json = json_dumps(metadata, JSON_COMPACT | JSON_SORT_KEYS);
	if (!m->metadata_json)
		return model_error_set(err, MODEL_ERR_NOMEM, "metadata: out of memory");
	return MODEL_OK;
}

ModelStatus import_run(ImportReader read, const json_t *root, ModelDesc *out, ModelError *err)
{
	ModelDesc m;
	model_desc_init(&m);
	model_desc_init(out);
	ModelStatus st = read(root, &m, err);
	if (!st)
		st = model_desc_validate(&m, err);
	if (st) {
		model_desc_free(&m);
		return st;
	}
	*out = m;
	return MODEL_OK;
}
