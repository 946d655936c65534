// SPDX-License-Identifier: ISC
// The trainer's state, shared by the training loop (trainer.c) and its checkpoints
// (trainer_checkpoint.c) and by nothing else.
#ifndef TRAINER_INTERNAL_H
#define TRAINER_INTERNAL_H

#include "train_kernels.h"
#include "train_net.h"
#include "trainer.h"

enum { MAX_THREADS = 64 };

typedef struct {
	int series;
	long start;
} Segment;

typedef struct {
	int series;
	long start;  // first sample scored
	long length; // samples scored
} Piece;

struct Trainer {
	TrainConfig cfg;
	const TrainSeries *series;
	int count;
	const TrainKernels *K;
	size_t np;
	real *block;
	real *params, *grad, *m, *v, *best;
	real *shard_grad; // [S][np]
	TrainParams P;
	TrainForwardWeights fw;
	int S, rmax;
	TrainNet net[MAX_THREADS];
	int rows[MAX_THREADS];
	real *scratch;                                       // one block behind every sx, st, se, sdy
	long *spans;                                         // one block behind span_from, span_to
	real *sx[MAX_THREADS];                               // [segment][rmax][inputs]
	real *st[MAX_THREADS];                               // [segment][rmax]
	real *se[MAX_THREADS];                               // [tbptt][rmax] loss scratch
	real *sdy[MAX_THREADS];                              // [tbptt][rmax]
	long *span_from[MAX_THREADS], *span_to[MAX_THREADS]; // [rmax] scored samples per column
	Segment *segs;
	int nsegs;
	int *order;
	long train_samples;
	TrainRng rng;
	PreEmphasis pe;
	long step;
	double lr;
	int epoch;
	double best_valid;
	int since_best, since_lr;
	int restarts;
	double grad_norm_avg; // running mean of the gradient norm, for clipping
	int skipped;          // non-finite steps skipped in the current epoch
	float *hist_loss, *hist_valid;
	double t_start, elapsed_before;
	char *args; // the command line, NUL-separated, kept in checkpoints (trainer_set_args)
	size_t args_bytes;
	int args_count;
};

// Monotonic seconds.
double trainer_now_seconds(void);
// Wall time of the run, resumed runs counting from their first start.
double trainer_elapsed(const Trainer *tr);

#endif
