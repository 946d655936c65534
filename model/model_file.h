// SPDX-License-Identifier: ISC
// Reading and writing the project's own model format (docs/model-format.md) with jansson.
// Everything here allocates and may do file I/O: worker thread or tools only, never audio.
#ifndef LSTM_MODEL_FILE_H
#define LSTM_MODEL_FILE_H

#include "model_status.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	MODEL_FORMAT_VERSION = 1,
	MODEL_MAX_FILE_BYTES = 64 * 1024 * 1024,
};

// Fills out from a parsed document in the project's format and validates it. On any error out
// is left empty (model_desc_init state) and err names the key path and the problem.
ModelStatus model_read_json(const json_t *root, ModelDesc *out, ModelError *err);

// Reads a file in the project's format (only that format; model_load_file() detects others).
ModelStatus model_read_file(const char *path, ModelDesc *out, ModelError *err);

// Builds the JSON document for a valid model; NULL with err set when m is invalid or memory
// runs out. The caller owns the reference.
json_t *model_to_json(const ModelDesc *m, ModelError *err);

// Writes m to path atomically, as json_file_write() (json_file.h) writes any document.
ModelStatus model_write_file(const char *path, const ModelDesc *m, int force, ModelError *err);

#ifdef __cplusplus
}
#endif

#endif
