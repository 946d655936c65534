// SPDX-License-Identifier: ISC
// Whole JSON files in and out: bounded, checked reading and atomic writing. Worker thread or
// tools only.
#ifndef LSTM_JSON_FILE_H
#define LSTM_JSON_FILE_H

#include "model_desc.h"

#include <jansson.h>
#include <stddef.h>

// Reads and parses path. Refuses a directory, an empty file and a file over
// MODEL_MAX_FILE_BYTES; a syntax error names the line and column. *root is NULL on failure.
ModelStatus json_file_load(const char *path, json_t **root, ModelError *err);

// Parses a buffer with the same checks; name is used in messages.
ModelStatus json_buffer_load(const char *data, size_t size, json_t **root, ModelError *err);

// Prefixes err's message with "name: " (when err holds an error).
void json_error_prefix(ModelError *err, const char *name);

#endif
