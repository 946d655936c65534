// SPDX-License-Identifier: ISC
// Loading any model file the project understands: its own format, AIDA-X/RTNeural Keras JSON,
// GuitarML state_dict JSON and NAM .nam (LSTM). The format is detected from the content, not
// the file name. Worker thread or tools only: reads files and allocates.
#ifndef LSTM_MODEL_LOAD_H
#define LSTM_MODEL_LOAD_H

#include "model_status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	MODEL_FORMAT_UNKNOWN = 0,
	MODEL_FORMAT_LSTM_LV2,
	MODEL_FORMAT_KERAS,
	MODEL_FORMAT_STATEDICT,
	MODEL_FORMAT_NAM,
} ModelFormat;

const char *model_format_name(ModelFormat f);

// Reads path (refusing directories, empty files and files over MODEL_MAX_FILE_BYTES), parses
// it, detects the format, imports it into out and validates it. When the file carries a
// reference pair, it is run and a mismatch is an error (MODEL_ERR_SELFTEST naming the largest
// difference). On failure out is empty and err says what and where, prefixed by the file name.
ModelStatus model_load_file(const char *path, ModelDesc *out, ModelError *err);

// The same, also telling which format the file is in (when format is not NULL).
ModelStatus model_load_file_format(const char *path, ModelDesc *out, ModelFormat *format,
                                   ModelError *err);

// The same from a buffer in memory (for fuzzing and tests); name is used in messages.
ModelStatus model_load_buffer(const char *data, size_t size, const char *name, ModelDesc *out,
                              ModelError *err);

#ifdef __cplusplus
}
#endif

#endif
