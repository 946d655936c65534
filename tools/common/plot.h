// SPDX-License-Identifier: ISC
// The training report picture: a PNG a person can look at to judge a capture, drawn with
// cairo. Three panels: the loss curves (log scale), a stretch of the device's output against
// the model's, and the spectra of both (and of their difference) in dB.
#ifndef LSTM_TOOLS_PLOT_H
#define LSTM_TOOLS_PLOT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const float *train_loss, *valid_esr;
	int epochs; // loss curves (log y)
	const float *target, *output;
	long n;
	double sample_rate; // a stretch of audio to overlay
	const char *title;
} TrainingPlot;

// Three panels: loss curves, target vs model output over the stretch, and both spectra (dB).
// Either loss array may be NULL, values that are not finite and positive are skipped, and a
// panel without data says so instead of failing. The PNG (1200 x 1400) is written atomically
// and replaces an existing file (the trainer redraws it as it goes). Returns 0, or -1 with a
// message naming path and the problem. Worker thread: allocates, plans an FFT, does I/O.
int plot_training_png(const char *path, const TrainingPlot *p, char *err, size_t err_len);

// Frees cairo's and fontconfig's process-wide font caches. Optional: call once at exit, after
// the last plot and with no other cairo user left, so that leak checkers stay quiet. Main thread.
void plot_release_caches(void);

#ifdef __cplusplus
}
#endif

#endif
