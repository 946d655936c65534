// SPDX-License-Identifier: ISC
// What an lstm-train run leaves: the model file, with its self-test pair from the engine and
// its metadata, the PNG report, and the words both use for a held-out ESR.
#ifndef LSTM_TRAIN_REPORT_H
#define LSTM_TRAIN_REPORT_H

#include "train_cli.h"

// NAM's grades of a held-out ESR (< 0: no held-out audio).
const char *train_verdict(double esr);

// The cell's name as --cell takes it.
const char *train_cell_name(CellType c);

// Writes the best model, atomically. Returns 0, or an exit status after a message.
int train_write_model(const TrainOptions *o, Trainer *tr, const TrainData *d, double esr_train,
                      double esr_valid, double esr_test, double esr_linear, double seconds,
                      int interrupted);

// Writes the PNG report. Returns 0, or -1 after a message.
int train_write_plot(const TrainOptions *o, Trainer *tr, const TrainData *d, double esr_linear);

#endif
