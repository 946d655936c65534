// SPDX-License-Identifier: ISC
// The files an lstm-train run writes, checked before any training, and the lock that keeps a
// second run off the same output.
#ifndef LSTM_TRAIN_OUTPUTS_H
#define LSTM_TRAIN_OUTPUTS_H

#include "train_cli.h"

#include <stddef.h>

// Every file the run will write: none may be an input or another output, none may exist
// without --force (the run's own checkpoint may, when --resume names it, and so may the log a
// resumed run appends to), and every folder must be writable. Returns 0, or an exit status
// after a message.
int train_check_outputs(const TrainOptions *o, const char *ckpt);

// Holds OUTPUT.lock for the run (its name into lock). Returns the descriptor, or -1 after a
// message.
int train_lock_output(const char *output, char *lock, size_t n);

#endif
