// SPDX-License-Identifier: ISC
// The training loop (see trainer.h). One thread per shard of columns; each shard owns a
// TrainNet, its slice of the batch and its own gradient buffer, and the main thread adds the
// shards' gradients in shard order before the Adam step, so results depend on the thread
// count but never on timing.
#include "trainer.h"
#include "trainer_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// A gradient more than this many times the running mean norm is scaled down to it.
#define GRAD_CLIP_RATIO 4.0

double trainer_now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

TrainConfig train_config_default(void)
{
	// Fields not named are 0: no target ESR, no epoch or time limit, restart off, SIMD kernels.
	return (TrainConfig){
		.shape = {.cell = CELL_LSTM, .inputs = 1, .hidden = 32, .layers = 1, .skip = 1},
		.segment = 24000,
		.batch = 16,
		.warmup = 1000,
		.tbptt = 1024,
		.lr = 5e-3,
		.lr_factor = 0.5,
		.lr_patience = 5,
		.patience = 20,
		.seed = 1,
		.threads = 2,
		.preemph = PREEMPH_FIRST,
		.preemph_coef = 0.85,
		.esr_weight = 0.75,
		.dc_weight = 0.25,
		.forget_bias = 1.0,
		.sample_rate = 48000.0,
	};
}

static int config_check(const TrainConfig *c, char *err, size_t n)
{
	const TrainShape *s = &c->shape;
	if (s->hidden < 1 || s->hidden > MODEL_MAX_HIDDEN)
		return snprintf(err, n, "hidden size %d: must be 1 to %d", s->hidden, MODEL_MAX_HIDDEN), -1;
	if (s->layers < 1 || s->layers > MODEL_MAX_LAYERS)
		return snprintf(err, n, "layers %d: must be 1 to %d", s->layers, MODEL_MAX_LAYERS), -1;
	if (s->inputs < 1 || s->inputs > MODEL_MAX_INPUTS)
		return snprintf(err, n, "%d input channels: must be 1 to %d", s->inputs, MODEL_MAX_INPUTS),
		       -1;
	if (c->segment < 2 || c->warmup < 0 || c->warmup >= c->segment)
		return snprintf(err, n, "segment %d and warm-up %d: need 0 <= warm-up < segment",
		                c->segment, c->warmup),
		       -1;
	if (c->batch < 1 || c->tbptt < 1)
		return snprintf(err, n, "batch and BPTT length must be at least 1"), -1;
	if (c->threads < 1 || c->threads > MAX_THREADS)
		return snprintf(err, n, "threads %d: must be 1 to %d", c->threads, MAX_THREADS), -1;
	if (!(c->lr > 0) || !(c->lr_factor > 0 && c->lr_factor <= 1))
		return snprintf(err, n, "learning rate must be positive and its factor in (0, 1]"), -1;
	return 0;
}

// The end of the held-out span that [a, a + len) touches, or -1 when it touches none.
static long held_overlap_end(const TrainSeries *se, long a, long len)
{
	for (int i = 0; i < se->held_count; i++)
		if (a < se->held[i].to && se->held[i].from < a + len)
			return se->held[i].to;
	return -1;
}

// Tiles series k's training part with segments, restarting after each held-out span. Writes
// them to out when it is not NULL; returns how many.
static int list_segments(const TrainSeries *se, int k, long len, Segment *out)
{
	int n = 0;
	long a = 0;
	while (a + len <= se->train_end) {
		const long skip = held_overlap_end(se, a, len);
		if (skip >= 0) {
			a = skip;
			continue;
		}
		if (out) {
			out[n].series = k;
			out[n].start = a;
		}
		n++;
		a += len;
	}
	return n;
}

