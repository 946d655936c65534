// SPDX-License-Identifier: ISC
// Whole JSON files in and out: bounded, checked reading and parsing, and atomic writing. Worker
// thread or tools only.
#ifndef LSTM_JSON_FILE_H
#define LSTM_JSON_FILE_H

#include "model_status.h"

#include <jansson.h>
#include <stddef.h>

// Reads and parses path. Refuses a directory, an empty file and a file over
// MODEL_MAX_FILE_BYTES; a syntax error names the line and column. *root is NULL on failure.
ModelStatus json_file_load(const char *path, json_t **root, ModelError *err);

// Parses a buffer with the same checks.
ModelStatus json_file_parse(const char *data, size_t size, json_t **root, ModelError *err);

// Writes any JSON document to path atomically (temporary file in the same folder, fsync,
// rename). An existing file is replaced only when force is set. On failure nothing is left at
// path or beside it. model_write_file() and the exporters' callers write through this.
ModelStatus json_file_write(const char *path, const json_t *doc, int force, ModelError *err);

#endif
