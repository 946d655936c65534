// SPDX-License-Identifier: ISC
// Placeholder until the statedict importer lands: refuses the format with a clear message.
#include "model_import.h"

ModelStatus model_import_statedict(const json_t *root, ModelDesc *out, ModelError *err)
{
	(void)root;
	model_desc_init(out);
	return model_error_set(err, MODEL_ERR_FORMAT, "this format is not supported yet");
}
