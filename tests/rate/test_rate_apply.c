// SPDX-License-Identifier: ISC
// lstm-apply --rate-mode renders a file at its own rate through a model of another rate. The
// test signal is written as 32-bit float WAVs at 44.1, 96 and 192 kHz; lstm-apply renders them
// through the 48 kHz test model; the output must have the input's rate and length and match
// gen_reference.py's reference at that rate *without any shift* (the tool takes the player's
// latency off), ESR <= 1e-3 in both modes. Without --rate-mode the mismatch is still refused
// (exit 1, message naming both rates); a bad mode or --rate-mode with --ignore-rate is a
// command-line error (exit 2).
//
//   test_rate_apply DATA_DIR LSTM_APPLY
#undef NDEBUG
#include "rate_fixture.h"

#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *apply_path;
static char tmp_dir[] = "/tmp/test_rate_apply_XXXXXX";

static void write_wav(const char *path, const float *x, size_t frames, int rate)
{
	SF_INFO info;
	memset(&info, 0, sizeof info);
	info.samplerate = rate;
	info.channels = 1;
	info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	if (!f || sf_writef_float(f, x, (sf_count_t)frames) != (sf_count_t)frames) {
		fprintf(stderr, "%s: cannot write\n", path);
		abort();
	}
	sf_close(f);
}

static float *read_wav(const char *path, size_t *frames, int *rate)
{
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f)
		return NULL;
	float *y = malloc((size_t)info.frames * sizeof *y + 1);
	*frames = (size_t)sf_readf_float(f, y, info.frames);
	*rate = info.samplerate;
	sf_close(f);
	return info.channels == 1 ? y : (free(y), NULL);
}

// Runs lstm-apply with the given options; returns its exit status; stderr to err_path.
static int run_apply(const char *in, const char *out, const char *opts, const char *err_path)
{
	char model[4096], cmd[32768];
	snprintf(model, sizeof model, "%s/model_lstm16_48k.json", rate_fixture_data_dir);
	snprintf(cmd, sizeof cmd, "'%s' -q -f -m '%s' -i '%s' -o '%s' %s 2>'%s'", apply_path, model, in,
	         out, opts, err_path);
	const int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int file_contains(const char *path, const char *text)
{
	char buf[4096] = "";
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	const size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return strstr(buf, text) != NULL;
}

static void test_render_at_rate(void)
{
	static const int rates[] = {44100, 96000, 192000};
	static const char *const modes[] = {"resample", "correct"};
	char in[512], out[512], errf[512];
	snprintf(errf, sizeof errf, "%s/stderr.txt", tmp_dir);
	for (size_t k = 0; k < sizeof rates / sizeof rates[0]; k++) {
		size_t n_ref;
		float *ref = rate_fixture_expected(rates[k], &n_ref);
		float *x = rate_fixture_signal(rates[k], n_ref);
		snprintf(in, sizeof in, "%s/in%d.wav", tmp_dir, rates[k]);
		write_wav(in, x, n_ref, rates[k]);
		for (size_t j = 0; j < 2; j++) {
			char opts[64];
			snprintf(opts, sizeof opts, "--rate-mode %s", modes[j]);
			snprintf(out, sizeof out, "%s/out%d_%s.wav", tmp_dir, rates[k], modes[j]);
			const int status = run_apply(in, out, opts, errf);
			CHECK(status == 0, "%d Hz %s: lstm-apply exit %d", rates[k], modes[j], status);
			size_t frames = 0;
			int rate = 0;
			float *y = read_wav(out, &frames, &rate);
			CHECK(y && frames == n_ref && rate == rates[k],
			      "%d Hz %s: output %zu frames at %d Hz, expected %zu at %d", rates[k], modes[j],
			      frames, rate, n_ref, rates[k]);
			if (y && frames == n_ref) {
				const size_t skip = (size_t)rates[k] / 100;
				const double esr = rate_fixture_esr(y + skip, ref + skip, n_ref - skip);
				printf("lstm-apply %6d Hz %-8s ESR %.3g\n", rates[k], modes[j], esr);
				CHECK(esr <= 1e-3, "%d Hz %s: ESR %.3g against the reference, unshifted", rates[k],
				      modes[j], esr);
			}
			free(y);
			remove(out);
		}
		remove(in);
		free(x);
		free(ref);
	}
}

static void test_refusals(void)
{
	char in[512], out[512], errf[512];
	snprintf(in, sizeof in, "%s/in.wav", tmp_dir);
	snprintf(out, sizeof out, "%s/out.wav", tmp_dir);
	snprintf(errf, sizeof errf, "%s/stderr.txt", tmp_dir);
	float *x = rate_fixture_signal(96000, 4800);
	write_wav(in, x, 4800, 96000);
	free(x);
	int st = run_apply(in, out, "", errf);
	CHECK(st == 1 && file_contains(errf, "96000 Hz") && file_contains(errf, "48000 Hz"),
	      "a mismatch without --rate-mode: exit %d", st);
	st = run_apply(in, out, "--rate-mode fast", errf);
	CHECK(st == 2 && file_contains(errf, "--rate-mode fast"), "bad mode: exit %d", st);
	st = run_apply(in, out, "--rate-mode auto --ignore-rate", errf);
	CHECK(st == 2 && file_contains(errf, "exclude"), "--rate-mode with --ignore-rate: exit %d", st);
	CHECK(access(out, F_OK) != 0, "a refused run left %s behind", out);
	remove(in);
	remove(errf);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_rate_apply DATA_DIR LSTM_APPLY\n");
		return 2;
	}
	rate_fixture_data_dir = argv[1];
	apply_path = argv[2];
	if (!mkdtemp(tmp_dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_render_at_rate();
	test_refusals();
	rmdir(tmp_dir);
	return check_result();
}
