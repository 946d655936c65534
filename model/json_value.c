// SPDX-License-Identifier: ISC
// Typed reading of jansson values with key-path messages, and writing float arrays.
#include "json_value.h"

#include "name_table.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

// Indexed by json_type: a type's name for "expected X, found Y" messages.
// clang-format off
static const char *const type_names[] = {
	[JSON_OBJECT] = "an object",
	[JSON_ARRAY] = "an array",
	[JSON_STRING] = "a string",
	[JSON_INTEGER] = "an integer",
	[JSON_REAL] = "a number",
	[JSON_TRUE] = "a boolean",
	[JSON_FALSE] = "a boolean",
	[JSON_NULL] = "null",
};
// clang-format on

const char *json_type_name(const json_t *v)
{
	if (!v)
		return "nothing";
	return NAME_TABLE_NAME(type_names, json_typeof(v));
}

const char *json_path_join(char *buf, size_t len, const char *path, const char *key)
{
	if (path && path[0])
		snprintf(buf, len, "%s.%s", path, key);
	else
		snprintf(buf, len, "%s", key);
	return buf;
}

const char *json_path_index(char *buf, size_t len, const char *path, size_t k)
{
	snprintf(buf, len, "%s[%zu]", path, k);
	return buf;
}

ModelStatus json_read_number(const json_t *v, const char *path, double lo, double hi,
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
		                       json_type_name(v));
	}
	if (!isfinite(x))
		return model_error_set(err, MODEL_ERR_VALUE, "%s: not a finite number", path);
	if (x < lo || x > hi)
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %g, expected %g to %g", path, x, lo, hi);
	*out = x;
	return MODEL_OK;
}

ModelStatus json_read_int(const json_t *v, const char *path, int lo, int hi, int *out,
                          ModelError *err)
{
	if (!json_is_number(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an integer, found %s", path,
		                       json_type_name(v));
	double x = json_number_value(v);
	if (!isfinite(x) || x != floor(x))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an integer, found %g", path, x);
	// %.0f: the whole integer, where %g would write 1e+06.
	if (x < lo || x > hi) {
		if (lo == hi)
			return model_error_set(err, MODEL_ERR_RANGE, "%s: %.0f, expected %d", path, x, lo);
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %.0f, expected %d to %d", path, x, lo,
		                       hi);
	}
	*out = (int)x;
	return MODEL_OK;
}

ModelStatus json_read_float(const json_t *v, const char *path, float *out, ModelError *err)
{
	if (!json_is_number(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected a number, found %s", path,
		                       json_type_name(v));
	double x = json_number_value(v);
	if (!isfinite(x) || fabs(x) > FLT_MAX)
		return model_error_set(err, MODEL_ERR_VALUE, "%s: %g is not a finite float32", path, x);
	*out = (float)x;
	return MODEL_OK;
}

ModelStatus json_read_floats(const json_t *arr, const char *path, size_t n, float *out,
                             ModelError *err)
{
	if (!json_is_array(arr))
		return model_error_set(err, MODEL_ERR_TYPE,
		                       "%s: expected an array of %zu numbers, found %s", path, n,
		                       json_type_name(arr));
	size_t got = json_array_size(arr);
	if (got != n)
		return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu values, expected %zu", path, got, n);
	char buf[JSON_PATH_LEN];
	for (size_t k = 0; k < n; k++) {
		ModelStatus st = json_read_float(json_array_get(arr, k),
		                                 json_path_index(buf, sizeof buf, path, k), &out[k], err);
		if (st)
			return st;
	}
	return MODEL_OK;
}

ModelStatus json_read_matrix(const json_t *arr, const char *path, size_t rows, size_t cols,
                             const char *rows_are, float *out, ModelError *err)
{
	char buf[JSON_PATH_LEN];
	if (!json_is_array(arr))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an array, found %s", path,
		                       json_type_name(arr));
	size_t got = json_array_size(arr);
	if (got != rows && rows_are)
		return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu rows, expected %zu (%s)", path, got,
		                       rows, rows_are);
	if (got != rows)
		return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu rows, expected %zu", path, got, rows);
	ModelStatus st = MODEL_OK;
	for (size_t r = 0; r < rows && !st; r++)
		st = json_read_floats(json_array_get(arr, r), json_path_index(buf, sizeof buf, path, r),
		                      cols, out + r * cols, err);
	return st;
}

