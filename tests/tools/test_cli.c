// SPDX-License-Identifier: ISC
// lstm-apply and lstm-esr as a user runs them, and the command lines of lstm-reamp and
// lstm-convert: a table of good and bad command lines and files, each with its exit status and
// a piece of the message it must print, one line prefixed by the tool's name, and no file left
// behind by a failure. Every file is made here, in a private temp folder: the models with
// model_write_file(), the audio with libsndfile. --remove-latency shifts the output by the
// model's latency_samples.
// Usage: test_cli PATH/lstm-apply PATH/lstm-esr PATH/lstm-reamp PATH/lstm-convert
#undef NDEBUG
#include "model_file.h"
#include "model_render.h"
#include "tools_test_util.h"

#include <assert.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#define N 12000
#define FLOAT_WAV (SF_FORMAT_WAV | SF_FORMAT_FLOAT)
#define LATE_SAMPLES 2.6f // late.json's latency_samples (mono.json's weights)

static const char *dir;
// The tools' paths (main's arguments, in this order), and the names the table gives them.
static const char *apply_bin, *esr_bin, *reamp_bin, *convert_bin;
static const struct {
	const char *name;
	const char **bin;
} tools[] = {
	{"apply", &apply_bin}, {"esr", &esr_bin}, {"reamp", &reamp_bin}, {"convert", &convert_bin}};

typedef struct {
	const char *tool;     // one of tools[].name
	const char *args[14]; // "@x" means the file x in the temp folder
	int status;
	const char *needle;  // in stderr (status != 0) or stdout (status == 0)
	const char *no_file; // a file that must not exist afterwards ("@x"), or NULL
} Case;

