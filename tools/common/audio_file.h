// SPDX-License-Identifier: ISC
// Audio files in and out of the tools, through libsndfile: any format it reads (WAV, FLAC,
// AIFF, ...) comes in as interleaved float; output is always 32-bit float WAV written
// atomically (see atomic_file.h). Everything here allocates and does I/O: tools only, never
// the audio thread.
#ifndef LSTM_TOOLS_AUDIO_FILE_H
#define LSTM_TOOLS_AUDIO_FILE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	float *data; // [frames][channels] interleaved
	long frames;
	int channels;
	double sample_rate;
} AudioBuffer;

// Reads any libsndfile format as float (integer formats scaled to [-1, 1)). Refuses a missing
// file, a directory, a file libsndfile does not recognise, a file with no frames, a truncated
// file and any NaN or infinite sample. On failure returns -1, leaves out empty and writes a
// one-line message naming the file and the problem into err ("dry.wav: not an audio file (...)",
// "x.wav: is a directory", "x.wav: sample 1234 of channel 0 is NaN"). Any thread; allocates.
int audio_file_read(const char *path, AudioBuffer *out, char *err, size_t err_len);

// Writes a as 32-bit float WAV (RF64 when over 4 GiB) atomically: temp file in the same
// folder, fsync, rename. Refuses to replace an existing file unless force. Returns 0, or -1
// with a message; no partial file is left behind. Any thread; allocates.
int audio_file_write(const char *path, const AudioBuffer *a, int force, char *err, size_t err_len);

// Allocates a zeroed buffer of frames x channels. Returns 0, or -1 when out of memory or the
// size is impossible (out is then empty). Any thread.
int audio_buffer_alloc(AudioBuffer *out, long frames, int channels, double sample_rate);

// Frees the samples and empties the struct. NULL-safe and idempotent.
void audio_buffer_free(AudioBuffer *a);

// Largest absolute sample value of channel ch (0 for an empty buffer). Any thread.
float audio_buffer_peak(const AudioBuffer *a, int ch);

#ifdef __cplusplus
}
#endif

#endif
