// SPDX-License-Identifier: ISC
// Internal plumbing of the importers of other projects' formats (model/import_*.c): running a
// reader into a fresh, validated description, and keeping a document's metadata. Reading the
// values themselves is json_value.h's. Worker thread or tools only; these allocate.
#ifndef LSTM_IMPORT_UTIL_H
#define LSTM_IMPORT_UTIL_H

#include "model_status.h"

#include <jansson.h>

// Stores metadata (an object or NULL) into m->metadata_json as compact JSON text. Returns
// MODEL_OK or MODEL_ERR_NOMEM.
ModelStatus import_set_metadata(ModelDesc *m, const json_t *metadata, ModelError *err);

// Checks that root is an object, runs an importer's reader into a fresh description and
// validates it: out receives the model whole, or stays empty with err set. Every importer goes
// through this, so none can hand back a partial model.
typedef ModelStatus (*ImportReader)(const json_t *root, ModelDesc *m, ModelError *err);
ModelStatus import_run(ImportReader read, const json_t *root, ModelDesc *out, ModelError *err);

#endif