// A table, aligned by hand.
// clang-format off
static const Case cases[] = {
	// Command-line mistakes: exit 2.
	{"apply", {NULL}, 2, "no model given (-m MODEL)", NULL},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@o1.wav", "--bogus"}, 2,
	 "unknown option '--bogus'", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-x", "-i", "@dry.wav", "-o", "@o1.wav"}, 2,
	 "unknown option '-x'", "@o1.wav"},
	{"apply", {"-i", "@dry.wav", "-o", "@o1.wav", "-m"}, 2, "-m needs a value", "@o1.wav"},
	{"apply", {"-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav", "--knob", "gain=abc"}, 2,
	 "--knob gain=abc: 'abc' is not a number", "@o1.wav"},
	{"apply", {"-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav", "--knob", "gain"}, 2,
	 "expected NAME=VALUE", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@o1.wav", "--isa", "sse9"}, 2,
	 "--isa sse9: unknown", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@o1.wav", "--exact", "--fast"}, 2,
	 "--exact and --fast exclude each other", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@o1.wav", "extra.wav"}, 2,
	 "unexpected argument 'extra.wav'", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav"}, 2, "no output file given", NULL},
	{"apply", {"-m", "@mono.json", "-o", "@o1.wav"}, 2, "no input file given", "@o1.wav"},
	// Bad models and files: exit 1.
	{"apply", {"-m", "@nomodel.json", "-i", "@dry.wav", "-o", "@o1.wav"}, 1,
	 "nomodel.json: cannot open: No such file or directory", "@o1.wav"},
	{"apply", {"-m", "@notes.txt", "-i", "@dry.wav", "-o", "@o1.wav"}, 1,
	 "notes.txt: not valid JSON", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@absent.wav", "-o", "@o1.wav"}, 1,
	 "absent.wav: No such file or directory", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@empty.wav", "-o", "@o1.wav"}, 1,
	 "empty.wav: empty file (0 bytes)", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@sub", "-o", "@o1.wav"}, 1, "sub: is a directory",
	 "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@text.wav", "-o", "@o1.wav"}, 1,
	 "text.wav: not an audio file", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@noframes.wav", "-o", "@o1.wav"}, 1,
	 "noframes.wav: contains no audio (0 frames)", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry441.wav", "-o", "@o1.wav"}, 1,
	 "dry441.wav: 44100 Hz, but the model was trained at 48000 Hz", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@nan.wav", "-o", "@o1.wav"}, 1,
	 "nan.wav: sample 5 of channel 0 is NaN", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@stereo.wav", "-o", "@o1.wav"}, 1,
	 "stereo.wav: 2 channels, but the model takes 1 input", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@o1.wav", "-k", "Gain=0.5"}, 1,
	 "--knob Gain: this model has no knobs", "@o1.wav"},
	{"apply", {"-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav", "-k", "Drive=1"}, 1,
	 "--knob Drive: the model has no knob of that name (knobs: 'Gain', 'Tone')", "@o1.wav"},
	{"apply", {"-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav", "-k", "Gain=5"}, 1,
	 "--knob Gain=5: outside the knob's range 0..1", "@o1.wav"},
	{"apply", {"-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav", "-k", "Gain=1.0000001"}, 1,
	 "--knob Gain=1.0000001: outside the knob's range 0..1", "@o1.wav"},
	{"apply", {"-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav", "-k", "Gain=0.2", "-k",
	 "Gain=0.3"}, 2, "--knob Gain=0.3: Gain given twice (first 0.2)", "@o1.wav"},
	// Empty and repeated file options.
	{"apply", {"-m", "", "-i", "@dry.wav", "-o", "@o1.wav"}, 2, "-m: an empty path", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-m", "@knobs.json", "-i", "@dry.wav", "-o", "@o1.wav"}, 2,
	 "-m given twice", "@o1.wav"},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@o1.wav", "-o", "@o2.wav"}, 2,
	 "-o given twice", "@o1.wav"},
	{"esr", {"-m", "@mono.json", "-i", "", "-t", "@wet.wav"}, 2, "-i: an empty path", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet.wav", "-t", "@dry.wav"}, 2,
	 "-t given twice", NULL},
	// Outputs that cannot be written.
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@existing.wav"}, 1,
	 "existing.wav: already exists (use --force to replace it)", NULL},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "/dev/full"}, 1,
	 "/dev/full: write failed", NULL},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@sub"}, 1, "sub: is a directory",
	 NULL},
	{"apply", {"-m", "@mono.json", "-i", "@dry.wav", "-o", "@nowhere/o.wav"}, 1,
	 "nowhere/o.wav: cannot create a file in folder", NULL},
	// lstm-esr.
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav"}, 2, "no wet file given (-t WET)", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet.wav", "--max-delay", "10x"}, 2,
	 "--max-delay 10x: not a whole number", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet.wav", "--preemph", "abc"}, 2,
	 "--preemph abc: not a number", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet.wav", "--skip", "-1"}, 2,
	 "--skip -1: outside", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet441.wav"}, 1,
	 "wet441.wav is 44100 Hz: the sample rates differ", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wetlong.wav"}, 1,
	 "the lengths differ by 100", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@silent.wav"}, 1,
	 "silent.wav: the target is silent", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@nan.wav"}, 1,
	 "nan.wav: sample 5 of channel 0 is NaN", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@stereo.wav"}, 1,
	 "stereo.wav: 2 channels; the target must be mono", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@text.wav"}, 1,
	 "text.wav: not an audio file", NULL},
	{"esr", {"-m", "@nomodel.json", "-i", "@dry.wav", "-t", "@wet.wav"}, 1,
	 "nomodel.json: cannot open", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet.wav", "-k", "Tone=1"}, 1,
	 "this model has no knobs", NULL},
	// lstm-reamp and lstm-convert read their command lines the same way.
	{"reamp", {NULL}, 2, "lstm-reamp: no OUTPUT given (see --help)", NULL},
	{"reamp", {"@r1.wav", "@r2.wav"}, 2, "unexpected argument '", "@r1.wav"},
	{"reamp", {"--rate", "1", "@r1.wav"}, 2, "--rate 1: outside 8000..384000", "@r1.wav"},
	{"reamp", {"-r", "8000", "-r", "9000", "@r1.wav"}, 2, "--rate given twice", "@r1.wav"},
	{"reamp", {"--bogus", "@r1.wav"}, 2, "unknown option '--bogus'", "@r1.wav"},
	{"reamp", {"-r", "8000", "@existing.wav"}, 1, "already exists", NULL},
	{"reamp", {"--version"}, 0, "(signal version 1)", NULL},
	{"reamp", {"-r", "8000", "@r8.wav"}, 0, "181.0 s at 8000 Hz", NULL},
	{"convert", {"--bogus", "@mono.json", "@c.nam"}, 2, "unknown option '--bogus'", "@c.nam"},
	{"convert", {"@mono.json", "@c.nam", "extra"}, 2, "unexpected argument 'extra'", "@c.nam"},
	{"convert", {"@mono.json"}, 2, "expected INPUT and OUTPUT, got 1 argument(s)", NULL},
	{"convert", {"-t", "nam", "-t", "lstm", "@mono.json", "@c.nam"}, 2,
	 "--to given twice: nam and lstm", "@c.nam"},
	{"convert", {"@notes.txt", "@c.nam"}, 1, "lstm-convert: ", "@c.nam"},
	{"convert", {"-V"}, 0, "lstm-convert ", NULL},
	{"convert", {"@mono.json", "@c.lstm.json"}, 0, "lstm-lv2, 1 lstm layer(s) of 8", NULL},
	// Successes.
	{"apply", {"--help"}, 0, "Examples:", NULL},
	{"apply", {"--version"}, 0, "lstm-apply ", NULL},
	{"esr", {"--help"}, 0, "Examples:", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet.wav"}, 0,
	 "frames 12000\ndelay 0\nshifted 0\nesr 0\nesr_preemph 0\n", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wetlong.wav", "--trim"}, 0,
	 "esr 0\n", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet12.wav"}, 0,
	 "frames 11989\ndelay 12\nshifted 11\n", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet12.wav", "--no-delay-comp"}, 0,
	 "frames 12000\ndelay 12\nshifted 0\n", NULL},
	// Aligned as asked, whatever the estimate: exactly (ESR 0) at 12, and later than the
	// estimate at -3.
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet12.wav", "--shift", "12"}, 0,
	 "frames 11988\ndelay 12\nshifted 12\nesr 0\n", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet12.wav", "--shift", "-3"}, 0,
	 "frames 11997\ndelay 12\nshifted -3\n", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet12.wav", "--shift", "x"}, 2,
	 "--shift x: not a whole number", NULL},
	{"esr", {"-m", "@mono.json", "-i", "@dry.wav", "-t", "@wet12.wav", "--shift", "12000"}, 1,
	 "longer than the recording", NULL},
};
// clang-format on

