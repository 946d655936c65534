// SPDX-License-Identifier: ISC
// The standard capture signal: a reamp file users play through their device, laid out so that
// lstm-train can recognise it and use its parts. In order:
//   silence (the noise floor), four blips (the device's latency), silence, a 1 kHz calibration
//   tone at -12 dBFS peak, a staircase of pink noise from -48 to -17 dBFS RMS, validation clip
//   A, the training material (sine sweeps at two levels, then phrases of plucked strings,
//   chords and strums from -36 to -3 dBFS peak), validation clip B (the same samples as A),
//   silence.
// The signal is generated, not stored: the same on every run for a given sample rate (a fixed
// seed), so a recording's input is recognised by generating the signal again and comparing.
#ifndef LSTM_TOOLS_REAMP_SIGNAL_H
#define LSTM_TOOLS_REAMP_SIGNAL_H

#include "audio_file.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REAMP_SIGNAL_VERSION 1
enum { REAMP_BLIPS = 4 };

// Where each part lies, in samples at one sample rate, as [from, to) pairs.
typedef struct {
	double sample_rate;
	long frames;                 // the whole signal
	long noise_from, noise_to;   // leading silence, to measure the noise floor and the DC
	long blip[REAMP_BLIPS];      // the single-sample blips
	long blip_spacing;           // samples between blips (no response may be longer)
	long tone_from, tone_to;     // calibration tone
	long clip_a_from, clip_a_to; // validation clip A
	long train_from, train_to;   // training material
	long clip_b_from, clip_b_to; // validation clip B: the same samples as A
} ReampLayout;

// The layout at sample_rate (8000..384000 Hz). Any thread.
void reamp_signal_layout(double sample_rate, ReampLayout *out);

// Renders the signal, mono, at sample_rate. Returns 0, or -1 when out of memory (out is then
// empty). Any thread; allocates.
int reamp_signal_render(double sample_rate, AudioBuffer *out);

// 1 when channel 0 of x (stride x_stride, n frames) is the signal at sample_rate from its first
// sample, every sample within the rounding of a 16-bit export (more frames after it are
// allowed); then
// *out is its layout. 0 otherwise, or -1 when out of memory. Any thread; allocates.
int reamp_signal_detect(const float *x, int x_stride, long n, double sample_rate, ReampLayout *out);

#ifdef __cplusplus
}
#endif

#endif
