// SPDX-License-Identifier: ISC
// lstm-train as a user runs it (argv[1] is the program, argv[2] the part to run): the seed
// memory task (../shared/seeds 002: x1 numbers, x2 = 1 adds x1 to memory, x2 = -1 resets it,
// x3 = 1 outputs the memory) as a 3-channel input and a 1-channel target trains to a low error;
// the bad-input table (each case: message, exit status, no output file); an existing output is
// kept without --force; SIGINT writes the best model so far; --resume continues a run; a target
// that leads its input by a sample still trains below the linear baseline in a short budget;
// --time is used whole.
#undef NDEBUG
#define _DEFAULT_SOURCE 1 // realpath, mkdtemp
#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog;
static char dir[] = "/tmp/test_lstm_train_XXXXXX";
static char out_text[8192];

static void path_of(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", dir, name); }

static void write_wav(const char *name, const float *data, long frames, int channels, int rate)
{
	char p[512];
	path_of(p, sizeof p, name);
	SF_INFO info = {0};
	info.samplerate = rate;
	info.channels = channels;
	info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
	SNDFILE *f = sf_open(p, SFM_WRITE, &info);
	assert(f);
	assert(sf_writef_float(f, data, frames) == frames);
	sf_close(f);
}

static int exists(const char *name)
{
	char p[512];
	struct stat st;
	path_of(p, sizeof p, name);
	return stat(p, &st) == 0;
}

// Runs "prog ARGS" in dir with stdout and stderr captured into out_text; returns the exit
// status.
static int run(const char *args)
{
	char cmd[4096], log[512];
	path_of(log, sizeof log, "run.log");
	snprintf(cmd, sizeof cmd, "cd %s && %s %s >%s 2>&1", dir, prog, args, log);
	int st = system(cmd);
	FILE *f = fopen(log, "r");
	assert(f);
	size_t n = fread(out_text, 1, sizeof out_text - 1, f);
	out_text[n] = 0;
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// --- the memory task ---------------------------------------------------------------------

static void make_memory_task(const char *in_name, const char *tg_name, long n, unsigned seed)
{
	float *x = malloc((size_t)n * 3 * sizeof(float)), *y = malloc((size_t)n * sizeof(float));
	assert(x && y);
	double mem = 0;
	srand(seed);
	for (long i = 0; i < n; i++) {
		double x1 = (1 + rand() % 5) * 0.1;
		int r = rand() % 100;
		double x2 = r < 30 ? 1 : r < 40 ? -1 : 0;
		double x3 = rand() % 100 < 20 ? 1 : 0;
		if (x2 > 0)
			mem += x1;
		else if (x2 < 0)
			mem = 0;
		x[i * 3] = (float)x1;
		x[i * 3 + 1] = (float)x2;
		x[i * 3 + 2] = (float)x3;
		y[i] = x3 > 0 ? (float)mem : 0.0f;
	}
	write_wav(in_name, x, n, 3, 8000);
	write_wav(tg_name, y, n, 1, 8000);
	free(x);
	free(y);
}

// A file of the test folder as JSON (the caller frees it).
static json_t *load_json(const char *name)
{
	char p[512];
	path_of(p, sizeof p, name);
	json_error_t je;
	json_t *root = json_load_file(p, 0, &je);
	assert(root);
	return root;
}

// Runs prog ARGS and asserts it succeeded (printing its output when it did not).
static void run_ok(const char *args)
{
	int rc = run(args);
	if (rc != 0)
		fprintf(stderr, "%s", out_text);
	assert(rc == 0);
}

static double json_esr(const char *name, const char *key)
{
	json_t *root = load_json(name);
	json_t *v =
		json_object_get(json_object_get(json_object_get(root, "metadata"), "training"), key);
	double r = json_is_number(v) ? json_number_value(v) : -1;
	json_decref(root);
	return r;
}

static const char *memory_args =
	"-i mem_in.wav -t mem_tg.wav --no-skip --preemph none --dc-weight 0 --esr-weight 1 "
	"--segment 0.1 --warmup 0 --tbptt 800 --batch 16 --lr 0.02 -H 16 -j 2 --no-delay-comp "
	"--valid-split 0.1 -q";

// What the user says about the capture lands in the metadata, with when and how it was made.
static void test_description(void)
{
	char args[1024];
	snprintf(args, sizeof args,
	         "%s -e 1 -o desc.json --name 'My Amp' --author 'A. B.' "
	         "--gear-make Marshall --gear-model 'JCM 800' --gear-type amp --tone-type crunch "
	         "--input-level-dbu 16.5 --output-level-dbu -3.25",
	         memory_args);
	run_ok(args);
	json_t *root = load_json("desc.json");
	const json_t *meta = json_object_get(root, "metadata");
	static const char *const want[][2] = {{"name", "My Amp"},        {"author", "A. B."},
	                                      {"gear_make", "Marshall"}, {"gear_model", "JCM 800"},
	                                      {"gear_type", "amp"},      {"tone_type", "crunch"}};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
		assert(!strcmp(json_string_value(json_object_get(meta, want[k][0])), want[k][1]));
	assert(json_number_value(json_object_get(meta, "input_level_dbu")) == 16.5
	       && json_number_value(json_object_get(meta, "output_level_dbu")) == -3.25);
	const char *date = json_string_value(json_object_get(meta, "date"));
	int y, mo, d, h, mi, s;
	assert(date && sscanf(date, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) == 6
	       && y >= 2024);
	const char *cl =
		json_string_value(json_object_get(json_object_get(meta, "training"), "command_line"));
	assert(cl && !strncmp(cl, "lstm-train -i mem_in.wav", 24) && strstr(cl, " --name 'My Amp' ")
	       && strstr(cl, " --gear-model 'JCM 800' ") && strstr(cl, " -o desc.json "));
	printf("description: name, author, gear, tone, date %s and the command line written\n", date);
	json_decref(root);
}

static void test_memory_task(void)
{
	char args[1024];
	snprintf(args, sizeof args, "%s -e 40 -o mem.json", memory_args);
	time_t t0 = time(NULL);
	int rc = run(args);
	if (rc != 0)
		fprintf(stderr, "%s", out_text);
	assert(rc == 0);
	double esr = json_esr("mem.json", "esr_validation");
	printf("memory task: validation ESR %.5f after %ld s\n", esr, (long)(time(NULL) - t0));
	assert(esr >= 0 && esr < 0.03); // zero output scores 1, the mean memory about 0.3
}

// --- bad input ---------------------------------------------------------------------------

typedef struct {
	const char *what, *args, *message;
	int status;
} BadCase;

// The small recordings the input and output cases share: a tone and the tone through a soft
// clipper (a.wav, b.wav), and each of them broken one way.
static void make_small_files(void)
{
	float tone[48000], tone2[48000], stereo[2 * 48000], silent[48000] = {0}, bad[48000];
	for (int i = 0; i < 48000; i++) {
		tone[i] = 0.5f * sinf(0.05f * (float)i);
		tone2[i] = 0.4f * tanhf(2.0f * tone[i]);
		stereo[2 * i] = stereo[2 * i + 1] = tone[i];
		bad[i] = tone[i];
	}
	bad[1234] = NAN;
	write_wav("a.wav", tone, 48000, 1, 48000);
	write_wav("b.wav", tone2, 48000, 1, 48000);
	write_wav("b44.wav", tone2, 48000, 1, 44100);
	write_wav("short.wav", tone2, 40000, 1, 48000);
	write_wav("stereo.wav", stereo, 48000, 2, 48000);
	write_wav("silent.wav", silent, 48000, 1, 48000);
	write_wav("nan.wav", bad, 48000, 1, 48000);
	write_wav("tiny_a.wav", tone, 8000, 1, 48000);
	write_wav("tiny_b.wav", tone2, 8000, 1, 48000);
	write_wav("r4k_a.wav", tone, 48000, 1, 4000);
	write_wav("r4k_b.wav", tone2, 48000, 1, 4000);
	FILE *f;
	char p[512];
	path_of(p, sizeof p, "text.wav");
	f = fopen(p, "w");
	assert(f);
	fputs("this is not audio\n", f);
	fclose(f);
}

static void test_bad_inputs(void)
{
	// A table, aligned by hand.
	// clang-format off
	const BadCase cases[] = {
		{"missing file", "-i nothere.wav -t b.wav -o o.json", "nothere.wav", 3},
		{"not audio", "-i text.wav -t b.wav -o o.json", "text.wav", 3},
		{"rates differ", "-i a.wav -t b44.wav -o o.json", "rate", 3},
		{"lengths differ", "-i a.wav -t short.wav -o o.json", "short.wav", 3},
		{"stereo target", "-i a.wav -t stereo.wav -o o.json", "stereo.wav", 3},
		{"NaN sample", "-i nan.wav -t b.wav -o o.json", "nan.wav", 3},
		{"silent input", "-i silent.wav -t b.wav -o o.json", "silent", 3},
		{"silent target", "-i a.wav -t silent.wav -o o.json", "silent", 3},
		{"too short", "-i tiny_a.wav -t tiny_b.wav -o o.json", "short", 3},
		{"no target", "-i a.wav -o o.json", "--target", 2},
		{"no output", "-i a.wav -t b.wav", "output", 2},
		{"bad option", "-i a.wav -t b.wav -o o.json --frobnicate", "--frobnicate", 2},
		{"bad hidden", "-i a.wav -t b.wav -o o.json -H 0", "--hidden", 2},
		{"bad cell", "-i a.wav -t b.wav -o o.json --cell rnn", "--cell", 2},
		{"bad time", "-i a.wav -t b.wav -o o.json --time soon", "--time", 2},
		{"bad knob", "-i a.wav -t b.wav -k Gain -o o.json", "--knob", 2},
		{"knob names differ", "-i a.wav -t b.wav -k Gain=0 -i a.wav -t b.wav -k Tone=1 -o o.json",
		 "Tone", 3},
		{"no folder", "-i a.wav -t b.wav -o nodir/o.json -e 1 --segment 0.1 -q", "nodir", 4},
		{"knob name not UTF-8", "-i a.wav -t b.wav -k $(printf 'G\\377')=0 -i a.wav -t b.wav "
		 "-k $(printf 'G\\377')=1 -o o.json", "not valid UTF-8", 2},
		{"negative seed", "-i a.wav -t b.wav -o o.json --seed -1", "--seed -1", 2},
		{"4000 Hz pair", "-i r4k_a.wav -t r4k_b.wav -o o.json", "8000 to 384000 Hz", 3},
		{"one knob value", "-i a.wav -t b.wav -k Gain=0.5 -i a.wav -t b.wav -k Gain=0.5 -o o.json",
		 "two settings", 2},
		{"knob twice", "-i a.wav -t b.wav -k G=0 -k G=1 -i a.wav -t b.wav -k G=1 -k G=0 -o o.json",
		 "given twice", 2},
		{"knob twice in one pair", "-i a.wav -t b.wav -k G=0 -k G=1 -o o.json",
		 "--knob G=1: G given twice for a.wav (first 0)", 2},
		{"output twice", "-i a.wav -t b.wav -o o.json -o p.json", "-o given twice: o.json and "
		 "p.json", 2},
		{"empty output", "-i a.wav -t b.wav -o ''", "-o: an empty path", 2},
		{"plot twice", "-i a.wav -t b.wav -o o.json --plot a.png --plot b.png",
		 "--plot given twice", 2},
		{"lr out of range", "-i a.wav -t b.wav -o o.json --lr 1e300", "--lr", 2},
		{"unknown option", "-i a.wav -t b.wav -o o.json --bogus", "unknown option '--bogus'", 2},
		{"stray word", "-i a.wav -t b.wav -o o.json extra", "unexpected argument 'extra'", 2},
		{"knob out of range", "-i a.wav -t b.wav -k G=1e39 -i a.wav -t b.wav -k G=0 -o o.json",
		 "--knob", 2},
		{"unknown gear type", "-i a.wav -t b.wav -o o.json --gear-type banana",
		 "--gear-type banana: expected amp, pedal", 2},
		{"unknown tone type", "-i a.wav -t b.wav -o o.json --tone-type loud",
		 "--tone-type loud: expected clean", 2},
		{"empty author", "-i a.wav -t b.wav -o o.json --author ''", "--author: an empty value",
		 2},
		{"name twice", "-i a.wav -t b.wav -o o.json --name A --name B",
		 "--name given twice: A and B", 2},
		{"dBu out of range", "-i a.wav -t b.wav -o o.json --input-level-dbu 100",
		 "--input-level-dbu", 2},
		{"dBu twice", "-i a.wav -t b.wav -o o.json --output-level-dbu 1 --output-level-dbu 2",
		 "--output-level-dbu given twice", 2},
		{"name too long", "-i a.wav -t b.wav -o o.json --name "
		 "0123456789012345678901234567890123456789012345678901234567890123", "--name: at most 63",
		 2},
	};
	// clang-format on
	int fails = 0;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const BadCase *c = &cases[k];
		int rc = run(c->args);
		int left = exists("o.json") || exists("nodir/o.json");
		int ok = rc == c->status && strstr(out_text, c->message) && !left;
		printf("%-18s exit %d (want %d)  %s", c->what, rc, c->status, out_text);
		if (!ok) {
			fprintf(stderr, "FAIL: %s: want exit %d and a message with \"%s\"%s\n", c->what,
			        c->status, c->message, left ? "; an output file was left" : "");
			fails++;
		}
		char p[512];
		path_of(p, sizeof p, "o.json");
		remove(p);
	}
	assert(fails == 0);
	assert(run("--help") == 0 && strstr(out_text, "Examples"));
	assert(run("--version") == 0 && strstr(out_text, "lstm-train"));
}

static void test_existing_output(void)
{
	char p[512];
	path_of(p, sizeof p, "keep.json");
	FILE *f = fopen(p, "w");
	assert(f);
	fputs("precious\n", f);
	fclose(f);
	int rc = run("-i a.wav -t b.wav -o keep.json -e 1 --segment 0.1 -q");
	assert(rc == 4 && strstr(out_text, "--force"));
	f = fopen(p, "r");
	char buf[32] = {0};
	assert(f && fgets(buf, sizeof buf, f));
	fclose(f);
	assert(strcmp(buf, "precious\n") == 0);
	rc = run("-i a.wav -t b.wav -o keep.json -e 1 --segment 0.1 -q --force");
	assert(rc == 0);
	assert(json_esr("keep.json", "esr_train") >= 0);
	printf("existing output: kept without --force, replaced with it\n");

	// Side outputs: checked before any training, as the model is. Each case leaves every
	// file as it was (a.wav is an input; keep.json, the previous model, now exists).
	static const struct {
		const char *args, *message;
		int status;
	} side[] = {
		{"-i a.wav -t b.wav -o s1.json --log a.wav -e 1", "one of the recordings", 2},
		{"-i a.wav -t b.wav -o s1.json --plot b.wav -e 1", "one of the recordings", 2},
		{"-i a.wav -t b.wav -o s1.json --plot s1.json -e 1", "give each output its own file", 2},
		{"-i a.wav -t b.wav -o s1.json --log s1.json -e 1", "give each output its own file", 2},
		{"-i a.wav -t b.wav -o s1.json --checkpoint ./s1.json -e 1", "its own file", 2},
		{"-i a.wav -t b.wav -o s1.json --log keep.json -e 1", "--force", 4},
		{"-i a.wav -t b.wav -o s1.json --plot keep.json -e 1", "--force", 4},
		{"-i a.wav -t b.wav -o s1.json --checkpoint keep.json -e 1", "--force", 4},
		{"-i a.wav -t b.wav -o keep2.json -e 1", "--force", 4}, // keep2.json.ckpt exists
	};
	path_of(p, sizeof p, "keep2.json.ckpt");
	f = fopen(p, "w");
	assert(f);
	fclose(f);
	// A plot that cannot be written (a full device) does not stop the training, but the run
	// says so and exits 4, the model written.
	rc = run("-i a.wav -t b.wav -o plotfail.json --plot /dev/full --force -e 1 --segment 0.1 -q");
	printf("plot on /dev/full: exit %d  %s", rc, out_text);
	assert(rc == 4 && strstr(out_text, "/dev/full") && exists("plotfail.json"));
	// A second run on an output another run is training: refused at start, by its lock.
	{
		char lockp[512];
		path_of(lockp, sizeof lockp, "busy.json.lock");
		const int fd = open(lockp, O_RDWR | O_CREAT, 0666);
		assert(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
		rc = run("-i a.wav -t b.wav -o busy.json -e 1");
		printf("second run on a busy output: exit %d  %s", rc, out_text);
		assert(rc == 4 && strstr(out_text, "being trained by another lstm-train"));
		assert(!exists("busy.json") && !exists("busy.json.ckpt"));
		close(fd);
		remove(lockp);
	}
	for (size_t k = 0; k < sizeof side / sizeof side[0]; k++) {
		rc = run(side[k].args);
		printf("side outputs: %s: exit %d  %s", side[k].args, rc, out_text);
		assert(rc == side[k].status && strstr(out_text, side[k].message));
		assert(!exists("s1.json") && !exists("keep2.json"));
		assert(json_esr("keep.json", "esr_train") >= 0);
	}
}

// Two captures of the same dry take at two knob settings: the knob becomes input 2 and a
// control with its name and range.
static void test_conditioned(void)
{
	float dry[24000], g0[24000], g1[24000];
	for (int i = 0; i < 24000; i++) {
		dry[i] = 0.5f * sinf(0.03f * (float)i) * sinf(0.001f * (float)i);
		g0[i] = tanhf(dry[i]);
		g1[i] = tanhf(4.0f * dry[i]);
	}
	write_wav("c_dry.wav", dry, 24000, 1, 48000);
	write_wav("c_g0.wav", g0, 24000, 1, 48000);
	write_wav("c_g1.wav", g1, 24000, 1, 48000);
	run_ok("-i c_dry.wav -t c_g0.wav -k Drive=0 -i c_dry.wav -t c_g1.wav -k Drive=10 "
	       "-o cond.json -e 2 --segment 0.1 -H 8 -q");
	json_t *root = load_json("cond.json");
	json_t *arch = json_object_get(root, "architecture");
	assert(json_integer_value(json_object_get(arch, "inputs")) == 2);
	json_t *ctl = json_array_get(json_object_get(root, "controls"), 0);
	assert(ctl && !strcmp(json_string_value(json_object_get(ctl, "name")), "Drive"));
	assert(json_number_value(json_object_get(ctl, "min")) == 0);
	assert(json_number_value(json_object_get(ctl, "max")) == 10);
	json_t *st = json_object_get(root, "selftest");
	assert(json_array_size(json_object_get(st, "output")) == 4096);
	json_decref(root);
	printf("conditioned: 2 inputs, control Drive over 0..10, self-test of 4096 frames\n");
	// A separate validation pair, a GRU and a test split.
	run_ok("-i c_dry.wav -t c_g0.wav --valid-input c_dry.wav --valid-target c_g0.wav "
	       "--test-split 0.2 --cell gru -o val.json -e 2 --segment 0.1 -H 8 -q");
	assert(json_esr("val.json", "esr_validation") >= 0 && json_esr("val.json", "esr_test") >= 0);
	const int rc = run("-i c_dry.wav -t c_g0.wav --valid-input c_dry.wav -o val2.json -q");
	assert(rc == 2 && strstr(out_text, "--valid-target") && !exists("val2.json"));
}

static void test_interrupt_and_resume(void)
{
	// A long budget, interrupted after the first epoch has been checkpointed.
	char cmd[2048], p[512], ck[512];
	path_of(p, sizeof p, "int.json");
	path_of(ck, sizeof ck, "int.json.ckpt");
	snprintf(cmd, sizeof cmd, "%s -o int.json --time 10m --log int.log", memory_args);
	char full[4096];
	snprintf(full, sizeof full, "cd %s && exec %s %s >int.out 2>&1", dir, prog, cmd);
	pid_t pid = fork();
	assert(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", full, (char *)NULL);
		_exit(127);
	}
	struct stat st;
	for (int i = 0; i < 600 && stat(ck, &st) != 0; i++)
		nanosleep(&(struct timespec){0, 50000000}, NULL);
	assert(stat(ck, &st) == 0);
	kill(pid, SIGINT);
	int status;
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert(stat(p, &st) == 0);
	assert(json_esr("int.json", "esr_validation") >= 0);
	char q[512];
	path_of(q, sizeof q, "int.json");
	json_error_t je;
	json_t *root = json_load_file(q, 0, &je);
	assert(root);
	json_t *intr = json_object_get(json_object_get(json_object_get(root, "metadata"), "training"),
	                               "interrupted");
	assert(json_is_true(intr));
	int epochs = (int)json_integer_value(
		json_object_get(json_object_get(json_object_get(root, "metadata"), "training"), "epochs"));
	json_decref(root);
	// Resume for two more epochs.
	snprintf(cmd, sizeof cmd, "%s -o int2.json --resume int.json.ckpt -e %d", memory_args,
	         epochs + 2);
	int rc = run(cmd);
	if (rc != 0)
		fprintf(stderr, "%s", out_text);
	assert(rc == 0);
	path_of(q, sizeof q, "int2.json");
	root = json_load_file(q, 0, &je);
	assert(root);
	int epochs2 = (int)json_integer_value(
		json_object_get(json_object_get(json_object_get(root, "metadata"), "training"), "epochs"));
	json_decref(root);
	printf("interrupt: model written after %d epochs; resumed to %d\n", epochs, epochs2);
	assert(epochs >= 1 && epochs2 == epochs + 2);
	// The checkpoint alone: its command line gives the pairs and the recipe; -e and -o given
	// now win over the stored ones.
	snprintf(cmd, sizeof cmd, "--resume int.json.ckpt -e %d -o int3.json -q", epochs + 1);
	rc = run(cmd);
	if (rc != 0)
		fprintf(stderr, "%s", out_text);
	assert(rc == 0);
	path_of(q, sizeof q, "int3.json");
	root = json_load_file(q, 0, &je);
	assert(root);
	json_t *tj = json_object_get(json_object_get(root, "metadata"), "training");
	const int epochs3 = (int)json_integer_value(json_object_get(tj, "epochs"));
	const int hidden3 = (int)json_integer_value(json_object_get(tj, "hidden"));
	json_decref(root);
	printf("resumed from the checkpoint alone: %d epochs, hidden %d\n", epochs3, hidden3);
	assert(epochs3 == epochs + 1 && hidden3 == 16);
	// A checkpoint that is not one: refused with its name.
	rc = run("--resume mem_in.wav -o int4.json");
	assert(rc == 2 && strstr(out_text, "mem_in.wav") && !exists("int4.json"));
}

// A guitar-like dry take at 8 kHz: decaying plucked partials at random pitches and levels.
static void make_dry(float *x, long n, unsigned seed)
{
	srand(seed);
	double f = 0, amp = 0, ph = 0, env = 0;
	for (long i = 0; i < n; i++) {
		if (i % 2000 == 0) {
			f = 80.0 + rand() % 400;
			amp = 0.05 + 0.4 * (rand() % 100) / 100.0;
			env = 1.0;
		}
		env *= 0.9995;
		ph += 2.0 * M_PI * f / 8000.0;
		x[i] = (float)(amp * env * (sin(ph) + 0.5 * sin(2.0 * ph) + 0.25 * sin(3.0 * ph)));
	}
}

// The device: a one-pole low-pass into a hard-ish clipper, then the target moved one sample
// *ahead* of its input, as a capture tool that removed a little too much latency leaves it.
static void test_target_leads(void)
{
	enum { N = 8000 * 30 };
	static float x[N], y[N];
	make_dry(x, N, 3);
	double lp = 0;
	float dev[N];
	for (long i = 0; i < N; i++) {
		lp += 0.4 * (x[i] - lp);
		dev[i] = (float)(0.5 * tanh(6.0 * lp));
	}
	for (long i = 0; i < N; i++)
		y[i] = i + 1 < N ? dev[i + 1] : 0.0f;
	write_wav("lead_dry.wav", x, N, 1, 8000);
	write_wav("lead_wet.wav", y, N, 1, 8000);
	// A budget in epochs, one thread: the same run on any machine, however loaded.
	int rc = run("-i lead_dry.wav -t lead_wet.wav -o lead.json -H 12 --segment 0.25 --warmup 200 "
	             "-e 25 -j 1");
	if (rc != 0)
		fprintf(stderr, "%s", out_text);
	assert(rc == 0);
	assert(strstr(out_text, "shifted later by"));
	const double esr = json_esr("lead.json", "esr_validation");
	const double lin = json_esr("lead.json", "esr_linear_baseline");
	const double lat = json_esr("lead.json", "latency_samples");
	printf("target 1 sample ahead: validation ESR %.4f, linear baseline %.4f, latency %.2f\n", esr,
	       lin, lat);
	assert(lin > 0.02 && esr >= 0 && esr < lin);
	assert(lat >= 0.5 && lat < 2.5);
	// Its loudness, as NAM's trainer measures it: the output's RMS for the standard signal's
	// validation clip (11-20 s of lstm-reamp's file), here rendered by lstm-reamp and
	// lstm-apply and measured apart from lstm-train.
	char cmd[4096], tools[1024];
	snprintf(tools, sizeof tools, "%s", prog);
	*strrchr(tools, '/') = '\0';
	snprintf(cmd, sizeof cmd,
	         "cd %s && %s/lstm-reamp std8k.wav --rate 8000 >/dev/null && "
	         "%s/lstm-apply -m lead.json -i std8k.wav -o std8k_out.wav >/dev/null",
	         dir, tools, tools);
	assert(system(cmd) == 0);
	char p[512];
	path_of(p, sizeof p, "std8k_out.wav");
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(p, SFM_READ, &info);
	assert(sf && info.channels == 1 && info.samplerate == 8000);
	static float y8[8000 * 182];
	assert(info.frames <= (sf_count_t)(sizeof y8 / sizeof y8[0]));
	assert(sf_readf_float(sf, y8, info.frames) == info.frames);
	sf_close(sf);
	double e = 0;
	for (long i = 11 * 8000; i < 20 * 8000; i++)
		e += (double)y8[i] * y8[i];
	const double measured = 10.0 * log10(e / (9 * 8000));
	json_t *root = load_json("lead.json");
	const double stated =
		json_number_value(json_object_get(json_object_get(root, "metadata"), "loudness_db"));
	json_decref(root);
	printf("loudness: %.3f dB stated, %.3f dB measured on the standard clip\n", stated, measured);
	assert(fabs(stated - measured) < 0.01);
}

// With --time the budget is used whole: patience 1 would end a run after two epochs without
// improvement, but under a time budget the run restarts from the best model instead.
static void test_time_budget_used(void)
{
	char args[1024];
	snprintf(args, sizeof args, "%s --patience 1 --lr-patience 1 --time 8s -o budget.json",
	         memory_args);
	int rc = run(args);
	if (rc != 0)
		fprintf(stderr, "%s", out_text);
	assert(rc == 0);
	const double seconds = json_esr("budget.json", "seconds");
	printf("--time 8s with patience 1: ran %.1f s\n", seconds);
	assert(seconds >= 7.5);
}

// The parts, each its own meson test so that none of them nears a timeout on a loaded machine.
typedef struct {
	const char *name;
	void (*run[4])(void);
} Part;

static const Part parts[] = {
	{"inputs", {test_bad_inputs}},
	{"outputs", {test_existing_output, test_conditioned}},
	{"resume", {test_interrupt_and_resume, test_time_budget_used}},
	{"memory", {test_memory_task, test_description}},
	{"leads", {test_target_leads}},
};

int main(int argc, char **argv)
{
	assert(argc == 3);
	static char abs_prog[4096];
	assert(realpath(argv[1], abs_prog));
	prog = abs_prog;
	const Part *part = NULL;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (!strcmp(argv[2], parts[i].name))
			part = &parts[i];
	assert(part);
	setvbuf(stdout, NULL, _IONBF, 0);
	assert(mkdtemp(dir));
	make_memory_task("mem_in.wav", "mem_tg.wav", 8000L * 24, 11);
	make_small_files();
	for (int i = 0; i < 4 && part->run[i]; i++)
		part->run[i]();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (!getenv("KEEP_TEST_DIR"))
		assert(system(cmd) == 0);
	return 0;
}
