// SPDX-License-Identifier: ISC
// The statuses of reading and writing model files, added to the engine's (dsp/model_desc.h):
// numbered on from MODEL_STATUS_DESC_END, so one ModelStatus and one ModelError carry either
// and one function names them all. Any thread; no allocation.
#ifndef LSTM_MODEL_STATUS_H
#define LSTM_MODEL_STATUS_H

#include "model_desc.h"

#ifdef __cplusplus
extern "C" {
#endif

// Macros with a cast, not a second enum: C gives each enum its own type, and returning one
// where the other is declared would be an enum-conversion warning at every use.
#define MODEL_ERR_IO ((ModelStatus)(MODEL_STATUS_DESC_END + 0))       // cannot open, read, write
#define MODEL_ERR_SYNTAX ((ModelStatus)(MODEL_STATUS_DESC_END + 1))   // not JSON, empty file
#define MODEL_ERR_TYPE ((ModelStatus)(MODEL_STATUS_DESC_END + 2))     // wrong JSON type
#define MODEL_ERR_VERSION ((ModelStatus)(MODEL_STATUS_DESC_END + 3))  // unknown format version
#define MODEL_ERR_TOO_BIG ((ModelStatus)(MODEL_STATUS_DESC_END + 4))  // file or document too big
#define MODEL_ERR_SELFTEST ((ModelStatus)(MODEL_STATUS_DESC_END + 5)) // reference not reproduced
#define MODEL_ERR_FORMAT ((ModelStatus)(MODEL_STATUS_DESC_END + 6))   // not a format read here

// A short name for any status, the engine's included ("syntax error", "shape error").
const char *model_status_name(ModelStatus status);

// Prefixes err's message with "name: " (when err holds an error), so that a message says which
// file it is about.
void model_error_prefix(ModelError *err, const char *name);

#ifdef __cplusplus
}
#endif

#endif
