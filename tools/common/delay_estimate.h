// SPDX-License-Identifier: ISC
// Finds how many samples one signal lags another, and with which sign. The lag is the peak of a
// generalised cross-correlation with partial phase transform weighting (GCC-PHAT, spectrum divided
// by |X Y|^0.8), summed over up to 32 stretches spread across the signals: the weighting sharpens
// the peak of a pure delay and keeps a device's own filtering (a tone stack's group delay) from
// pulling it away, and the spread keeps periodic material (a test sine) from making it ambiguous. A
// parabola through the peak gives the fraction of a sample. The sign and size of the match come
// from the plain normalised correlation at that lag, computed directly in double.
#ifndef LSTM_TOOLS_DELAY_ESTIMATE_H
#define LSTM_TOOLS_DELAY_ESTIMATE_H

#ifdef __cplusplus
extern "C" {
#endif

// How far before its peak a device's response may be taken to start: a linear-phase filter
// (an oversampler, a convolver) rings long before its peak, and a causal model can only learn
// what comes after the point it is aligned to.
#define DELAY_ONSET_WINDOW 48
// The response starts at the earliest point within DELAY_ONSET_WINDOW before its peak that
// reaches this share of the peak. A preamp's impulse response can rise through a lobe of one
// sign before its largest, opposite one; the peak alone would align the target past the start
// and ask the network to predict the future. A lower share would count a faint precursor as the
// start: on a high-gain head whose response ramps up over 3 samples from 1/20 of its peak, that
// left the network a delay it never learned (panel capture std_metal: ESR 0.98, against 0.11
// aligned at half the peak, in 2 minutes).
#define DELAY_ONSET_RATIO 0.5

typedef struct {
	int delay;          // y[t + delay] best matches x[t]: y lags x by delay samples (may be < 0)
	double delay_fine;  // the same to a fraction of a sample (a parabola through the peak and
						// its neighbours); rounds to delay
	int onset;          // the earliest lag, up to DELAY_ONSET_WINDOW before delay, where the
						// weighted correlation already reaches half its peak: where the
						// device's response starts. A causal model must not be aligned past it.
	double correlation; // the strongest normalised correlation from the onset to a sample
						// after delay, -1..1: how related the two are
	// The normalised correlation at delay, signed: the polarity. Not the strongest one's sign:
	// a response with lobes of both signs can have its strongest plain correlation in a lobe
	// of the other sign than the whitened peak (the panel's metal amp: +0.20 in the window,
	// inverted at its peak; its Chump amp the other way round), and the skip connection chosen
	// from that sign cost them 0.0171 -> 0.69 and 0.0100 -> 0.0152 in 3 minutes.
	double correlation_at_delay;
	double correlation_at_zero; // the same at lag 0, for reports
	int at_limit; // 1 when |delay| is the largest lag searched (the truth may be further)
	int max_lag;  // the largest lag actually searched
} DelayEstimate;

// Searches lags -max_delay..max_delay (at most half a stretch, 32768) between x (stride x_stride
// floats) and y (stride y_stride), n frames each, over stretches of 65536 frames (or the whole
// signal when shorter) where x is within 50 dB of its loudest stretch; each stretch's mean is
// removed. Returns 0, or -1 when n < 2 or memory runs out. Worker thread: allocates, and plans FFTs
// (FFTW planning must not run in two threads at once).
int delay_estimate(const float *x, int x_stride, const float *y, int y_stride, long n,
                   int max_delay, DelayEstimate *out);

#ifdef __cplusplus
}
#endif

#endif
