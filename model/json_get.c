// SPDX-License-Identifier: ISC
// Typed jansson getters with key-path error messages.
#include "json_get.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

const char *json_path_join(char *buf, size_t len, const char *path, const char *key)
{
	if (path && path[0])
		snprintf(buf, len, "%s.%s", path, key);
	else
		snprintf(buf, len, "%s", key);
	return buf;
}

ModelStatus json_get_member(const json_t *obj, const char *path, const char *key, json_t **out,
                            ModelError *err)
{
	char where[160];
	json_path_join(where, sizeof where, path, key);
	if (!json_is_object(obj))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an object, found %s",
		                       path && path[0] ? path : "document", json_type_name(obj));
	*out = json_object_get(obj, key);
	if (!*out)
		return model_error_set(err, MODEL_ERR_MISSING, "%s: missing", where);
	return MODEL_OK;
}

ModelStatus json_get_int(const json_t *obj, const char *path, const char *key, int min, int max,
                         int *out, ModelError *err)
{
	char where[160];
	json_t *v;
	ModelStatus st = json_get_member(obj, path, key, &v, err);
	if (st)
		return st;
	json_path_join(where, sizeof where, path, key);
	if (!json_is_integer(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an integer, found %s", where,
		                       json_type_name(v));
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %lld, expected %d to %d", where,
		                       (long long)n, min, max);
	*out = (int)n;
	return MODEL_OK;
}

ModelStatus json_get_number(const json_t *obj, const char *path, const char *key, double min,
                            double max, double *out, ModelError *err)
{
	char where[160];
	json_t *v;
	ModelStatus st = json_get_member(obj, path, key, &v, err);
	if (st)
		return st;
	json_path_join(where, sizeof where, path, key);
	if (!json_is_number(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected a number, found %s", where,
		                       json_type_name(v));
	double d = json_number_value(v);
	if (!isfinite(d) || d < min || d > max)
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %g, expected %g to %g", where, d, min,
		                       max);
	*out = d;
	return MODEL_OK;
}

ModelStatus json_get_string(const json_t *obj, const char *path, const char *key,
                            const char **out, ModelError *err)
{
	char where[160];
	json_t *v;
	ModelStatus st = json_get_member(obj, path, key, &v, err);
	if (st)
		return st;
	json_path_join(where, sizeof where, path, key);
	if (!json_is_string(v))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected a string, found %s", where,
		                       json_type_name(v));
	*out = json_string_value(v);
	return MODEL_OK;
}

ModelStatus json_floats(const json_t *arr, const char *what, size_t n, float **out,
                        ModelError *err)
{
	*out = NULL;
	if (!json_is_array(arr))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an array, found %s", what,
		                       json_type_name(arr));
	size_t have = json_array_size(arr);
	if (have != n)
		return model_error_set(err, MODEL_ERR_SHAPE, "%s: %zu values, expected %zu", what, have,
		                       n);
	float *v = malloc((n ? n : 1) * sizeof(float));
	if (!v)
		return model_error_set(err, MODEL_ERR_NOMEM, "%s: out of memory", what);
	for (size_t k = 0; k < n; k++) {
		const json_t *e = json_array_get(arr, k);
		if (!json_is_number(e)) {
			free(v);
			return model_error_set(err, MODEL_ERR_TYPE, "%s[%zu]: expected a number, found %s",
			                       what, k, json_type_name(e));
		}
		double d = json_number_value(e);
		if (!isfinite(d) || fabs(d) > FLT_MAX) {
			free(v);
			return model_error_set(err, MODEL_ERR_VALUE, "%s[%zu]: %g is not a finite float32",
			                       what, k, d);
		}
		v[k] = (float)d;
	}
	*out = v;
	return MODEL_OK;
}

ModelStatus json_get_floats(const json_t *obj, const char *path, const char *key, size_t n,
                            float **out, ModelError *err)
{
	char where[160];
	json_t *v;
	*out = NULL;
	ModelStatus st = json_get_member(obj, path, key, &v, err);
	if (st)
		return st;
	return json_floats(v, json_path_join(where, sizeof where, path, key), n, out, err);
}

json_t *json_float_array(const float *v, size_t n)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		if (json_array_append_new(arr, json_real((double)v[k])) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}
