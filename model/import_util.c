// SPDX-License-Identifier: ISC
// The importers' shared plumbing: a validated whole model or nothing, and metadata kept.
#include "import_util.h"

#include <stdlib.h>

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
	if (!json_is_object(root))
		return model_error_set(err, MODEL_ERR_TYPE, "document: expected a JSON object");
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
