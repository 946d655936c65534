// SPDX-License-Identifier: ISC
// AudioBuffer reading and writing with libsndfile.
#include "audio_file.h"
#include "tool_error.h"

#include "atomic_file.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

// About 1.4 hours of 48 kHz stereo, far beyond any capture; keeps sizes inside long and size_t.
#define AUDIO_MAX_SAMPLES (1L << 29)

int audio_buffer_alloc(AudioBuffer *out, long frames, int channels, double sample_rate)
{
	memset(out, 0, sizeof *out);
	if (frames < 0 || channels < 1 || (frames > 0 && channels > AUDIO_MAX_SAMPLES / frames))
		return -1;
	size_t n = (size_t)frames * (size_t)channels;
	out->data = calloc(n ? n : 1, sizeof(float));
	if (!out->data)
		return -1;
	out->frames = frames;
	out->channels = channels;
	out->sample_rate = sample_rate;
	return 0;
}

void audio_buffer_free(AudioBuffer *a)
{
	if (!a)
		return;
	free(a->data);
	memset(a, 0, sizeof *a);
}

float audio_buffer_peak(const AudioBuffer *a, int ch)
{
	float peak = 0.0f;
	if (!a || !a->data || ch < 0 || ch >= a->channels)
		return 0.0f;
	for (long t = 0; t < a->frames; ++t) {
		float v = fabsf(a->data[(size_t)t * (size_t)a->channels + (size_t)ch]);
		if (v > peak)
			peak = v;
	}
	return peak;
}

// Finds the first non-finite sample; -1 when there is none.
static long find_non_finite(const AudioBuffer *a, int *ch_out)
{
	size_t n = (size_t)a->frames * (size_t)a->channels;
	for (size_t i = 0; i < n; ++i) {
		if (!isfinite(a->data[i])) {
			*ch_out = (int)(i % (size_t)a->channels);
			return (long)(i / (size_t)a->channels);
		}
	}
	return -1;
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

// A WAV file whose header promises more audio than the file holds (a copy cut short, a
// recorder that crashed): libsndfile quietly reads what is there, so the header's data size is
// compared with the bytes after it. Returns the bytes missing, 0 when complete, not a plain
// RIFF/WAVE file, or a streaming header (size 0 or 0xFFFFFFFF); *promised gets the size.
static long long wav_bytes_missing(const char *path, long long file_size, long long *promised)
{
	*promised = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	unsigned char h[12];
	long long missing = 0;
	if (fread(h, 1, 12, f) == 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4)) {
		long long at = 12;
		unsigned char c[8];
		// Walk the chunks to "data"; a bounded number, so a damaged header cannot loop.
		for (int i = 0; i < 64 && fread(c, 1, 8, f) == 8; i++) {
			const uint32_t size = le32(c + 4);
			at += 8;
			if (!memcmp(c, "data", 4)) {
				if (size != 0 && size != 0xFFFFFFFFu && at + size > file_size) {
					*promised = size;
					missing = at + size - file_size;
				}
				break;
			}
			at += size + (size & 1);
			if (at >= file_size || fseek(f, (long)at, SEEK_SET) != 0)
				break;
		}
	}
	fclose(f);
	return missing;
}