// Expands "@x" to the temp folder's x.
static const char *arg(const char *a) { return a && a[0] == '@' ? tt_path(dir, a + 1) : a; }

static void run_case(size_t i, const Case *c)
{
	const char *argv[16];
	int n = 0;
	for (size_t t = 0; t < sizeof tools / sizeof tools[0]; ++t)
		if (strcmp(c->tool, tools[t].name) == 0)
			argv[n++] = *tools[t].bin;
	assert(n == 1);
	for (int k = 0; c->args[k]; ++k)
		argv[n++] = arg(c->args[k]);
	argv[n] = NULL;
	char out[1024], errp[1024];
	snprintf(out, sizeof out, "%s.stdout", dir);
	snprintf(errp, sizeof errp, "%s.stderr", dir);
	int before = tt_count_entries(dir);
	int status = tt_run(argv, out, errp);
	static char text[65536];
	snprintf(text, sizeof text, "%s", tt_read_text(c->status == 0 ? out : errp));
	int ok = status == c->status && strstr(text, c->needle) != NULL;
	if (c->status != 0) {
		ok = ok && tt_count_entries(dir) == before;
		ok = ok && strlen(tt_read_text(out)) == 0;
		// One line per problem, prefixed by the program's name.
		ok = ok && strncmp(text, "lstm-", 5) == 0 && strchr(text, '\n') == text + strlen(text) - 1;
	}
	if (c->no_file)
		ok = ok && access(arg(c->no_file), F_OK) != 0;
	if (!ok) {
		fprintf(stderr, "case %zu (%s", i, c->tool);
		for (int k = 0; c->args[k]; ++k)
			fprintf(stderr, " %s", c->args[k]);
		fprintf(stderr, "): status %d (want %d), output:\n%s\nwanted: %s\n", status, c->status,
		        text, c->needle);
		assert(0);
	}
	unlink(out);
	unlink(errp);
}

