// SPDX-License-Identifier: ISC
// Parameter layout, initialisation and export (see train_model.h).
#include "train_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int train_alloc_laid_out(real **mem, TrainLayOut lay_out, void *owner)
{
	*mem = calloc(lay_out(owner, NULL), sizeof(real));
	if (!*mem)
		return -1;
	lay_out(owner, *mem);
	return 0;
}

int train_shape_layer_inputs(const TrainShape *s, int k) { return k == 0 ? s->inputs : s->hidden; }

// Points p's fields into base in PyTorch's order (train_model.h); returns the reals they take.
static size_t lay_out(const TrainShape *s, real *base, TrainParams *p)
{
	memset(p, 0, sizeof *p);
	const size_t H = (size_t)s->hidden, gh = (size_t)model_cell_gates(s->cell) * H;
	TrainCarver c = {base, 0};
	for (int k = 0; k < s->layers; k++) {
		p->w_ih[k] = train_carve(&c, gh * (size_t)train_shape_layer_inputs(s, k));
		p->w_hh[k] = train_carve(&c, gh * H);
		p->b_ih[k] = train_carve(&c, gh);
		p->b_hh[k] = train_carve(&c, gh);
		if (s->cell == CELL_LSTM_PEEPHOLE)
			p->peep[k] = train_carve(&c, 3 * H);
	}
	p->head_w = train_carve(&c, H);
	p->head_b = train_carve(&c, 1);
	return c.at;
}

size_t train_shape_param_count(const TrainShape *s)
{
	TrainParams unused;
	return lay_out(s, NULL, &unused);
}

void train_params_bind(const TrainShape *s, real *base, TrainParams *p) { lay_out(s, base, p); }

uint64_t train_rng_next(TrainRng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double train_rng_uniform(TrainRng *r)
{
	return (double)(train_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

void train_params_init(const TrainShape *s, real *base, uint64_t seed, real forget_bias)
{
	TrainRng rng = {seed};
	const double bound = 1.0 / sqrt((double)s->hidden);
	const size_t n = train_shape_param_count(s);
	for (size_t j = 0; j < n; j++)
		base[j] = (real)((2.0 * train_rng_uniform(&rng) - 1.0) * bound);
	if (s->cell == CELL_GRU)
		return;
	TrainParams p;
	train_params_bind(s, base, &p);
	for (int k = 0; k < s->layers; k++)
		for (int u = 0; u < s->hidden; u++) {
			p.b_ih[k][s->hidden + u] = forget_bias;
			p.b_hh[k][s->hidden + u] = 0;
		}
}

static void copy_out(float *dst, const real *src, size_t n)
{
	for (size_t j = 0; j < n; j++)
		dst[j] = (float)src[j];
}

int train_params_export(const TrainShape *s, const real *base, double sample_rate, ModelDesc *m)
{
	model_desc_init(m);
	TrainParams p;
	train_params_bind(s, (real *)base, &p);
	m->inputs = s->inputs;
	m->skip = s->skip ? 1 : 0;
	m->sample_rate = sample_rate;
	m->num_layers = s->layers;
	const size_t gh = (size_t)model_cell_gates(s->cell) * (size_t)s->hidden;
	for (int k = 0; k < s->layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		l->cell = s->cell;
		l->inputs = train_shape_layer_inputs(s, k);
		l->hidden = s->hidden;
		if (model_desc_alloc_layer(l) != 0) {
			model_desc_free(m);
			return -1;
		}
		copy_out(l->w_ih, p.w_ih[k], gh * (size_t)l->inputs);
		copy_out(l->w_hh, p.w_hh[k], gh * (size_t)s->hidden);
		copy_out(l->b_ih, p.b_ih[k], gh);
		copy_out(l->b_hh, p.b_hh[k], gh);
		if (p.peep[k])
			copy_out(l->peephole, p.peep[k], 3 * (size_t)s->hidden);
	}
	m->num_dense = 1;
	DenseLayerDesc *d = &m->dense[0];
	d->inputs = s->hidden;
	d->outputs = 1;
	d->activation = ACT_LINEAR;
	if (model_desc_alloc_dense(d) != 0) {
		model_desc_free(m);
		return -1;
	}
	copy_out(d->w, p.head_w, (size_t)s->hidden);
	copy_out(d->b, p.head_b, 1);
	return 0;
}

void train_export_fold_gains(ModelDesc *m, float in_gain, float out_gain)
{
	RecurrentLayerDesc *l = &m->layers[0];
	const int rows = model_cell_gates(l->cell) * l->hidden;
	for (int r = 0; r < rows; r++)
		l->w_ih[(size_t)r * (size_t)l->inputs] *= in_gain;
	DenseLayerDesc *d = &m->dense[m->num_dense - 1];
	for (int i = 0; i < d->inputs * d->outputs; i++)
		d->w[i] /= out_gain;
	for (int i = 0; i < d->outputs; i++)
		d->b[i] /= out_gain;
}