int audio_file_read(const char *path, AudioBuffer *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	if (!path || !*path) {
		tool_error_set(err, err_len, "no audio file name given");
		return -1;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		tool_error_set(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		tool_error_set(err, err_len, "%s: is a directory", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		// A FIFO with no writer would block the read for ever.
		tool_error_set(err, err_len, "%s: not a regular file (a FIFO, device or socket)", path);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		tool_error_set(err, err_len, "%s: empty file (0 bytes)", path);
		return -1;
	}

	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	if (!sf) {
		tool_error_set(err, err_len, "%s: not an audio file libsndfile can read (%s)", path,
		               sf_strerror(NULL));
		return -1;
	}
	int rc = -1;
	if (info.channels < 1 || info.samplerate < 1) {
		tool_error_set(err, err_len, "%s: %d channels at %d Hz is not usable audio", path,
		               info.channels, info.samplerate);
		goto done;
	}
	if (info.frames <= 0) {
		tool_error_set(err, err_len, "%s: contains no audio (0 frames)", path);
		goto done;
	}
	long long promised = 0;
	const long long missing =
		S_ISREG(st.st_mode) ? wav_bytes_missing(path, (long long)st.st_size, &promised) : 0;
	if (missing > 0) {
		// libsndfile counts only the frames present: bytes per second from those.
		const double held_seconds = (double)info.frames / info.samplerate;
		const double rate_bytes =
			held_seconds > 0 ? (double)(promised - missing) / held_seconds : 0;
		tool_error_set(err, err_len,
		               "%s: truncated: the header promises %lld bytes of audio "
		               "(%.2f s) but the file ends %lld bytes (%.2f s) short",
		               path, promised, rate_bytes > 0 ? (double)promised / rate_bytes : 0.0,
		               missing, rate_bytes > 0 ? (double)missing / rate_bytes : 0.0);
		goto done;
	}
	if (info.frames > AUDIO_MAX_SAMPLES / info.channels) {
		tool_error_set(err, err_len,
		               "%s: too long (%lld frames of %d channels; the limit is %ld samples)", path,
		               (long long)info.frames, info.channels, (long)AUDIO_MAX_SAMPLES);
		goto done;
	}
	if (audio_buffer_alloc(out, (long)info.frames, info.channels, info.samplerate) != 0) {
		tool_error_set(err, err_len, "%s: out of memory for %lld frames", path,
		               (long long)info.frames);
		goto done;
	}
	sf_count_t got = sf_readf_float(sf, out->data, info.frames);
	if (got != info.frames) {
		tool_error_set(err, err_len, "%s: truncated or unreadable: read %lld of %lld frames (%s)",
		               path, (long long)got, (long long)info.frames, sf_strerror(sf));
		goto done;
	}
	int ch = 0;
	long t = find_non_finite(out, &ch);
	if (t >= 0) {
		float v = out->data[(size_t)t * (size_t)out->channels + (size_t)ch];
		tool_error_set(err, err_len, "%s: sample %ld of channel %d is %s", path, t, ch,
		               isnan(v) ? "NaN" : "infinite");
		goto done;
	}
	rc = 0;
done:
	sf_close(sf);
	if (rc != 0)
		audio_buffer_free(out);
	return rc;
}

int audio_file_write(const char *path, const AudioBuffer *a, int force, char *err, size_t err_len)
{
	if (!a || !a->data || a->channels < 1 || a->frames < 0) {
		tool_error_set(err, err_len, "%s: nothing to write", path ? path : "(null)");
		return -1;
	}
	if (!(a->sample_rate >= 1.0 && a->sample_rate <= 2147483647.0)
	    || a->sample_rate != floor(a->sample_rate)) {
		tool_error_set(err, err_len, "%s: sample rate %g Hz cannot be stored in a WAV file", path,
		               a->sample_rate);
		return -1;
	}
	AtomicFile *af = atomic_file_open(path, force, err, err_len);
	if (!af)
		return -1;

	SF_INFO info;
	memset(&info, 0, sizeof info);
	info.samplerate = (int)a->sample_rate;
	info.channels = a->channels;
	double bytes = (double)a->frames * a->channels * sizeof(float);
	info.format = (bytes > 4.0e9 ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | SF_FORMAT_FLOAT;

	// libsndfile writes through the temp file's descriptor; the FILE buffer stays empty, so
	// the commit's fflush has nothing of its own to lose.
	FILE *fp = atomic_file_stream(af);
	errno = 0;
	SNDFILE *sf = sf_open_fd(fileno(fp), SFM_WRITE, &info, 0);
	if (!sf) {
		if (errno)
			tool_error_set(err, err_len, "%s: write failed: %s", path, strerror(errno));
		else
			tool_error_set(err, err_len, "%s: cannot write WAV (%s)", path, sf_strerror(NULL));
		atomic_file_abort(af);
		return -1;
	}
	errno = 0;
	sf_count_t put = sf_writef_float(sf, a->data, a->frames);
	int saved = errno;
	if (put != a->frames) {
		tool_error_set(err, err_len, "%s: write failed after %lld of %ld frames: %s", path,
		               (long long)put, a->frames, saved ? strerror(saved) : sf_strerror(sf));
		sf_close(sf);
		atomic_file_abort(af);
		return -1;
	}
	errno = 0;
	int cerr = sf_close(sf);
	if (cerr != 0) {
		saved = errno;
		tool_error_set(err, err_len, "%s: write failed while finishing the file: %s", path,
		               saved ? strerror(saved) : sf_error_number(cerr));
		atomic_file_abort(af);
		return -1;
	}
	return atomic_file_commit(af, err, err_len);
}
