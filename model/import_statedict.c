// SPDX-License-Identifier: ISC
// Import of the GuitarML / Automated-GuitarAmpModelling state_dict JSON (Proteus, NeuralPi,
// ToobAmp files): {"model_data": {...}, "state_dict": {...}} with PyTorch tensors as nested
// lists. The layouts are PyTorch's own (nn.LSTM / nn.GRU, gate blocks i, f, g, o or r, z, n;
// nn.Linear), so the weights copy across unchanged.
//
// model_data.skip is the number of input channels added to the output (SimpleRNN adds
// x[..., 0:skip]); it is honoured as written, including 0. One widely used player ignores it
// and always adds the input; that is its bug, not the format.
#include "model_import.h"

#include "import_util.h"
#include "json_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static ModelStatus read_tensor_1d(const json_t *sd, const char *key, size_t n, float *out,
                                  ModelError *err)
{
	char p[JSON_PATH_LEN];
	const json_t *v;
	ModelStatus st = json_get_member(sd, "state_dict", key, &v, err);
	if (st)
		return st;
	json_path_join(p, sizeof p, "state_dict", key);
	// nn.Linear(H, 1).weight is [1][H]; accept it flattened as well.
	if (json_is_array(v) && json_array_size(v) == 1 && json_is_array(json_array_get(v, 0)) && n > 1)
		return json_read_matrix(v, p, 1, n, NULL, out, err);
	return json_read_floats(v, p, n, out, err);
}

static ModelStatus read_tensor_2d(const json_t *sd, const char *key, size_t rows, size_t cols,
                                  float *out, ModelError *err)
{
	char p[JSON_PATH_LEN];
	const json_t *v;
	ModelStatus st = json_get_member(sd, "state_dict", key, &v, err);
	if (st)
		return st;
	return json_read_matrix(v, json_path_join(p, sizeof p, "state_dict", key), rows, cols, NULL,
	                        out, err);
}

static ModelStatus read_statedict(const json_t *root, ModelDesc *m, ModelError *err)
{
	const json_t *md, *sd, *v;
	char key[64];
	ModelStatus st;
	int hidden, num_layers = 1, outputs = 1, skip = 1, bias_fl = 1;
	CellType cell;

	if ((st = json_get_member(root, "", "model_data", &md, err))
	    || (st = json_get_member(root, "", "state_dict", &sd, err)))
		return st;
	if (!json_is_object(md) || !json_is_object(sd))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an object",
		                       json_is_object(md) ? "state_dict" : "model_data");
	if ((v = json_object_get(md, "model")) && json_is_string(v)
	    && strcmp(json_string_value(v), "SimpleRNN") != 0)
		return model_error_set(err, MODEL_ERR_FORMAT,
		                       "model_data.model: \"%s\" is not supported (only SimpleRNN)",
		                       json_string_value(v));
	if ((st = json_get_member(md, "model_data", "unit_type", &v, err)))
		return st;
	if (!json_is_string(v))
		return model_error_set(err, MODEL_ERR_TYPE, "model_data.unit_type: expected a string");
	if (!strcasecmp(json_string_value(v), "LSTM"))
		cell = CELL_LSTM;
	else if (!strcasecmp(json_string_value(v), "GRU"))
		cell = CELL_GRU;
	else
		return model_error_set(err, MODEL_ERR_VALUE,
		                       "model_data.unit_type: \"%s\" is not supported (LSTM or GRU)",
		                       json_string_value(v));
	if ((st = json_get_member(md, "model_data", "input_size", &v, err))
	    || (st = json_read_int(v, "model_data.input_size", 1, MODEL_MAX_INPUTS, &m->inputs, err))
	    || (st = json_get_member(md, "model_data", "hidden_size", &v, err))
	    || (st = json_read_int(v, "model_data.hidden_size", 1, MODEL_MAX_HIDDEN, &hidden, err)))
		return st;
	if ((v = json_object_get(md, "num_layers"))
	    && (st = json_read_int(v, "model_data.num_layers", 1, MODEL_MAX_LAYERS, &num_layers, err)))
		return st;
	if ((v = json_object_get(md, "output_size"))
	    && (st = json_read_int(v, "model_data.output_size", 1, 1, &outputs, err)))
		return st;
	// SimpleRNN's constructor default is skip=1, which is what a file without the key meant.
	if ((v = json_object_get(md, "skip"))
	    && (st = json_read_int(v, "model_data.skip", 0, m->inputs, &skip, err)))
		return st;
	if ((v = json_object_get(md, "bias_fl")) && json_is_boolean(v))
		bias_fl = json_is_true(v);
	m->skip = skip;
	m->sample_rate = 48000.0; // the format carries none; every known trainer used 44.1 or 48 kHz
	if ((v = json_object_get(md, "sample_rate")) || (v = json_object_get(md, "samplerate"))) {
		double sr;
		if ((st = json_read_number(v, "model_data.sample_rate", 8000.0, 384000.0, 1, &sr, err)))
			return st;
		m->sample_rate = sr;
	}

	snprintf(key, sizeof key, "rec.weight_ih_l%d", num_layers);
	if (json_object_get(sd, key))
		return model_error_set(err, MODEL_ERR_SHAPE,
		                       "state_dict.%s: present, but model_data.num_layers is %d", key,
		                       num_layers);
	const size_t G = (size_t)model_cell_gates(cell), H = (size_t)hidden;
	int width = m->inputs;
	m->num_layers = num_layers;
	for (int k = 0; k < num_layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		l->cell = cell;
		l->inputs = width;
		l->hidden = hidden;
		if (model_desc_alloc_layer(l) != 0)
			return model_error_set(err, MODEL_ERR_NOMEM, "state_dict: out of memory");
		snprintf(key, sizeof key, "rec.weight_ih_l%d", k);
		if ((st = read_tensor_2d(sd, key, G * H, (size_t)width, l->w_ih, err)))
			return st;
		snprintf(key, sizeof key, "rec.weight_hh_l%d", k);
		if ((st = read_tensor_2d(sd, key, G * H, H, l->w_hh, err)))
			return st;
		snprintf(key, sizeof key, "rec.bias_ih_l%d", k);
		if ((st = read_tensor_1d(sd, key, G * H, l->b_ih, err)))
			return st;
		snprintf(key, sizeof key, "rec.bias_hh_l%d", k);
		if ((st = read_tensor_1d(sd, key, G * H, l->b_hh, err)))
			return st;
		width = hidden;
	}
	DenseLayerDesc *d = &m->dense[0];
	m->num_dense = 1;
	d->inputs = hidden;
	d->outputs = outputs;
	d->activation = ACT_LINEAR;
	if (model_desc_alloc_dense(d) != 0)
		return model_error_set(err, MODEL_ERR_NOMEM, "state_dict: out of memory");
	if ((st = read_tensor_1d(sd, "lin.weight", H, d->w, err)))
		return st;
	if ((bias_fl || json_object_get(sd, "lin.bias"))
	    && (st = read_tensor_1d(sd, "lin.bias", 1, d->b, err)))
		return st;
	return import_set_metadata(m, json_object_get(root, "metadata"), err);
}

ModelStatus model_import_statedict(const json_t *root, ModelDesc *out, ModelError *err)
{
	return import_run(read_statedict, root, out, err);
}