static void write_wet(const char *name, const ModelDesc *m, const float *dry, int delay, float sign,
                      long frames, int rate)
{
	AudioBuffer in, y;
	assert(audio_buffer_alloc(&in, N, 1, 48000.0) == 0);
	memcpy(in.data, dry, N * sizeof(float));
	RenderOptions ro = {{LSTM_ACT_EXACT, LSTM_ISA_AUTO}, NULL, 0, 0, 0, 0};
	char err[256];
	assert(model_render(m, &ro, &in, "dry", &y, err, sizeof err) == 0);
	float *w = calloc((size_t)frames, sizeof *w);
	assert(w);
	for (long t = 0; t < frames; ++t)
		w[t] = t - delay >= 0 && t - delay < N ? sign * y.data[t - delay] : 0.0f;
	tt_write_wav(tt_path(dir, name), w, frames, 1, rate, FLOAT_WAV);
	free(w);
	audio_buffer_free(&in);
	audio_buffer_free(&y);
}

static void make_files(void)
{
	ModelDesc mono, knobs;
	ModelError merr;
	tt_make_model(&mono, 1, 8, 21);
	tt_make_model(&knobs, 3, 6, 22);
	assert(model_write_file(tt_path(dir, "mono.json"), &mono, 0, &merr) == MODEL_OK);
	assert(model_write_file(tt_path(dir, "knobs.json"), &knobs, 0, &merr) == MODEL_OK);
	mono.latency_samples = LATE_SAMPLES;
	assert(model_write_file(tt_path(dir, "late.json"), &mono, 0, &merr) == MODEL_OK);
	mono.latency_samples = 0.0f;

	static float dry[N], zero[N], st[2 * N];
	unsigned seed = 5;
	float lp = 0.0f;
	for (int t = 0; t < N; ++t) {
		lp += 0.3f * (tt_noise(&seed) - lp);
		dry[t] = 0.7f * lp;
		st[2 * t] = st[2 * t + 1] = dry[t];
	}
	tt_write_wav(tt_path(dir, "dry.wav"), dry, N, 1, 48000, FLOAT_WAV);
	tt_write_wav(tt_path(dir, "dry441.wav"), dry, N, 1, 44100, FLOAT_WAV);
	tt_write_wav(tt_path(dir, "stereo.wav"), st, N, 2, 48000, FLOAT_WAV);
	tt_write_wav(tt_path(dir, "silent.wav"), zero, N, 1, 48000, FLOAT_WAV);
	tt_write_wav(tt_path(dir, "noframes.wav"), zero, 0, 1, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	float keep = dry[5];
	dry[5] = NAN;
	tt_write_wav(tt_path(dir, "nan.wav"), dry, N, 1, 48000, FLOAT_WAV);
	dry[5] = keep;
	tt_write_text(tt_path(dir, "empty.wav"), "");
	tt_write_text(tt_path(dir, "text.wav"), "this is a text file, not a WAV\n");
	tt_write_text(tt_path(dir, "notes.txt"), "not a model\n");
	tt_write_text(tt_path(dir, "existing.wav"), "keep me\n");
	char sub[1024];
	snprintf(sub, sizeof sub, "%s", tt_path(dir, "sub"));
	assert(mkdir(sub, 0755) == 0);

	write_wet("wet.wav", &mono, dry, 0, 1.0f, N, 48000);
	write_wet("wet441.wav", &mono, dry, 0, 1.0f, N, 44100);
	write_wet("wetlong.wav", &mono, dry, 0, 1.0f, N + 100, 48000);
	write_wet("wet12.wav", &mono, dry, 12, 1.0f, N, 48000);
	write_wet("wetinv.wav", &mono, dry, 0, -1.0f, N, 48000);
	model_desc_free(&mono);
	model_desc_free(&knobs);
}

// lstm-apply writes exactly what model_render() computes, and --force replaces a file.
static void test_apply_output(void)
{
	const char *o = tt_path(dir, "applied.wav");
	const char *argv[] = {
		apply_bin, "-m", tt_path(dir, "mono.json"), "-i", tt_path(dir, "dry.wav"), "-o", o,
		"-q",      NULL};
	assert(tt_run(argv, NULL, NULL) == 0);
	AudioBuffer got, want;
	char err[256];
	assert(audio_file_read(o, &got, err, sizeof err) == 0);
	assert(audio_file_read(tt_path(dir, "wet.wav"), &want, err, sizeof err) == 0);
	assert(got.frames == N && got.channels == 1 && got.sample_rate == 48000.0);
	assert(memcmp(got.data, want.data, N * sizeof(float)) == 0);
	audio_buffer_free(&got);
	assert(tt_run(argv, NULL, NULL) == 1);
	const char *argf[] = {apply_bin,
	                      "-m",
	                      tt_path(dir, "knobs.json"),
	                      "-i",
	                      tt_path(dir, "dry.wav"),
	                      "-o",
	                      o,
	                      "--force",
	                      "-k",
	                      "Gain=0.9",
	                      "--fast",
	                      NULL};
	assert(tt_run(argf, NULL, NULL) == 0);
	assert(audio_file_read(o, &got, err, sizeof err) == 0);
	assert(memcmp(got.data, want.data, N * sizeof(float)) != 0);
	audio_buffer_free(&got);
	audio_buffer_free(&want);
	unlink(o);
	assert(strcmp(tt_read_text(tt_path(dir, "existing.wav")), "keep me\n") == 0);
}

// Runs lstm-apply with the extra arguments (NULL-terminated, at most 4) and reads the output.
static void apply_read(const char *model, const char *input, const char *const *extra,
                       AudioBuffer *got)
{
	const char *o = tt_path(dir, "shifted.wav");
	const char *argv[16] = {
		apply_bin, "-m", tt_path(dir, model), "-i", tt_path(dir, input), "-o", o, "-q", "--force"};
	int n = 9;
	for (int k = 0; extra[k]; ++k)
		argv[n++] = extra[k];
	argv[n] = NULL;
	assert(tt_run(argv, NULL, NULL) == 0);
	char err[256];
	assert(audio_file_read(o, got, err, sizeof err) == 0);
	unlink(o);
}

// --remove-latency: the output is the plain output shifted earlier by the model's latency in
// whole frames at the file's rate (2.6 samples at 48 kHz: 3 frames; at 44.1 kHz through the
// rate player: 2.39, so 2), and its last frames are the model's output for the silence after
// the file. A model without latency_samples is left as it was.
static void test_apply_remove_latency(void)
{
	static const struct {
		const char *input;
		const char *rate_args[3];
		long shift;
	} shifts[] = {
		{"dry.wav", {NULL}, 3},
		{"dry441.wav", {"--rate-mode", "auto", NULL}, 2},
	};
	for (size_t c = 0; c < sizeof shifts / sizeof shifts[0]; ++c) {
		const char *with[4] = {NULL}, *const *without = shifts[c].rate_args;
		int n = 0;
		for (; without[n]; ++n)
			with[n] = without[n];
		with[n] = "--remove-latency";
		AudioBuffer plain, early;
		apply_read("late.json", shifts[c].input, without, &plain);
		apply_read("late.json", shifts[c].input, with, &early);
		const long L = shifts[c].shift;
		assert(plain.frames == N && early.frames == N);
		assert(memcmp(early.data, plain.data + L, (size_t)(N - L) * sizeof(float)) == 0);
		assert(memcmp(early.data, plain.data, (size_t)(N - L) * sizeof(float)) != 0);
		audio_buffer_free(&plain);
		audio_buffer_free(&early);
	}

	// The tail at the model's rate: what the model gives for the file followed by silence.
	ModelDesc m;
	ModelError merr;
	assert(model_read_file(tt_path(dir, "late.json"), &m, &merr) == MODEL_OK);
	assert(model_latency_frames(&m, 48000.0) == 3);
	AudioBuffer dry, padded, y, early;
	char err[256];
	assert(audio_file_read(tt_path(dir, "dry.wav"), &dry, err, sizeof err) == 0);
	assert(audio_buffer_alloc(&padded, N + 3, 1, 48000.0) == 0);
	memcpy(padded.data, dry.data, N * sizeof(float)); // the rest stays zero
	RenderOptions ro = {{LSTM_ACT_EXACT, LSTM_ISA_AUTO}, NULL, 0, 0, 0, 0};
	assert(model_render(&m, &ro, &padded, "padded", &y, err, sizeof err) == 0);
	const char *flag[] = {"--remove-latency", NULL};
	apply_read("late.json", "dry.wav", flag, &early);
	assert(memcmp(early.data, y.data + 3, N * sizeof(float)) == 0);
	audio_buffer_free(&early);

	// No latency in the file: the option changes nothing.
	AudioBuffer wet;
	apply_read("mono.json", "dry.wav", flag, &early);
	assert(audio_file_read(tt_path(dir, "wet.wav"), &wet, err, sizeof err) == 0);
	assert(memcmp(early.data, wet.data, N * sizeof(float)) == 0);
	audio_buffer_free(&early);
	audio_buffer_free(&wet);
	audio_buffer_free(&y);
	audio_buffer_free(&padded);
	audio_buffer_free(&dry);
	model_desc_free(&m);
}

static void test_esr_inverted_warns(void)
{
	const char *argv[] = {esr_bin,
	                      "-m",
	                      tt_path(dir, "mono.json"),
	                      "-i",
	                      tt_path(dir, "dry.wav"),
	                      "-t",
	                      tt_path(dir, "wetinv.wav"),
	                      NULL};
	char out[1024], errp[1024];
	snprintf(out, sizeof out, "%s.stdout", dir);
	snprintf(errp, sizeof errp, "%s.stderr", dir);
	assert(tt_run(argv, out, errp) == 0);
	assert(strstr(tt_read_text(errp), "lstm-esr: warning: ")
	       && strstr(tt_read_text(errp), "wetinv.wav is polarity-inverted"));
	// An inverted copy scores an ESR of 4: (-y - y)^2 / y^2.
	const char *o = tt_read_text(out);
	const char *e = strstr(o, "\nesr ");
	assert(e && fabs(strtod(e + 5, NULL) - 4.0) < 1e-4);
	unlink(out);
	unlink(errp);
}

// Past a file-size limit (ulimit -f, 4 KiB here, under the 48 KB the render needs) lstm-apply
// reports the write error and exits 1, with no temporary file left, instead of dying of SIGXFSZ.
static void test_file_size_limit(void)
{
	const int before = tt_count_entries(dir);
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "ulimit -f 4; exec '%s' -m '%s' -i '%s' -o '%s' -q 2>'%s'", apply_bin,
	         tt_path(dir, "mono.json"), tt_path(dir, "dry.wav"), tt_path(dir, "limited.wav"),
	         tt_path(dir, "limited.err"));
	const int st = system(cmd);
	assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	const char *msg = tt_read_text(tt_path(dir, "limited.err"));
	assert(strstr(msg, "limited.wav") && strstr(msg, "File too large"));
	unlink(tt_path(dir, "limited.err"));
	assert(tt_count_entries(dir) == before); // neither the output nor a temporary file
}

int main(int argc, char **argv)
{
	assert(argc == 1 + (int)(sizeof tools / sizeof tools[0]));
	for (size_t t = 0; t < sizeof tools / sizeof tools[0]; ++t)
		*tools[t].bin = argv[1 + t];
	dir = tt_tmpdir();
	make_files();
	size_t n = sizeof cases / sizeof cases[0];
	assert(n >= 20);
	for (size_t i = 0; i < n; ++i)
		run_case(i, &cases[i]);
	test_apply_output();
	test_apply_remove_latency();
	test_esr_inverted_warns();
	test_file_size_limit();
	tt_rmtree(dir);
	return 0;
}
