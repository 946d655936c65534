// SPDX-License-Identifier: ISC
// Finds how many samples one signal lags another, and with which sign, by FFT
// cross-correlation (FFTW, single precision) normalised by the energy of the overlapping parts,
// so that the answer is a correlation coefficient between -1 and 1 at every lag.
#ifndef LSTM_TOOLS_DELAY_ESTIMATE_H
#define LSTM_TOOLS_DELAY_ESTIMATE_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int delay;          // y[t + delay] best matches x[t]: y lags x by delay samples (may be < 0)
	double correlation; // normalised correlation at that lag, -1..1; < 0 means inverted
	double correlation_at_zero; // the same at lag 0, for reports
	int at_limit;       // 1 when |delay| is the largest lag searched (the truth may be further)
	int max_lag;        // the largest lag actually searched
} DelayEstimate;

// Searches lags -max_delay..max_delay between x (stride x_stride floats) and y (stride
// y_stride), n frames each. Long signals are searched over the 2^19-frame stretch where x has
// most energy. The means of the stretch are removed first. Returns 0, or -1 when n < 2 or
// memory runs out. Worker thread: allocates, and plans FFTs (FFTW planning must not run in
// two threads at once).
int delay_estimate(const float *x, int x_stride, const float *y, int y_stride, long n,
                   int max_delay, DelayEstimate *out);

#ifdef __cplusplus
}
#endif

#endif
