// SPDX-License-Identifier: ISC
// TEMPORARY stand-in for tools/common/audio_file.h (tools branch), same signatures; used only
// until tools/common lands in main, then deleted.
#ifndef LSTM_TOOLS_AUDIO_FILE_H
#define LSTM_TOOLS_AUDIO_FILE_H
#include <stddef.h>
typedef struct {
	float *data;
	long frames;
	int channels;
	double sample_rate;
} AudioBuffer;
int audio_file_read(const char *path, AudioBuffer *out, char *err, size_t err_len);
void audio_buffer_free(AudioBuffer *a);
#endif
