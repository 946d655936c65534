// SPDX-License-Identifier: ISC
// Importers of other projects' model formats into ModelDesc. Each fills out and validates it,
// or leaves out empty and names the key path and problem in err. Worker thread or tools only.
#ifndef LSTM_MODEL_IMPORT_H
#define LSTM_MODEL_IMPORT_H

#include "model_status.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

// AIDA-X / RTNeural Keras-style JSON.
ModelStatus model_import_keras(const json_t *root, ModelDesc *out, ModelError *err);
// GuitarML / Automated-GuitarAmpModelling state_dict JSON.
ModelStatus model_import_statedict(const json_t *root, ModelDesc *out, ModelError *err);
// Neural Amp Modeler .nam with architecture "LSTM".
ModelStatus model_import_nam(const json_t *root, ModelDesc *out, ModelError *err);

// Any of the formats model_load.h reads (the project's own included), detected from the
// document's keys; the reference pair is not run.
ModelStatus model_import_json(const json_t *root, ModelDesc *out, ModelError *err);

#ifdef __cplusplus
}
#endif

#endif
