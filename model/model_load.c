// SPDX-License-Identifier: ISC
// Format detection and dispatch: one entry point for every model file the project reads.
#include "model_load.h"

#include "json_file.h"
#include "model_file.h"
#include "model_import.h"
#include "model_selftest.h"

#include <string.h>

const char *model_format_name(ModelFormat f)
{
	switch (f) {
	case MODEL_FORMAT_LSTM_LV2: return "lstm-lv2";
	case MODEL_FORMAT_KERAS: return "AIDA-X/RTNeural Keras JSON";
	case MODEL_FORMAT_STATEDICT: return "GuitarML state_dict JSON";
	case MODEL_FORMAT_NAM: return "NAM";
	case MODEL_FORMAT_UNKNOWN: break;
	}
	return "unknown";
}

static ModelFormat model_format_detect(const json_t *root)
{
	if (!json_is_object(root))
		return MODEL_FORMAT_UNKNOWN;
	if (json_object_get(root, "format"))
		return MODEL_FORMAT_LSTM_LV2;
	if (json_object_get(root, "model_data") && json_object_get(root, "state_dict"))
		return MODEL_FORMAT_STATEDICT;
	if (json_is_string(json_object_get(root, "architecture")) && json_object_get(root, "weights"))
		return MODEL_FORMAT_NAM;
	if (json_object_get(root, "layers") && json_object_get(root, "in_shape"))
		return MODEL_FORMAT_KERAS;
	return MODEL_FORMAT_UNKNOWN;
}

ModelStatus model_import_json(const json_t *root, ModelDesc *out, ModelError *err)
{
	model_desc_init(out);
	switch (model_format_detect(root)) {
	case MODEL_FORMAT_LSTM_LV2: return model_read_json(root, out, err);
	case MODEL_FORMAT_KERAS: return model_import_keras(root, out, err);
	case MODEL_FORMAT_STATEDICT: return model_import_statedict(root, out, err);
	case MODEL_FORMAT_NAM: return model_import_nam(root, out, err);
	case MODEL_FORMAT_UNKNOWN: break;
	}
	return model_error_set(
		err, MODEL_ERR_FORMAT,
		"not a model file this program reads (expected lstm-lv2, AIDA-X/RTNeural, "
		"GuitarML or NAM LSTM JSON)");
}

static ModelStatus import_and_check(json_t *root, ModelDesc *out, ModelError *err)
{
	ModelStatus st = model_import_json(root, out, err);
	if (!st) {
		st = model_selftest_run(out, NULL, err);
		if (st)
			model_desc_free(out);
	}
	return st;
}

ModelStatus model_load_file(const char *path, ModelDesc *out, ModelError *err)
{
	return model_load_file_format(path, out, NULL, err);
}

ModelStatus model_load_file_format(const char *path, ModelDesc *out, ModelFormat *format,
                                   ModelError *err)
{
	json_t *root = NULL;
	model_desc_init(out);
	ModelStatus st = json_file_load(path, &root, err);
	if (st)
		return st;
	if (format)
		*format = model_format_detect(root);
	st = import_and_check(root, out, err);
	json_decref(root);
	model_error_prefix(err, path);
	return st;
}

ModelStatus model_load_buffer(const char *data, size_t size, const char *name, ModelDesc *out,
                              ModelError *err)
{
	json_t *root = NULL;
	model_desc_init(out);
	ModelStatus st = json_file_parse(data, size, &root, err);
	if (!st)
		st = import_and_check(root, out, err);
	json_decref(root);
	model_error_prefix(err, name);
	return st;
}
