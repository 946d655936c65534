// SPDX-License-Identifier: ISC
// TEMPORARY stand-in for tools/common (tools branch): reads and checks a pair with libsndfile,
// without delay estimation. Deleted once tools/common lands in main.
#include "capture_pair.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int audio_file_read(const char *path, AudioBuffer *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f) {
		snprintf(err, err_len, "%s: not an audio file (%s)", path, sf_strerror(NULL));
		return -1;
	}
	out->data = malloc((size_t)info.frames * (size_t)info.channels * sizeof(float) + 1);
	if (!out->data) {
		sf_close(f);
		snprintf(err, err_len, "%s: out of memory", path);
		return -1;
	}
	out->frames = (long)sf_readf_float(f, out->data, info.frames);
	out->channels = info.channels;
	out->sample_rate = info.samplerate;
	sf_close(f);
	for (long i = 0; i < out->frames * out->channels; i++)
		if (!isfinite(out->data[i])) {
			snprintf(err, err_len, "%s: sample %ld of channel %ld is not finite", path,
			         i / out->channels, i % out->channels);
			audio_buffer_free(out);
			return -1;
		}
	return 0;
}

void audio_buffer_free(AudioBuffer *a)
{
	if (!a)
		return;
	free(a->data);
	a->data = NULL;
}

CapturePairOptions capture_pair_default_options(void)
{
	CapturePairOptions o = {0, 1, 4800, 4800, 1};
	return o;
}

void capture_pair_free(CapturePair *p)
{
	if (!p)
		return;
	audio_buffer_free(&p->input);
	audio_buffer_free(&p->target);
}

int capture_pair_load(const char *input_path, const char *target_path,
                      const CapturePairOptions *opt, CapturePair *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	if (audio_file_read(input_path, &out->input, err, err_len) != 0)
		return -1;
	if (audio_file_read(target_path, &out->target, err, err_len) != 0)
		goto fail;
	if (out->input.sample_rate != out->target.sample_rate) {
		snprintf(err, err_len, "%s: sample rate %g Hz differs from %s (%g Hz)", target_path,
		         out->target.sample_rate, input_path, out->input.sample_rate);
		goto fail;
	}
	if (out->target.channels != 1) {
		snprintf(err, err_len, "%s: %d channels, the target must be mono", target_path,
		         out->target.channels);
		goto fail;
	}
	if (opt->input_channels && out->input.channels != opt->input_channels) {
		snprintf(err, err_len, "%s: %d channels, expected %d", input_path, out->input.channels,
		         opt->input_channels);
		goto fail;
	}
	if (out->input.frames != out->target.frames) {
		if (!opt->trim) {
			snprintf(err, err_len, "%s: %ld frames but %s has %ld (use --trim)", target_path,
			         out->target.frames, input_path, out->input.frames);
			goto fail;
		}
		long n = out->input.frames < out->target.frames ? out->input.frames : out->target.frames;
		out->input.frames = out->target.frames = n;
	}
	const AudioBuffer *bufs[2] = {&out->input, &out->target};
	const char *names[2] = {input_path, target_path};
	for (int b = 0; b < 2; b++) {
		float peak = 0;
		for (long i = 0; i < bufs[b]->frames * bufs[b]->channels; i++)
			peak = fmaxf(peak, fabsf(bufs[b]->data[i]));
		if (peak < 1e-5f) {
			snprintf(err, err_len, "%s: silent (peak below -100 dBFS)", names[b]);
			goto fail;
		}
	}
	if (out->input.frames < opt->min_frames) {
		snprintf(err, err_len, "%s: %ld frames, too short (need at least %ld)", input_path,
		         out->input.frames, opt->min_frames);
		goto fail;
	}
	return 0;
fail:
	capture_pair_free(out);
	return -1;
}