void trainer_free(Trainer *tr)
{
	if (!tr)
		return;
	for (int s = 0; s < MAX_THREADS; s++)
		train_net_free(&tr->net[s]);
	free(tr->scratch);
	free(tr->spans);
	train_forward_weights_free(&tr->fw);
	free(tr->block);
	free(tr->segs);
	free(tr->order);
	free(tr->hist_loss);
	free(tr->hist_valid);
	free(tr->args);
	free(tr);
}

// The layout (TrainLayOut) of every shard's scratch: sx, st, se and sdy, shard after shard.
static size_t scratch_lay_out(void *owner, real *base)
{
	Trainer *tr = owner;
	const size_t R = (size_t)tr->rmax, L = (size_t)tr->cfg.segment;
	const size_t I = (size_t)tr->cfg.shape.inputs, T = (size_t)tr->cfg.tbptt;
	TrainCarver c = {base, 0};
	for (int s = 0; s < tr->S; s++) {
		tr->sx[s] = train_carve(&c, L * R * I);
		tr->st[s] = train_carve(&c, L * R);
		tr->se[s] = train_carve(&c, T * R);
		tr->sdy[s] = train_carve(&c, T * R);
	}
	return c.at;
}

Trainer *trainer_create(const TrainConfig *cfg, const TrainSeries *series, int count, char *err,
                        size_t err_len)
{
	if (config_check(cfg, err, err_len) != 0)
		return NULL;
	Trainer *tr = calloc(1, sizeof *tr);
	if (!tr) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	tr->cfg = *cfg;
	// A chunk never spans more than a segment, and the shard buffers hold one segment.
	if (tr->cfg.tbptt > tr->cfg.segment)
		tr->cfg.tbptt = tr->cfg.segment;
	cfg = &tr->cfg;
	tr->series = series;
	tr->count = count;
	tr->K = train_kernels_best(cfg->force_scalar);
	for (int k = 0; k < count; k++)
		tr->nsegs += list_segments(&series[k], k, cfg->segment, NULL);
	if (tr->nsegs == 0) {
		snprintf(err, err_len,
		         "no training segment: every pair's training part is shorter than "
		         "one segment (%d samples)",
		         cfg->segment);
		trainer_free(tr);
		return NULL;
	}
	tr->segs = calloc((size_t)tr->nsegs, sizeof *tr->segs);
	tr->order = calloc((size_t)tr->nsegs, sizeof *tr->order);
	tr->np = train_shape_param_count(&cfg->shape);
	tr->S = cfg->threads;
	tr->rmax = (cfg->batch + tr->S - 1) / tr->S;
	tr->block = calloc(tr->np * (5 + (size_t)tr->S), sizeof(real));
	int fail = !tr->segs || !tr->order || !tr->block;
	fail = fail || train_forward_weights_init(&tr->fw, &cfg->shape) != 0;
	fail = fail || train_alloc_laid_out(&tr->scratch, scratch_lay_out, tr) != 0;
	const size_t R = (size_t)tr->rmax;
	tr->spans = fail ? NULL : calloc(2 * R * (size_t)tr->S, sizeof(long));
	fail = fail || !tr->spans;
	for (int s = 0; s < tr->S && !fail; s++) {
		fail |= train_net_init(&tr->net[s], &cfg->shape, tr->rmax, cfg->tbptt, tr->K) != 0;
		tr->span_from[s] = tr->spans + 2 * R * (size_t)s;
		tr->span_to[s] = tr->span_from[s] + R;
	}
	if (fail) {
		snprintf(err, err_len, "out of memory");
		trainer_free(tr);
		return NULL;
	}
	int j = 0;
	for (int k = 0; k < count; k++)
		j += list_segments(&series[k], k, cfg->segment, tr->segs + j);
	for (int i = 0; i < tr->nsegs; i++)
		tr->order[i] = i;
	tr->train_samples = (long)tr->nsegs * cfg->segment;
	tr->params = tr->block;
	tr->grad = tr->params + tr->np;
	tr->m = tr->grad + tr->np;
	tr->v = tr->m + tr->np;
	tr->best = tr->v + tr->np;
	tr->shard_grad = tr->best + tr->np;
	train_params_init(&cfg->shape, tr->params, cfg->seed, (real)cfg->forget_bias);
	memcpy(tr->best, tr->params, tr->np * sizeof(real));
	train_params_bind(&cfg->shape, tr->params, &tr->P);
	train_forward_weights_update(&tr->fw, &tr->P);
	tr->rng.state = cfg->seed ^ 0x5eed5eed5eed5eedull;
	preemph_design(&tr->pe, cfg->preemph, cfg->preemph_coef, cfg->sample_rate);
	tr->lr = cfg->lr;
	tr->best_valid = INFINITY;
	tr->t_start = trainer_now_seconds();
	return tr;
}

