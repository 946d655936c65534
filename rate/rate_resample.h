// SPDX-License-Identifier: ISC
// Internal to rate/: the resampling path. Host-rate input goes through a libspeexdsp resampler
// to the model's rate (every input channel), through the network, and back through a second
// resampler into a FIFO that was primed with `latency` zeros. Both resamplers start with
// speex_resampler_skip_zeros(), so each maps its input grid onto its output grid with no delay
// of its own: the only delay of the chain is the priming, a whole number of host samples.
#ifndef LSTM_RATE_RESAMPLE_H
#define LSTM_RATE_RESAMPLE_H

#include "lstm_net.h"

#include <stdint.h>

typedef struct RateResampler RateResampler;

// Quality of both speex resamplers (0..10); chosen in docs/sample-rates.md.
enum { RATE_SPEEX_QUALITY = 5 };

// Worker thread: allocates. Borrows net, which must outlive the resampler (the RatePlayer owns
// both). chunk: the largest block rate_resampler_process() accepts. Returns NULL with err
// filled on failure.
RateResampler *rate_resampler_create(LstmNet *net, uint32_t model_rate, uint32_t host_rate,
                                     uint32_t chunk, ModelError *err);
// Frees the resamplers and the scratch, not the network. NULL is a no-op. Worker thread.
void rate_resampler_destroy(RateResampler *rs);
// Audio thread. n <= chunk. out may alias inputs[0].
void rate_resampler_process(RateResampler *rs, const float *const *inputs, float *out, uint32_t n);
void rate_resampler_reset(RateResampler *rs);
uint32_t rate_resampler_latency(const RateResampler *rs);
unsigned long rate_resampler_underruns(const RateResampler *rs);

#endif
