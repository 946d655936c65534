// SPDX-License-Identifier: ISC
// audio_file: WAV/FLAC read as float with the right shape and values; each kind of bad file
// (missing, directory, empty, text, NaN, Inf, no frames, a header promising more than the
// file holds) is refused with a message naming the
// file; writing round-trips bit for bit, refuses to overwrite without force and fails cleanly
// on /dev/full.
#undef NDEBUG
#include "audio_file.h"
#include "tools_test_util.h"

#include <assert.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static void expect_read_error(const char *path, const char *needle)
{
	char err[512] = "";
	AudioBuffer a = {(float *)1, 5, 5, 5.0};
	assert(audio_file_read(path, &a, err, sizeof err) == -1);
	if (!strstr(err, needle)) {
		fprintf(stderr, "expected '%s' in '%s'\n", needle, err);
		assert(0);
	}
	assert(a.data == NULL && a.frames == 0 && a.channels == 0);
}

static void test_read_float_stereo(void)
{
	float x[3 * 2] = {0.5f, -0.25f, 0.125f, 1.5f, -1.0f, 0.0f};
	const char *p = tt_path(dir, "st.wav");
	tt_write_wav(p, x, 3, 2, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
	AudioBuffer a;
	char err[256];
	assert(audio_file_read(p, &a, err, sizeof err) == 0);
	assert(a.frames == 3 && a.channels == 2 && a.sample_rate == 44100.0);
	assert(memcmp(a.data, x, sizeof x) == 0);
	assert(audio_buffer_peak(&a, 1) == 1.5f);
	assert(audio_buffer_peak(&a, 0) == 1.0f);
	audio_buffer_free(&a);
	audio_buffer_free(&a);
	audio_buffer_free(NULL);
}

static void test_read_flac_24bit(void)
{
	float x[100];
	for (int i = 0; i < 100; ++i)
		x[i] = (float)(i - 50) / 64.0f;
	const char *p = tt_path(dir, "m.flac");
	tt_write_wav(p, x, 100, 1, 48000, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
	AudioBuffer a;
	char err[256];
	assert(audio_file_read(p, &a, err, sizeof err) == 0);
	assert(a.frames == 100 && a.channels == 1 && a.sample_rate == 48000.0);
	for (int i = 0; i < 100; ++i)
		assert(fabsf(a.data[i] - x[i]) < 1e-6f);
	audio_buffer_free(&a);
}

static void test_read_errors(void)
{
	expect_read_error(tt_path(dir, "missing.wav"), "missing.wav: No such file or directory");
	expect_read_error(dir, "is a directory");
	tt_write_text(tt_path(dir, "empty.wav"), "");
	expect_read_error(tt_path(dir, "empty.wav"), "empty.wav: empty file");
	tt_write_text(tt_path(dir, "text.wav"), "this is not audio at all, just some words\n");
	expect_read_error(tt_path(dir, "text.wav"), "text.wav: not an audio file");

	float x[8] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
	x[5] = NAN;
	tt_write_wav(tt_path(dir, "nan.wav"), x, 4, 2, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
	expect_read_error(tt_path(dir, "nan.wav"), "nan.wav: sample 2 of channel 1 is NaN");
	x[5] = 0.0f;
	x[6] = -INFINITY;
	tt_write_wav(tt_path(dir, "inf.wav"), x, 4, 2, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
	expect_read_error(tt_path(dir, "inf.wav"), "inf.wav: sample 3 of channel 0 is infinite");

	// A header that promises 1 s over a file cut after 0.25 s: refused, saying how much is
	// missing (libsndfile alone would read the quarter second and say nothing).
	static float sec[48000];
	for (int i = 0; i < 48000; ++i)
		sec[i] = 0.5f * sinf(0.01f * (float)i);
	const char *cut = tt_path(dir, "cut.wav");
	tt_write_wav(cut, sec, 48000, 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	assert(truncate(cut, 44 + 2 * 12000) == 0);
	expect_read_error(cut, "cut.wav: truncated: the header promises 96000 bytes of audio (1.00 s)"
	                       " but the file ends 72000 bytes (0.75 s) short");
	// The same file whole reads.
	tt_write_wav(cut, sec, 48000, 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	char err[512];
	AudioBuffer whole;
	assert(audio_file_read(cut, &whole, err, sizeof err) == 0 && whole.frames == 48000);
	audio_buffer_free(&whole);

	// A FIFO with no writer: refused at once, not waited on.
	assert(mkfifo(tt_path(dir, "pipe.wav"), 0600) == 0);
	alarm(10);
	expect_read_error(tt_path(dir, "pipe.wav"), "pipe.wav: not a regular file");
	alarm(0);
	remove(tt_path(dir, "pipe.wav"));

	tt_write_wav(tt_path(dir, "noframes.wav"), x, 0, 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	expect_read_error(tt_path(dir, "noframes.wav"), "noframes.wav: contains no audio (0 frames)");
}

static void test_write_round_trip(void)
{
	AudioBuffer a;
	assert(audio_buffer_alloc(&a, 1000, 3, 96000.0) == 0);
	unsigned seed = 7;
	for (long i = 0; i < 3000; ++i)
		a.data[i] = tt_noise(&seed) * 2.0f; // float WAV keeps values beyond full scale
	char err[256];
	const char *p = tt_path(dir, "out.wav");
	assert(audio_file_write(p, &a, 0, err, sizeof err) == 0);
	AudioBuffer b;
	assert(audio_file_read(p, &b, err, sizeof err) == 0);
	assert(b.frames == 1000 && b.channels == 3 && b.sample_rate == 96000.0);
	assert(memcmp(a.data, b.data, 3000 * sizeof(float)) == 0);
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(p, SFM_READ, &info);
	assert(sf && info.format == (SF_FORMAT_WAV | SF_FORMAT_FLOAT));
	sf_close(sf);
	audio_buffer_free(&b);

	int before = tt_count_entries(dir);
	assert(audio_file_write(p, &a, 0, err, sizeof err) == -1);
	assert(strstr(err, "out.wav: already exists"));
	assert(audio_file_write(p, &a, 1, err, sizeof err) == 0);
	assert(audio_file_write("/dev/full", &a, 1, err, sizeof err) == -1);
	assert(strstr(err, "/dev/full") && strstr(err, "No space left on device"));
	assert(audio_file_write(dir, &a, 1, err, sizeof err) == -1);
	assert(strstr(err, "is a directory"));
	a.sample_rate = 44100.5;
	assert(audio_file_write(tt_path(dir, "frac.wav"), &a, 1, err, sizeof err) == -1);
	assert(strstr(err, "sample rate 44100.5 Hz cannot be stored"));
	assert(tt_count_entries(dir) == before);
	audio_buffer_free(&a);
}

int main(void)
{
	dir = tt_tmpdir();
	test_read_float_stereo();
	test_read_flac_24bit();
	test_read_errors();
	test_write_round_trip();
	tt_rmtree(dir);
	return 0;
}