// --- shards ------------------------------------------------------------------------------

enum { JOB_FORWARD, JOB_TRAIN, JOB_EVAL };

typedef struct {
	Trainer *tr;
	int s;
	int kind;
	long off; // first time step of the chunk in the shard buffers
	int T;
	const LossNorm *norm;
	double loss;
	double err2, sig2; // JOB_EVAL sums
} ShardJob;

static void shard_run(ShardJob *j)
{
	Trainer *tr = j->tr;
	const int s = j->s, R = tr->rows[s], I = tr->cfg.shape.inputs;
	if (R == 0)
		return;
	TrainNet *net = &tr->net[s];
	const real *x = tr->sx[s] + j->off * R * I;
	const real *t = tr->st[s] + j->off * R;
	train_net_forward(net, &tr->P, &tr->fw, x, j->T);
	if (j->kind == JOB_EVAL) {
		for (int n = 0; n < j->T; n++) {
			const long time = j->off + n;
			for (int r = 0; r < R; r++) {
				if (time < tr->span_from[s][r] || time >= tr->span_to[s][r])
					continue;
				double tv = t[(long)n * R + r], e = net->y[(long)n * R + r] - tv;
				j->err2 += e * e;
				j->sig2 += tv * tv;
			}
		}
		return;
	}
	if (j->kind != JOB_TRAIN)
		return;
	real *g = tr->shard_grad + (size_t)s * tr->np;
	memset(g, 0, tr->np * sizeof(real));
	TrainParams gv;
	train_params_bind(&tr->cfg.shape, g, &gv);
	j->loss = train_loss_esr_dc_forward(&tr->pe, j->norm, net->y, t, R, NULL);
	train_loss_esr_dc_backward(&tr->pe, j->norm, net->y, t, R, tr->se[s], tr->sdy[s]);
	train_net_backward(net, &tr->P, x, tr->sdy[s], &gv);
}

static void *shard_thread(void *arg)
{
	shard_run(arg);
	return NULL;
}

