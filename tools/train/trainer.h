// SPDX-License-Identifier: ISC
// The training loop: cuts the data into segments, shuffles them into batches every epoch,
// splits each batch across threads (a fixed share of columns per thread, so a given thread
// count always sums the same numbers in the same order), runs warm-up, truncated BPTT chunks
// and Adam steps, validates, schedules the learning rate, keeps the best model and saves or
// restores checkpoints. Float32 only. Allocates; never on an audio thread. Prints nothing.
#ifndef TRAINER_H
#define TRAINER_H

#include "holdout.h"
#include "train_loss.h"
#include "train_model.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	TrainShape shape;
	int segment;       // samples per training segment (24000)
	int batch;         // segments per batch (16: more, smaller steps learn faster in the same time)
	int warmup;        // samples at the start of each segment run without gradient (1000)
	int tbptt;         // samples per truncated BPTT chunk (1024)
	double lr;         // Adam learning rate (5e-3)
	double lr_factor;  // learning rate multiplier on a plateau (0.5)
	int lr_patience;   // epochs without a better validation before the rate drops (5)
	int patience;      // epochs without a better validation before stopping, or restarting (20)
	int restart;       // 1: out of patience, restart from the best model instead of stopping,
					   // with fresh Adam moments and the rate halved once more per restart
					   // (for a time budget, which should be used whole)
	double target_esr; // stop once the validation ESR is at or below this (0: never)
	int max_epochs;    // 0: no limit
	double max_seconds; // wall-clock budget, 0: none
	uint64_t seed;
	int threads;
	PreEmphasisKind preemph;
	double preemph_coef;          // a of 1 - a z^-1 (0.85)
	double esr_weight, dc_weight; // 0.75, 0.25
	double forget_bias;           // 1.0
	int force_scalar;             // 1: plain C kernels (for comparisons)
	double sample_rate;           // of the data, for the A-weighting filter
} TrainConfig;

TrainConfig train_config_default(void);

// One capture after loading: input [n][in_channels] interleaved with the knob values
// appended as constant channels, target [n]. Regions: train [0, train_end) less the held-out
// spans, validation = the held-out spans plus [train_end, valid_end), test [valid_end, n).
// The trainer borrows the arrays.
typedef struct {
	const float *x; // [n][inputs]
	const float *t; // [n]
	long n;
	long train_end, valid_end;
	const TrainSpan *held; // validation spans inside [0, train_end) (holdout.h), or NULL
	int held_count;
} TrainSeries;

typedef struct Trainer Trainer;

typedef struct {
	int epoch;         // 1-based, the epoch just finished
	double train_loss; // mean loss over the epoch's chunks
	double valid_esr;  // plain ESR on the validation regions
	double lr;
	int improved;      // the best model was updated
	int restarted;     // the run restarted from the best model after this epoch
	int diverged;      // the validation was not finite: the best weights were restored and
					   // the rate halved
	int skipped_steps; // Adam steps skipped in the epoch for a non-finite gradient
	double seconds;    // wall time since the start (resumed runs count from their start)
	int partial;       // stopped inside the epoch (time budget or interrupt)
} TrainEpochReport;

// Called after each batch with the fraction of the epoch done and the running loss. May be
// NULL.
typedef void (*TrainProgressFn)(void *user, int epoch, double fraction, double loss);

// Copies cfg; borrows series (count of them) until trainer_free. Returns NULL with a message
// when a setting is out of range, no segment fits, or memory runs out. Worker thread.
Trainer *trainer_create(const TrainConfig *cfg, const TrainSeries *series, int count, char *err,
                        size_t err_len);
void trainer_free(Trainer *tr);

// Runs one epoch and a validation. stop, when set (by a signal handler) or when the time
// budget runs out, ends the epoch early. Returns 1 when training should go on, 0 when it is
// finished (stopped, out of epochs or time, or out of patience).
int trainer_run_epoch(Trainer *tr, TrainProgressFn progress, void *user,
                      volatile sig_atomic_t *stop, TrainEpochReport *rep);

// Plain ESR of the given parameters (NULL: the best) over region 0 train, 1 validation, 2 test,
// with warm-up context before every piece. Returns -1 when the region is empty.
double trainer_region_esr(Trainer *tr, const real *params, int region);
// Runs the network (params, NULL: the best) over samples [from, from + n) of series k from
// zero state into out [n].
void trainer_render(Trainer *tr, const real *params, int k, long from, long n, float *out);

const real *trainer_best_params(const Trainer *tr);
const real *trainer_params(const Trainer *tr);
size_t trainer_param_count(const Trainer *tr);
const TrainConfig *trainer_config(const Trainer *tr);
int trainer_epochs_done(const Trainer *tr);
double trainer_best_valid(const Trainer *tr);
const char *trainer_kernels_name(const Trainer *tr);
long trainer_train_samples(const Trainer *tr);
// The per-epoch history (train loss, validation ESR), epochs_done entries each.
const float *trainer_history_loss(const Trainer *tr);
const float *trainer_history_valid(const Trainer *tr);

// Checkpoint: everything needed to continue (config, weights, Adam moments, best model,
// schedule, history, generator). Written atomically (path.tmp, then rename). Returns 0 or -1
// with a message.
int trainer_save_checkpoint(const Trainer *tr, const char *path, char *err, size_t err_len);
// Restores a checkpoint into a trainer created with the same shape. Returns 0 or -1 with a
// message (unreadable, not a checkpoint, other shape).
int trainer_load_checkpoint(Trainer *tr, const char *path, char *err, size_t err_len);
// Keeps a copy of the command line, which every checkpoint then carries, so that a run can be
// resumed from its checkpoint alone. Returns 0, or -1 when out of memory or over 1 MiB.
int trainer_set_args(Trainer *tr, int argc, char *const *argv);
// The command line stored in a checkpoint: *argv_out is one allocated block (free it) holding
// *argc_out strings and a NULL. Returns 0 or -1 with a message.
int trainer_checkpoint_args(const char *path, char ***argv_out, int *argc_out, char *err,
                            size_t err_len);
// Reads only the configuration stored in a checkpoint (to rebuild the same trainer).
int trainer_checkpoint_config(const char *path, TrainConfig *cfg, char *err, size_t err_len);

#endif