ModelStatus json_get_member(const json_t *obj, const char *path, const char *key,
                            const json_t **out, ModelError *err)
{
	char where[JSON_PATH_LEN];
	*out = NULL;
	if (!json_is_object(obj))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an object, found %s",
		                       path && path[0] ? path : "document", json_type_name(obj));
	*out = json_object_get(obj, key);
	if (!*out)
		return model_error_set(err, MODEL_ERR_MISSING, "%s: missing",
		                       json_path_join(where, sizeof where, path, key));
	return MODEL_OK;
}

// json_get_member(), also writing the member's path ("path.key") into where for messages.
static ModelStatus member_at(const json_t *obj, const char *path, const char *key,
                             char where[JSON_PATH_LEN], const json_t **v, ModelError *err)
{
	json_path_join(where, JSON_PATH_LEN, path, key);
	return json_get_member(obj, path, key, v, err);
}

// member_at(), and the member must be of type: the strict check that json_get_int() and
// json_get_string() share ("architecture.inputs: expected an integer, found a string").
static ModelStatus member_of_type(const json_t *obj, const char *path, const char *key,
                                  json_type type, char where[JSON_PATH_LEN], const json_t **v,
                                  ModelError *err)
{
	ModelStatus st = member_at(obj, path, key, where, v, err);
	if (!st && json_typeof(*v) != type)
		st = model_error_set(err, MODEL_ERR_TYPE, "%s: expected %s, found %s", where,
		                     type_names[type], json_type_name(*v));
	return st;
}

ModelStatus json_get_int(const json_t *obj, const char *path, const char *key, int min, int max,
                         int *out, ModelError *err)
{
	char where[JSON_PATH_LEN];
	const json_t *v;
	ModelStatus st = member_of_type(obj, path, key, JSON_INTEGER, where, &v, err);
	return st ? st : json_read_int(v, where, min, max, out, err);
}

ModelStatus json_get_number(const json_t *obj, const char *path, const char *key, double min,
                            double max, double *out, ModelError *err)
{
	char where[JSON_PATH_LEN];
	const json_t *v;
	ModelStatus st = member_at(obj, path, key, where, &v, err);
	return st ? st : json_read_number(v, where, min, max, 0, out, err);
}

ModelStatus json_get_string(const json_t *obj, const char *path, const char *key, const char **out,
                            ModelError *err)
{
	char where[JSON_PATH_LEN];
	const json_t *v;
	ModelStatus st = member_of_type(obj, path, key, JSON_STRING, where, &v, err);
	if (!st)
		*out = json_string_value(v);
	return st;
}

ModelStatus json_get_floats(const json_t *obj, const char *path, const char *key, size_t n,
                            float **out, ModelError *err)
{
	char where[JSON_PATH_LEN];
	const json_t *v;
	*out = NULL;
	ModelStatus st = member_at(obj, path, key, where, &v, err);
	if (st)
		return st;
	float *f = malloc((n ? n : 1) * sizeof(float));
	if (!f)
		return model_error_set(err, MODEL_ERR_NOMEM, "%s: out of memory", where);
	st = json_read_floats(v, where, n, f, err);
	if (st)
		free(f);
	else
		*out = f;
	return st;
}

// n floats from v[0], v[stride], v[2 * stride]...
static json_t *float_row(const float *v, size_t n, size_t stride)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		if (json_array_append_new(arr, json_real((double)v[k * stride])) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

json_t *json_float_array(const float *v, size_t n) { return float_row(v, n, 1); }

json_t *json_float_matrix(const float *v, size_t rows, size_t cols, int transpose)
{
	size_t outer = transpose ? cols : rows;
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t a = 0; a < outer; a++) {
		json_t *row = transpose ? float_row(v + a, rows, cols) : float_row(v + a * cols, cols, 1);
		if (json_array_append_new(arr, row) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}