// Runs the job on every shard: shard 0 on this thread, the others on their own threads.
static void run_shards(Trainer *tr, const ShardJob *proto, ShardJob *jobs)
{
	pthread_t th[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	for (int s = 0; s < tr->S; s++) {
		jobs[s] = *proto;
		jobs[s].s = s;
		jobs[s].tr = tr;
	}
	for (int s = 1; s < tr->S; s++)
		if (tr->rows[s] > 0)
			started[s] = pthread_create(&th[s], NULL, shard_thread, &jobs[s]) == 0;
	for (int s = 1; s < tr->S; s++)
		if (tr->rows[s] > 0 && !started[s])
			shard_run(&jobs[s]);
	shard_run(&jobs[0]);
	for (int s = 1; s < tr->S; s++)
		if (started[s])
			pthread_join(th[s], NULL);
}

// Spreads cols columns over the shards as evenly as possible; returns each shard's first.
static void split_columns(Trainer *tr, int cols, int *first)
{
	for (int s = 0; s < tr->S; s++) {
		int lo = (int)((long)cols * s / tr->S), hi = (int)((long)cols * (s + 1) / tr->S);
		first[s] = lo;
		tr->rows[s] = hi - lo;
		tr->net[s].rows = hi - lo;
		train_net_reset(&tr->net[s]);
	}
}

// Copies samples [start - lead, start - lead + len) of series k into column r of shard s,
// zeros outside the series.
static void fill_column(Trainer *tr, int s, int r, int k, long from, long len)
{
	const TrainSeries *se = &tr->series[k];
	const int R = tr->rows[s], I = tr->cfg.shape.inputs;
	real *x = tr->sx[s], *t = tr->st[s];
	for (long n = 0; n < len; n++) {
		long i = from + n;
		int in = i >= 0 && i < se->n;
		for (int c = 0; c < I; c++)
			x[(n * R + r) * I + c] = in ? se->x[i * I + c] : 0;
		t[n * R + r] = in ? se->t[i] : 0;
	}
}

static void forward_span(Trainer *tr, long from, long to)
{
	ShardJob proto = {0}, jobs[MAX_THREADS];
	proto.kind = JOB_FORWARD;
	for (long off = from; off < to; off += tr->cfg.tbptt) {
		proto.off = off;
		proto.T = (int)(to - off < tr->cfg.tbptt ? to - off : tr->cfg.tbptt);
		run_shards(tr, &proto, jobs);
	}
}

static double train_chunk(Trainer *tr, long off, int T)
{
	LossSums sums = {0};
	for (int s = 0; s < tr->S; s++)
		if (tr->rows[s] > 0)
			train_loss_target_sums(&tr->pe, tr->st[s] + off * tr->rows[s], T, tr->rows[s], &sums);
	LossNorm norm;
	train_loss_norm(&sums, T, tr->cfg.esr_weight, tr->cfg.dc_weight, &norm);
	ShardJob proto = {0}, jobs[MAX_THREADS];
	proto.kind = JOB_TRAIN;
	proto.off = off;
	proto.T = T;
	proto.norm = &norm;
	run_shards(tr, &proto, jobs);
	double loss = 0.0;
	memset(tr->grad, 0, tr->np * sizeof(real));
	for (int s = 0; s < tr->S; s++) {
		if (tr->rows[s] == 0)
			continue;
		loss += jobs[s].loss;
		const real *g = tr->shard_grad + (size_t)s * tr->np;
		for (size_t i = 0; i < tr->np; i++)
			tr->grad[i] += g[i];
	}
	// A non-finite gradient (an overflow on a wild input) would poison the weights: skip it.
	// A spike is clipped to a few times the running norm, so one odd batch cannot undo what
	// the earlier ones learned.
	double norm2 = 0.0;
	for (size_t i = 0; i < tr->np; i++)
		norm2 += (double)tr->grad[i] * (double)tr->grad[i];
	if (!isfinite(norm2) || !isfinite(loss)) {
		tr->skipped++;
		return isfinite(loss) ? loss : 0.0;
	}
	const double gnorm = sqrt(norm2), limit = GRAD_CLIP_RATIO * tr->grad_norm_avg;
	const int clip = tr->grad_norm_avg > 0.0 && gnorm > limit;
	if (clip) {
		const real scale = (real)(limit / gnorm);
		for (size_t i = 0; i < tr->np; i++)
			tr->grad[i] *= scale;
	}
	// The running mean follows the norms applied, so a burst of spikes cannot raise the limit.
	const double applied = clip ? limit : gnorm;
	tr->grad_norm_avg =
		tr->grad_norm_avg == 0.0 ? applied : 0.99 * tr->grad_norm_avg + 0.01 * applied;
	tr->step++;
	train_adam_update(tr->params, tr->grad, tr->m, tr->v, tr->np, tr->lr, 0.9, 0.999, 1e-8,
	                  tr->step);
	train_forward_weights_update(&tr->fw, &tr->P);
	return loss;
}

double trainer_elapsed(const Trainer *tr)
{
	return tr->elapsed_before + (trainer_now_seconds() - tr->t_start);
}

static int out_of_time(const Trainer *tr)
{
	return tr->cfg.max_seconds > 0 && trainer_elapsed(tr) >= tr->cfg.max_seconds;
}

// Plain ESR of the current tr->P over region pieces, batched like training: every piece is
// preceded by warm-up samples of the audio before it, which are run but not scored.
static double eval_pieces(Trainer *tr, const Piece *pieces, int count)
{
	const TrainConfig *c = &tr->cfg;
	const long W = c->warmup, P = c->segment - c->warmup;
	double err2 = 0.0, sig2 = 0.0;
	int first[MAX_THREADS];
	for (int p0 = 0; p0 < count; p0 += c->batch) {
		int cols = count - p0 < c->batch ? count - p0 : c->batch;
		split_columns(tr, cols, first);
		long longest = 0;
		for (int s = 0; s < tr->S; s++)
			for (int r = 0; r < tr->rows[s]; r++) {
				const Piece *pc = &pieces[p0 + first[s] + r];
				fill_column(tr, s, r, pc->series, pc->start - W, W + P);
				tr->span_from[s][r] = W;
				tr->span_to[s][r] = W + pc->length;
				if (W + pc->length > longest)
					longest = W + pc->length;
			}
		for (long off = 0; off < longest; off += c->tbptt) {
			ShardJob proto = {0}, jobs[MAX_THREADS];
			proto.kind = JOB_EVAL;
			proto.off = off;
			proto.T = (int)(longest - off < c->tbptt ? longest - off : c->tbptt);
			run_shards(tr, &proto, jobs);
			for (int s = 0; s < tr->S; s++) {
				err2 += jobs[s].err2;
				sig2 += jobs[s].sig2;
			}
		}
	}
	return sig2 > 0 ? err2 / sig2 : -1.0;
}

// Appends pieces of at most P samples covering [a, b) of series k (counts only when pcs is
// NULL).
static int add_pieces(Piece *pcs, int n, int k, long a, long b, long P)
{
	for (long st = a; st < b; st += P) {
		if (pcs) {
			pcs[n].series = k;
			pcs[n].start = st;
			pcs[n].length = b - st < P ? b - st : P;
		}
		n++;
	}
	return n;
}

// Cuts region (0 train, 1 validation, 2 test) of every series into pieces of segment - warm-up
// samples: training is [0, train_end) between the held-out spans, validation the spans and
// [train_end, valid_end), test [valid_end, n). Returns the count; *out is allocated (free it).
static int region_pieces(const Trainer *tr, int region, Piece **out)
{
	const long P = tr->cfg.segment - tr->cfg.warmup;
	int n = 0;
	Piece *pcs = NULL;
	for (int pass = 0; pass < 2; pass++) {
		n = 0;
		for (int k = 0; k < tr->count; k++) {
			const TrainSeries *se = &tr->series[k];
			if (region == 0) {
				long a = 0;
				for (int h = 0; h < se->held_count; h++) {
					n = add_pieces(pcs, n, k, a, se->held[h].from, P);
					a = se->held[h].to;
				}
				n = add_pieces(pcs, n, k, a, se->train_end, P);
			} else if (region == 1) {
				for (int h = 0; h < se->held_count; h++)
					n = add_pieces(pcs, n, k, se->held[h].from, se->held[h].to, P);
				n = add_pieces(pcs, n, k, se->train_end, se->valid_end, P);
			} else {
				n = add_pieces(pcs, n, k, se->valid_end, se->n, P);
			}
		}
		if (pass == 0) {
			if (n == 0)
				break;
			pcs = calloc((size_t)n, sizeof *pcs);
			if (!pcs)
				return -1;
		}
	}
	*out = pcs;
	return n;
}

double trainer_region_esr(Trainer *tr, const real *params, int region)
{
	Piece *pcs = NULL;
	int n = region_pieces(tr, region, &pcs);
	if (n <= 0)
		return -1.0;
	real *saved = NULL;
	if (params && params != tr->params) {
		saved = malloc(tr->np * sizeof(real));
		if (!saved) {
			free(pcs);
			return -1.0;
		}
		memcpy(saved, tr->params, tr->np * sizeof(real));
		memcpy(tr->params, params, tr->np * sizeof(real));
		train_forward_weights_update(&tr->fw, &tr->P);
	}
	double esr = eval_pieces(tr, pcs, n);
	if (saved) {
		memcpy(tr->params, saved, tr->np * sizeof(real));
		train_forward_weights_update(&tr->fw, &tr->P);
		free(saved);
	}
	free(pcs);
	return esr;
}

void trainer_render(Trainer *tr, const real *params, int k, long from, long n, float *out)
{
	TrainParams pv;
	train_params_bind(&tr->cfg.shape, (real *)(params ? params : tr->best), &pv);
	train_forward_weights_update(&tr->fw, &pv);
	const TrainSeries *se = &tr->series[k];
	const int I = tr->cfg.shape.inputs;
	TrainNet *net = &tr->net[0];
	net->rows = 1;
	train_net_reset(net);
	if (from < 0)
		from = 0;
	if (from + n > se->n)
		n = se->n - from;
	for (long off = 0; off < n; off += tr->cfg.tbptt) {
		int T = (int)(n - off < tr->cfg.tbptt ? n - off : tr->cfg.tbptt);
		real *x = tr->sx[0];
		for (long i = 0; i < (long)T * I; i++)
			x[i] = se->x[(from + off) * I + i];
		train_net_forward(net, &pv, &tr->fw, x, T);
		for (int j = 0; j < T; j++)
			out[off + j] = (float)net->y[j];
	}
	train_forward_weights_update(&tr->fw, &tr->P);
}

int trainer_run_epoch(Trainer *tr, TrainProgressFn progress, void *user,
                      volatile sig_atomic_t *stop, TrainEpochReport *rep)
{
	const TrainConfig *c = &tr->cfg;
	memset(rep, 0, sizeof *rep);
	// The order depends only on the generator, so a checkpoint needs no permutation.
	for (int i = 0; i < tr->nsegs; i++)
		tr->order[i] = i;
	for (int i = tr->nsegs - 1; i > 0; i--) {
		int j = (int)(train_rng_next(&tr->rng) % (uint64_t)(i + 1));
		int t = tr->order[i];
		tr->order[i] = tr->order[j];
		tr->order[j] = t;
	}
	double loss_sum = 0.0;
	long chunks = 0;
	int first[MAX_THREADS];
	for (int b0 = 0; b0 < tr->nsegs; b0 += c->batch) {
		if ((stop && *stop) || out_of_time(tr)) {
			rep->partial = 1;
			break;
		}
		int cols = tr->nsegs - b0 < c->batch ? tr->nsegs - b0 : c->batch;
		split_columns(tr, cols, first);
		for (int s = 0; s < tr->S; s++)
			for (int r = 0; r < tr->rows[s]; r++) {
				const Segment *sg = &tr->segs[tr->order[b0 + first[s] + r]];
				fill_column(tr, s, r, sg->series, sg->start, c->segment);
			}
		forward_span(tr, 0, c->warmup);
		for (long off = c->warmup; off < c->segment; off += c->tbptt) {
			int T = (int)(c->segment - off < c->tbptt ? c->segment - off : c->tbptt);
			loss_sum += train_chunk(tr, off, T);
			chunks++;
		}
		if (progress)
			progress(user, tr->epoch + 1, (double)(b0 + cols) / tr->nsegs,
			         chunks ? loss_sum / chunks : 0.0);
	}
	if (chunks == 0 && tr->epoch > 0) {
		rep->epoch = tr->epoch;
		rep->partial = 1;
		rep->valid_esr = tr->best_valid;
		rep->lr = tr->lr;
		rep->seconds = trainer_elapsed(tr);
		return 0;
	}
	tr->epoch++;
	rep->epoch = tr->epoch;
	rep->train_loss = chunks ? loss_sum / chunks : 0.0;
	double v = trainer_region_esr(tr, NULL, 1);
	if (v < 0) // no validation data: judge by the training loss
		v = rep->train_loss;
	rep->valid_esr = v;
	if (!isfinite(v)) {
		// The weights diverged: back to the best ones, with fresh moments and half the rate.
		memcpy(tr->params, tr->best, tr->np * sizeof(real));
		memset(tr->m, 0, tr->np * sizeof(real));
		memset(tr->v, 0, tr->np * sizeof(real));
		tr->step = 0;
		tr->lr *= 0.5;
		train_forward_weights_update(&tr->fw, &tr->P);
		rep->diverged = 1;
	} else if (v < tr->best_valid) {
		tr->best_valid = v;
		memcpy(tr->best, tr->params, tr->np * sizeof(real));
		tr->since_best = 0;
		tr->since_lr = 0;
		rep->improved = 1;
	} else {
		tr->since_best++;
		if (++tr->since_lr >= c->lr_patience) {
			tr->lr *= c->lr_factor;
			tr->since_lr = 0;
		}
	}
	if (v >= tr->best_valid && c->restart && tr->since_best >= c->patience) {
		// Out of patience with time left: go back to the best model, forget the optimiser's
		// moments, which point wherever the plateau led, and continue at a lower rate.
		memcpy(tr->params, tr->best, tr->np * sizeof(real));
		memset(tr->m, 0, tr->np * sizeof(real));
		memset(tr->v, 0, tr->np * sizeof(real));
		tr->step = 0;
		tr->restarts++;
		tr->lr = c->lr * pow(c->lr_factor, tr->restarts);
		tr->since_best = 0;
		tr->since_lr = 0;
		train_forward_weights_update(&tr->fw, &tr->P);
		rep->restarted = 1;
	}
	rep->skipped_steps = tr->skipped;
	tr->skipped = 0;
	rep->lr = tr->lr;
	float *hl = realloc(tr->hist_loss, (size_t)tr->epoch * sizeof(float));
	if (hl)
		tr->hist_loss = hl;
	float *hv = realloc(tr->hist_valid, (size_t)tr->epoch * sizeof(float));
	if (hv)
		tr->hist_valid = hv;
	if (hl && hv) {
		tr->hist_loss[tr->epoch - 1] = (float)rep->train_loss;
		tr->hist_valid[tr->epoch - 1] = (float)v;
	}
	rep->seconds = trainer_elapsed(tr);
	if (rep->partial || (stop && *stop) || out_of_time(tr))
		return 0;
	if (c->max_epochs > 0 && tr->epoch >= c->max_epochs)
		return 0;
	if (c->target_esr > 0 && tr->best_valid <= c->target_esr)
		return 0;
	if (!c->restart && tr->since_best >= c->patience)
		return 0;
	return 1;
}

const real *trainer_best_params(const Trainer *tr) { return tr->best; }
const real *trainer_params(const Trainer *tr) { return tr->params; }
size_t trainer_param_count(const Trainer *tr) { return tr->np; }
const TrainConfig *trainer_config(const Trainer *tr) { return &tr->cfg; }
int trainer_epochs_done(const Trainer *tr) { return tr->epoch; }
double trainer_best_valid(const Trainer *tr) { return tr->best_valid; }
const char *trainer_kernels_name(const Trainer *tr) { return tr->K->name; }
long trainer_train_samples(const Trainer *tr) { return tr->train_samples; }
const float *trainer_history_loss(const Trainer *tr) { return tr->hist_loss; }
const float *trainer_history_valid(const Trainer *tr) { return tr->hist_valid; }
