// SPDX-License-Identifier: ISC
// lstm-train: learns a device from recordings. Reads one or more dry/wet pairs (optionally
// with knob values that become conditioning inputs), trains a recurrent network with the
// recipe in tools/train/ and writes a model file the plugin plays. Before training it aligns
// each pair (leaving the model's latency), holds out blocks from across the take, scales the
// audio to one level and fits a linear baseline, so the figures it prints say whether the
// network learned the device. The engine's exact output on the first pair becomes the file's
// self-test pair (tests/train/test_train_engine.c holds the trainer's forward pass to the
// engine's).
//
// Exit status: 0 done, 1 training or internal failure, 2 bad command line, 3 bad data,
// 4 the output cannot be written (exists without --force, or a write error).
#define _DEFAULT_SOURCE 1 // realpath
#include "cli_parse.h"
#include "lstm_net.h"
#include "model_file.h"
#include "plot.h"
#include "reamp_signal.h"
#include "linear_baseline.h"
#include "model_render.h"
#include "train_data.h"
#include "trainer.h"
#include "training_metadata.h"

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef LSTM_VERSION
#define LSTM_VERSION "unknown"
#endif

enum { EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_OUTPUT = 4 };
enum { MAX_PAIRS = 64, MAX_KNOBS = MODEL_MAX_CONTROLS, SELFTEST_FRAMES = 4096 };

typedef struct {
	TrainPairSpec pairs[MAX_PAIRS];
	int npairs;
	const char *output;
	const char *log_path, *plot_path, *ckpt_path, *resume_path;
	int force, trim, delay_comp, quiet;
	int skip_given; // --skip or --no-skip: otherwise chosen from the data
	int keep_levels; // --keep-levels: train on the audio as recorded
	double valid_split, test_split; // valid_split < 0: spread blocks (DEFAULT_HOLDOUT)
	double segment_seconds;
	TrainConfig cfg;
	// What the model file says about itself (NAM's metadata fields); NULL when not given.
	const char *name, *author, *gear_make, *gear_model, *gear_type, *tone_type;
	double input_level_dbu, output_level_dbu; // NAN when not given
	const char *level_dbu_arg[2];             // their text as given (input, output)
	char command_line[2048]; // as run, for the metadata (cut to fit)
} Options;

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	if (stop_flag)
		_exit(128 + sig);
	stop_flag = 1;
}

static void fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("lstm-train: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void usage(FILE *f)
{
	fputs(
	"Usage: lstm-train --input DRY.wav --target WET.wav [options] -o MODEL.json\n"
	"Learns the device between a dry recording and the same signal recorded through it.\n"
	"\n"
	"Data:\n"
	"  -i, --input FILE        dry recording (repeat -i/-t for several pairs); a file with\n"
	"                          several channels maps each channel to one input feature\n"
	"  -t, --target FILE       the same signal through the device (mono)\n"
	"  -k, --knob NAME=VALUE   a knob setting of the last pair; becomes a conditioning input\n"
	"                          (every pair must name the same knobs in the same order)\n"
	"      --valid-input FILE, --valid-target FILE\n"
	"                          a separate validation pair (instead of --valid-split)\n"
	"      --valid-split F     keep the last F of each pair for validation, instead of the\n"
	"                          default: a tenth in blocks spread across it, never silence\n"
	"      --test-split F      fraction at the very end kept for a final test (0)\n"
	"      --trim              cut input and target to the shorter length\n"
	"      --no-delay-comp     do not shift the target by the delay found\n"
	"Network:\n"
	"  -H, --hidden N          hidden units per layer (32)\n"
	"  -L, --layers N          recurrent layers (1)\n"
	"  -c, --cell TYPE         lstm, gru or peephole (lstm)\n"
	"      --keep-levels       train on the audio as recorded, not scaled to one level\n"
	"      --skip / --no-skip  add the dry input to the output (default: on unless the\n"
	"                          target is inverted or more than 12 dB from the input's level)\n"
	"Recipe:\n"
	"  -e, --epochs N          stop after N epochs (no limit)\n"
	"  -T, --time DURATION     train for this wall-clock budget: 90s, 10m, 1h; out of patience\n"
	"                          it restarts from the best model at a lower rate, never stops early\n"
	"      --target-esr X      stop once the validation ESR is at or below X\n"
	"      --segment SECONDS   training segment length (0.5)\n"
	"      --batch N           segments per batch (16)\n"
	"      --warmup N          samples run without gradient at each segment start (1000)\n"
	"      --tbptt N           samples per truncated back-propagation chunk (1024)\n"
	"      --lr X              Adam learning rate (0.005)\n"
	"      --lr-factor X       learning rate factor on a validation plateau (0.5)\n"
	"      --lr-patience N     epochs without improvement before the rate drops (5)\n"
	"      --patience N        epochs without improvement before stopping, or with --time\n"
	"                          restarting (20)\n"
	"      --preemph KIND      first (1 - a z^-1), aweight (A-weighting + low-pass) or none\n"
	"      --preemph-coef A    coefficient of the first-order filter (0.85)\n"
	"      --esr-weight X      weight of the pre-emphasised ESR in the loss (0.75)\n"
	"      --dc-weight X       weight of the DC loss (0.25)\n"
	"      --forget-bias X     initial forget-gate bias (1.0)\n"
	"  -s, --seed N            random seed for weights and segment order (1)\n"
	"  -j, --threads N         worker threads (2); one thread gives bit-identical runs\n"
	"      --scalar            plain C kernels instead of AVX2\n"
	, f);
	fputs(
	"Description (written into the model's metadata; NAM's fields, kept by lstm-convert):\n"
	"      --name TEXT         the model's name, as players show it (the output's base name)\n"
	"      --author TEXT       who captured it (NAM's modeled_by)\n"
	"      --gear-make TEXT, --gear-model TEXT\n"
	"                          the device captured\n"
	"      --gear-type TYPE    amp, pedal, pedal_amp, amp_cab, amp_pedal_cab, preamp, studio\n"
	"      --tone-type TYPE    clean, overdrive, crunch, hi_gain or fuzz\n"
	"      --input-level-dbu X, --output-level-dbu X\n"
	"                          the analog level, in dBu, of the capture's 0 dBFS at the\n"
	"                          device's input and output (NAM's calibration fields; the\n"
	"                          plugin's input calibration and Calibrated output use them)\n"
	"Output:\n"
	"  -o, --output FILE       the model file (written atomically)\n"
	"  -f, --force             replace an existing output file\n"
	"      --log FILE          one JSON line per epoch\n"
	"      --plot FILE.png     loss curves, output against target, spectra\n"
	"      --checkpoint FILE   checkpoint written every epoch (OUTPUT.ckpt)\n"
	"      --resume FILE       continue from a checkpoint; alone, it takes the pairs and\n"
	"                          settings the checkpoint holds (later options still apply)\n"
	"  -q, --quiet             only errors and the final verdict\n"
	"  -h, --help, -V, --version\n"
	"\n"
	"Ctrl-C stops after the current batch and writes the best model so far.\n"
	"Exit status: 0 done, 1 training failed, 2 bad command line, 3 bad data, 4 output refused.\n"
	"\n"
	"Examples:\n"
	"  lstm-train -i dry.wav -t wet.wav -o amp.json --time 10m\n"
	"  lstm-train -i dry.wav -t gain0.wav -k Gain=0 -i dry.wav -t gain1.wav -k Gain=1 \\\n"
	"             -H 40 -o amp-knob.json\n"
	"  lstm-train -i features.wav -t answer.wav --no-skip --preemph none -o task.json\n",
	f);
}

// Whether s is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF): a
// knob's name goes into the model file's JSON, which holds nothing else.
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p++;
		int more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2
		           : (c & 0xf8) == 0xf0 ? 3 : -1;
		if (more < 0)
			return 0;
		unsigned cp = more == 0 ? c : c & (0x3fu >> more);
		for (int i = 0; i < more; i++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*p++ & 0x3fu);
		}
		static const unsigned least[4] = {0, 0x80, 0x800, 0x10000};
		if (cp < least[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

// An option's value as a whole number or a number within a range that makes sense; the
// message names the option and the range (cli_parse.h).
static int opt_int(const char *name, long lo, long hi, int *out)
{
	long v;
	char err[256];
	if (cli_parse_long(name, optarg, lo, hi, &v, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int opt_double(const char *name, double lo, double hi, double *out)
{
	char err[256];
	if (cli_parse_double(name, optarg, lo, hi, out, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return -1;
	}
	return 0;
}

// "90", "90s", "10m", "1.5h" -> seconds.
static int parse_duration(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	double unit = 1.0;
	if (*end == 's' || *end == 0)
		unit = 1.0;
	else if (*end == 'm')
		unit = 60.0;
	else if (*end == 'h')
		unit = 3600.0;
	else
		return -1;
	if (*end && end[1])
		return -1;
	*out = v * unit;
	return 0;
}

enum {
	OPT_VALID_INPUT = 256, OPT_VALID_TARGET, OPT_VALID_SPLIT, OPT_TEST_SPLIT, OPT_TRIM,
	OPT_NO_DELAY, OPT_SKIP, OPT_NO_SKIP, OPT_SEGMENT, OPT_BATCH, OPT_WARMUP, OPT_TBPTT, OPT_LR,
	OPT_LR_FACTOR, OPT_LR_PATIENCE, OPT_PATIENCE, OPT_PREEMPH, OPT_PREEMPH_COEF, OPT_ESR_W,
	OPT_DC_W, OPT_FORGET, OPT_SCALAR, OPT_LOG, OPT_PLOT, OPT_CKPT, OPT_RESUME, OPT_TARGET_ESR,
	OPT_KEEP_LEVELS, OPT_NAME, OPT_AUTHOR, OPT_GEAR_MAKE, OPT_GEAR_MODEL, OPT_GEAR_TYPE,
	OPT_TONE_TYPE, OPT_INPUT_DBU, OPT_OUTPUT_DBU,
};

// NAM's categories (its trainer's GearType and ToneType), so an exported file's fields mean
// what NAM's players expect.
static const char *const gear_types[] = {"amp", "pedal", "pedal_amp", "amp_cab", "amp_pedal_cab",
                                         "preamp", "studio", NULL};
static const char *const tone_types[] = {"clean", "overdrive", "crunch", "hi_gain", "fuzz", NULL};

static int one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static const struct option long_opts[] = {
	{"input", required_argument, NULL, 'i'},
	{"target", required_argument, NULL, 't'},
	{"knob", required_argument, NULL, 'k'},
	{"valid-input", required_argument, NULL, OPT_VALID_INPUT},
	{"valid-target", required_argument, NULL, OPT_VALID_TARGET},
	{"valid-split", required_argument, NULL, OPT_VALID_SPLIT},
	{"test-split", required_argument, NULL, OPT_TEST_SPLIT},
	{"trim", no_argument, NULL, OPT_TRIM},
	{"no-delay-comp", no_argument, NULL, OPT_NO_DELAY},
	{"hidden", required_argument, NULL, 'H'},
	{"layers", required_argument, NULL, 'L'},
	{"cell", required_argument, NULL, 'c'},
	{"skip", no_argument, NULL, OPT_SKIP},
	{"no-skip", no_argument, NULL, OPT_NO_SKIP},
	{"epochs", required_argument, NULL, 'e'},
	{"time", required_argument, NULL, 'T'},
	{"target-esr", required_argument, NULL, OPT_TARGET_ESR},
	{"keep-levels", no_argument, NULL, OPT_KEEP_LEVELS},
	{"segment", required_argument, NULL, OPT_SEGMENT},
	{"batch", required_argument, NULL, OPT_BATCH},
	{"warmup", required_argument, NULL, OPT_WARMUP},
	{"tbptt", required_argument, NULL, OPT_TBPTT},
	{"lr", required_argument, NULL, OPT_LR},
	{"lr-factor", required_argument, NULL, OPT_LR_FACTOR},
	{"lr-patience", required_argument, NULL, OPT_LR_PATIENCE},
	{"patience", required_argument, NULL, OPT_PATIENCE},
	{"preemph", required_argument, NULL, OPT_PREEMPH},
	{"preemph-coef", required_argument, NULL, OPT_PREEMPH_COEF},
	{"esr-weight", required_argument, NULL, OPT_ESR_W},
	{"dc-weight", required_argument, NULL, OPT_DC_W},
	{"forget-bias", required_argument, NULL, OPT_FORGET},
	{"seed", required_argument, NULL, 's'},
	{"threads", required_argument, NULL, 'j'},
	{"scalar", no_argument, NULL, OPT_SCALAR},
	{"output", required_argument, NULL, 'o'},
	{"force", no_argument, NULL, 'f'},
	{"log", required_argument, NULL, OPT_LOG},
	{"plot", required_argument, NULL, OPT_PLOT},
	{"checkpoint", required_argument, NULL, OPT_CKPT},
	{"resume", required_argument, NULL, OPT_RESUME},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"name", required_argument, NULL, OPT_NAME},
	{"author", required_argument, NULL, OPT_AUTHOR},
	{"gear-make", required_argument, NULL, OPT_GEAR_MAKE},
	{"gear-model", required_argument, NULL, OPT_GEAR_MODEL},
	{"gear-type", required_argument, NULL, OPT_GEAR_TYPE},
	{"tone-type", required_argument, NULL, OPT_TONE_TYPE},
	{"input-level-dbu", required_argument, NULL, OPT_INPUT_DBU},
	{"output-level-dbu", required_argument, NULL, OPT_OUTPUT_DBU},
	{NULL, 0, NULL, 0},
};

// Takes optarg into *slot for option opt, once (cli_take_value). A value that came from a
// checkpoint's stored command line (argv[1..nstored]) gives way to one given after it.
static int take_once(char **argv, int nstored, const char *opt, const char *what,
                     const char **slot)
{
	for (int i = 1; i <= nstored && *slot && optind - 1 > nstored; i++)
		if (*slot == argv[i])
			*slot = NULL;
	char err[512];
	if (cli_take_value(opt, optarg, what, slot, err, sizeof err) != 0)
		return fail_msg("%s", err), -1;
	return 0;
}

// Returns -1 after printing a message on a bad command line, 1 after --help/--version, 2 when
// --resume is given without the pairs (main then takes them from the checkpoint).
// nstored: argv[1..nstored] come from a checkpoint (see main); a file option given after them
// replaces theirs instead of being refused as given twice.
static int parse_args(int argc, char **argv, int nstored, Options *o)
{
	memset(o, 0, sizeof *o);
	o->cfg = train_config_default();
	o->delay_comp = 1;
	o->valid_split = -1.0;
	o->segment_seconds = 0.5;
	o->input_level_dbu = o->output_level_dbu = NAN;
	int inputs = 0, targets = 0, vin = 0, vtg = 0;
	int c;
	double d;
	opterr = 0;
	optind = 0; // glibc: start afresh (the command line may be parsed twice, see main)
	while ((c = getopt_long(argc, argv, ":i:t:k:H:L:c:e:T:s:j:o:fqhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
		case OPT_VALID_INPUT:
			if (c == 'i' ? inputs != targets : vin != vtg)
				return fail_msg("%s before the previous input's --target", argv[optind - 1]), -1;
			if (o->npairs >= MAX_PAIRS)
				return fail_msg("more than %d pairs", MAX_PAIRS), -1;
			o->pairs[o->npairs].input = optarg;
			o->pairs[o->npairs].validation_only = c != 'i';
			o->npairs++;
			if (c == 'i')
				inputs++;
			else
				vin++;
			break;
		case 't':
		case OPT_VALID_TARGET: {
			int want_valid = c != 't';
			if (o->npairs == 0 || o->pairs[o->npairs - 1].target
			    || o->pairs[o->npairs - 1].validation_only != want_valid)
				return fail_msg("%s without a matching %s first", argv[optind - 1],
				                want_valid ? "--valid-input" : "--input"), -1;
			o->pairs[o->npairs - 1].target = optarg;
			if (c == 't')
				targets++;
			else
				vtg++;
			break;
		}
		case 'k': {
			if (o->npairs == 0)
				return fail_msg("--knob %s before any --input", optarg), -1;
			TrainPairSpec *p = &o->pairs[o->npairs - 1];
			KnobSetting ks;
			char err[256];
			if (render_knob_parse(optarg, &ks, err, sizeof err) != 0)
				return fail_msg("%s", err), -1;
			// A knob's value becomes an input of the network: keep it where float arithmetic
			// and the model file's controls stay meaningful.
			if (!(fabs(ks.value) <= 1e6) || strlen(ks.name) >= MODEL_NAME_LEN)
				return fail_msg("--knob %s: expected a name under %d bytes and a value from -1e6 "
				                "to 1e6", optarg, MODEL_NAME_LEN), -1;
			if (!valid_utf8(ks.name))
				return fail_msg("--knob: the name is not valid UTF-8"), -1;
			if (p->knobs >= MAX_KNOBS)
				return fail_msg("--knob %s: at most %d knobs", optarg, MAX_KNOBS), -1;
			for (int j = 0; j < p->knobs; j++)
				if (strcmp(p->knob_name[j], ks.name) == 0)
					return fail_msg("--knob %s: %s given twice for %s (first %.9g)", optarg,
					                ks.name, p->input, p->knob_value[j]), -1;
			snprintf(p->knob_name[p->knobs], MODEL_NAME_LEN, "%s", ks.name);
			d = ks.value;
			p->knob_value[p->knobs++] = (float)d;
			break;
		}
		case OPT_VALID_SPLIT:
			if (opt_double("--valid-split", 0, 0.9, &o->valid_split))
				return -1;
			break;
		case OPT_TEST_SPLIT:
			if (opt_double("--test-split", 0, 0.9, &o->test_split))
				return -1;
			break;
		case OPT_TRIM: o->trim = 1; break;
		case OPT_NO_DELAY: o->delay_comp = 0; break;
		case 'H':
			if (opt_int("--hidden", 1, MODEL_MAX_HIDDEN, &o->cfg.shape.hidden))
				return -1;
			break;
		case 'L':
			if (opt_int("--layers", 1, MODEL_MAX_LAYERS, &o->cfg.shape.layers))
				return -1;
			break;
		case 'c':
			if (!strcmp(optarg, "lstm"))
				o->cfg.shape.cell = CELL_LSTM;
			else if (!strcmp(optarg, "gru"))
				o->cfg.shape.cell = CELL_GRU;
			else if (!strcmp(optarg, "peephole") || !strcmp(optarg, "lstm_peephole"))
				o->cfg.shape.cell = CELL_LSTM_PEEPHOLE;
			else
				return fail_msg("--cell %s: expected lstm, gru or peephole", optarg), -1;
			break;
		case OPT_KEEP_LEVELS: o->keep_levels = 1; break;
		case OPT_SKIP: o->cfg.shape.skip = 1; o->skip_given = 1; break;
		case OPT_NO_SKIP: o->cfg.shape.skip = 0; o->skip_given = 1; break;
		case 'e':
			if (opt_int("--epochs", 1, 1000000, &o->cfg.max_epochs))
				return -1;
			break;
		case 'T':
			if (parse_duration(optarg, &o->cfg.max_seconds))
				return fail_msg("--time %s: expected a duration such as 90s, 10m or 1h", optarg), -1;
			break;
		case OPT_TARGET_ESR:
			if (opt_double("--target-esr", 1e-9, 10, &o->cfg.target_esr))
				return -1;
			break;
		case OPT_SEGMENT:
			if (opt_double("--segment", 0.01, 60, &o->segment_seconds))
				return -1;
			break;
		case OPT_BATCH:
			if (opt_int("--batch", 1, 100000, &o->cfg.batch))
				return -1;
			break;
		case OPT_WARMUP:
			if (opt_int("--warmup", 0, 10000000, &o->cfg.warmup))
				return -1;
			break;
		case OPT_TBPTT:
			if (opt_int("--tbptt", 1, 10000000, &o->cfg.tbptt))
				return -1;
			break;
		case OPT_LR:
			if (opt_double("--lr", 1e-7, 1, &o->cfg.lr))
				return -1;
			break;
		case OPT_LR_FACTOR:
			if (opt_double("--lr-factor", 0.01, 1, &o->cfg.lr_factor))
				return -1;
			break;
		case OPT_LR_PATIENCE:
			if (opt_int("--lr-patience", 1, 1000000, &o->cfg.lr_patience))
				return -1;
			break;
		case OPT_PATIENCE:
			if (opt_int("--patience", 1, 1000000, &o->cfg.patience))
				return -1;
			break;
		case OPT_PREEMPH:
			if (!strcmp(optarg, "first"))
				o->cfg.preemph = PREEMPH_FIRST;
			else if (!strcmp(optarg, "aweight"))
				o->cfg.preemph = PREEMPH_AWEIGHT;
			else if (!strcmp(optarg, "none"))
				o->cfg.preemph = PREEMPH_NONE;
			else
				return fail_msg("--preemph %s: expected first, aweight or none", optarg), -1;
			break;
		case OPT_PREEMPH_COEF:
			if (opt_double("--preemph-coef", -0.999, 0.999, &o->cfg.preemph_coef))
				return -1;
			break;
		case OPT_ESR_W:
			if (opt_double("--esr-weight", 0, 100, &o->cfg.esr_weight))
				return -1;
			break;
		case OPT_DC_W:
			if (opt_double("--dc-weight", 0, 100, &o->cfg.dc_weight))
				return -1;
			break;
		case OPT_FORGET:
			if (opt_double("--forget-bias", -20, 20, &o->cfg.forget_bias))
				return -1;
			break;
		case 's': {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[strspn(optarg, " \t")] == '-')
				return fail_msg("--seed %s: expected a whole number from 0", optarg), -1;
			o->cfg.seed = v;
			break;
		}
		case 'j':
			if (opt_int("--threads", 1, 64, &o->cfg.threads))
				return -1;
			break;
		case OPT_SCALAR: o->cfg.force_scalar = 1; break;
		case 'o':
		case OPT_LOG:
		case OPT_PLOT:
		case OPT_CKPT:
		case OPT_RESUME: {
			const char **slot = c == 'o' ? &o->output : c == OPT_LOG ? &o->log_path
			                    : c == OPT_PLOT ? &o->plot_path : c == OPT_CKPT ? &o->ckpt_path
			                    : &o->resume_path;
			const char *name = c == 'o' ? "-o" : c == OPT_LOG ? "--log" : c == OPT_PLOT ? "--plot"
			                   : c == OPT_CKPT ? "--checkpoint" : "--resume";
			if (take_once(argv, nstored, name, "path", slot) != 0)
				return -1;
			break;
		}
		case OPT_NAME:
		case OPT_AUTHOR:
		case OPT_GEAR_MAKE:
		case OPT_GEAR_MODEL:
		case OPT_GEAR_TYPE:
		case OPT_TONE_TYPE: {
			const char **slot = c == OPT_NAME ? &o->name : c == OPT_AUTHOR ? &o->author
			                    : c == OPT_GEAR_MAKE ? &o->gear_make
			                    : c == OPT_GEAR_MODEL ? &o->gear_model
			                    : c == OPT_GEAR_TYPE ? &o->gear_type : &o->tone_type;
			static const char *const names[] = {"--name", "--author", "--gear-make",
			                                    "--gear-model", "--gear-type", "--tone-type"};
			const char *opt = names[c - OPT_NAME];
			if (take_once(argv, nstored, opt, "value", slot) != 0)
				return -1;
			if (strlen(optarg) > 200 || !valid_utf8(optarg))
				return fail_msg("%s: expected valid UTF-8 text of at most 200 bytes", opt), -1;
			if (c == OPT_NAME && strlen(optarg) >= MODEL_NAME_LEN)
				return fail_msg("--name: at most %d bytes (players show no more)",
				                MODEL_NAME_LEN - 1), -1;
			if (c == OPT_GEAR_TYPE && !one_of(optarg, gear_types))
				return fail_msg("--gear-type %s: expected amp, pedal, pedal_amp, amp_cab, "
				                "amp_pedal_cab, preamp or studio (NAM's)", optarg), -1;
			if (c == OPT_TONE_TYPE && !one_of(optarg, tone_types))
				return fail_msg("--tone-type %s: expected clean, overdrive, crunch, hi_gain or "
				                "fuzz (NAM's)", optarg), -1;
			break;
		}
		case OPT_INPUT_DBU:
		case OPT_OUTPUT_DBU: {
			const int in = c == OPT_INPUT_DBU;
			const char *opt = in ? "--input-level-dbu" : "--output-level-dbu";
			if (take_once(argv, nstored, opt, "value", &o->level_dbu_arg[!in]) != 0 ||
			    opt_double(opt, -60, 60, in ? &o->input_level_dbu : &o->output_level_dbu))
				return -1;
			break;
		}
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("lstm-train %s\n", LSTM_VERSION); return 1;
		case ':': return fail_msg("%s needs a value (see --help)", argv[optind - 1]), -1;
		default: return fail_msg("unknown option %s (see --help)", argv[optind - 1]), -1;
		}
	}
	if (optind < argc)
		return fail_msg("unexpected argument %s (see --help)", argv[optind]), -1;
	if (inputs == 0 && o->resume_path)
		return 2; // the pairs and settings come from the checkpoint
	if (inputs == 0)
		return fail_msg("no --input given (see --help)"), -1;
	for (int k = 0; k < o->npairs; k++)
		if (!o->pairs[k].target)
			return fail_msg("%s has no matching %s", o->pairs[k].input,
			                o->pairs[k].validation_only ? "--valid-target" : "--target"), -1;
	if (!o->output)
		return fail_msg("no output file: give -o MODEL.json"), -1;
	// A knob is learned from the differences between pairs: one value says nothing about the
	// others, and a control whose default was never recorded would mislead.
	const TrainPairSpec *p0 = &o->pairs[0];
	for (int j = 0; j < p0->knobs; j++) {
		int varies = 0;
		for (int k = 1; k < o->npairs; k++)
			varies |= j < o->pairs[k].knobs && o->pairs[k].knob_value[j] != p0->knob_value[j];
		if (!varies)
			return fail_msg("--knob %s: every pair has the value %g; a knob needs pairs recorded at "
			                "two settings or more (or leave it out)", p0->knob_name[j],
			                (double)p0->knob_value[j]), -1;
	}
	// A time budget is used whole: out of patience, the run restarts instead of stopping.
	o->cfg.restart = o->cfg.max_seconds > 0;
	return 0;
}

// --- progress ------------------------------------------------------------------------------

typedef struct {
	int tty, quiet;
	double t0, epoch_t0;
} Progress;

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void on_progress(void *user, int epoch, double fraction, double loss)
{
	Progress *p = user;
	if (!p->tty || p->quiet)
		return;
	double t = wall() - p->epoch_t0;
	double eta = fraction > 0 ? t * (1.0 - fraction) / fraction : 0;
	int filled = (int)(fraction * 30.0 + 0.5);
	char bar[31];
	for (int i = 0; i < 30; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[30] = 0;
	fprintf(stderr, "\repoch %4d [%s] %3.0f%% eta %4.0fs loss %.5f ", epoch, bar,
	        fraction * 100.0, eta, loss);
	fflush(stderr);
}

// --- output --------------------------------------------------------------------------------

// NAM's grades of a held-out ESR, so figures compare with what NAM users know.
static const char *verdict(double esr)
{
	if (esr < 0)
		return "no held-out data to judge by";
	if (esr < 0.01)
		return "great: hard to tell from the device";
	if (esr < 0.035)
		return "not bad: close to the device";
	if (esr < 0.1)
		return "might sound ok: audibly different on close listening";
	return "does not look good: clearly different from the device";
}

static const char *cell_arg(CellType c)
{
	return c == CELL_GRU ? "gru" : c == CELL_LSTM_PEEPHOLE ? "peephole" : "lstm";
}

static const char *preemph_name(PreEmphasisKind k)
{
	return k == PREEMPH_AWEIGHT ? "aweight" : k == PREEMPH_NONE ? "none" : "first";
}

// Runs the engine with exact activations over frames of series 0 from zero state.
static int engine_run(const ModelDesc *m, const float *x, long n, float *out, char *err,
                      size_t err_len)
{
	LstmNetOptions no = lstm_net_default_options();
	no.activations = LSTM_ACT_EXACT;
	ModelError me;
	LstmNet *net = lstm_net_create(m, &no, &me);
	if (!net) {
		snprintf(err, err_len, "the trained model does not build: %s", me.message);
		return -1;
	}
	for (long i = 0; i < n; i++)
		out[i] = lstm_net_process_frame(net, x + i * m->inputs);
	lstm_net_destroy(net);
	return 0;
}

static double rms_db(const float *y, long n)
{
	double s = 0;
	for (long i = 0; i < n; i++)
		s += (double)y[i] * y[i];
	return n > 0 && s > 0 ? 10.0 * log10(s / (double)n) : -200.0;
}

static int write_model(const Options *o, Trainer *tr, const TrainData *d, double esr_train,
                       double esr_valid,
                       double esr_test, double esr_linear, double seconds, int interrupted)
{
	const TrainConfig *c = trainer_config(tr);
	ModelDesc m;
	if (train_params_export(&c->shape, trainer_best_params(tr), d->rate, &m) != 0) {
		fail_msg("out of memory");
		return 1;
	}
	train_export_fold_gains(&m, d->gain_in, d->gain_out);
	const TrainPair *lp = d->pairs;
	const int inputs = d->inputs;
	const double rate = d->rate;
	const TrainPairSpec *p0 = &o->pairs[0];
	const int channels = inputs - p0->knobs;
	if (p0->knobs > 0 && channels == 1) {
		m.num_controls = p0->knobs;
		for (int j = 0; j < p0->knobs; j++) {
			ControlDesc *cd = &m.controls[j];
			snprintf(cd->name, sizeof cd->name, "%s", p0->knob_name[j]);
			cd->min = cd->max = p0->knob_value[j];
			for (int k = 0; k < o->npairs; k++) {
				cd->min = fminf(cd->min, o->pairs[k].knob_value[j]);
				cd->max = fmaxf(cd->max, o->pairs[k].knob_value[j]);
			}
			if (!(cd->max > cd->min))
				cd->max = cd->min + 1.0f;
			cd->def = 0.5f * (cd->min + cd->max);
		}
	}
	// Self-test pair: the engine's exact output on the start of the first pair. The pair is
	// attached only after the run, as lstm_net_create validates whatever the model holds.
	const long nst = lp[0].s.n < SELFTEST_FRAMES ? lp[0].s.n : SELFTEST_FRAMES;
	float *st_in = malloc((size_t)nst * (size_t)inputs * sizeof(float));
	float *st_out = malloc((size_t)nst * sizeof(float));
	char err[512];
	if (!st_in || !st_out) {
		free(st_in);
		free(st_out);
		model_desc_free(&m);
		fail_msg("out of memory");
		return 1;
	}
	// The model plays unscaled audio: undo the training gain on the input.
	memcpy(st_in, lp[0].s.x, (size_t)nst * (size_t)inputs * sizeof(float));
	for (long i = 0; i < nst; i++)
		st_in[i * inputs] /= d->gain_in;
	if (engine_run(&m, st_in, nst, st_out, err, sizeof err) != 0) {
		free(st_in);
		free(st_out);
		model_desc_free(&m);
		fail_msg("%s", err);
		return 1;
	}
	// Loudness as NAM's trainer measures it: the model's output level (RMS, dB) for one
	// standard input at its default settings, so that players can bring every model to one
	// level. The standard input is the standard capture signal's validation clip (9 s of
	// notes, strums and chugs, the same for every model at a rate); NAM ships its own file, which
	// this project does not copy. Feature inputs (several channels) have no standard: their
	// first 5 s stand in.
	double loud = -200.0;
	AudioBuffer std_signal = {0};
	ReampLayout layout;
	reamp_signal_layout(rate, &layout);
	const int standard = channels == 1 && reamp_signal_render(rate, &std_signal) == 0;
	const float *src = standard ? std_signal.data + layout.clip_a_from : lp[0].s.x;
	const long nl = standard ? layout.clip_a_to - layout.clip_a_from
	                : lp[0].s.n < (long)(5 * rate) ? lp[0].s.n : (long)(5 * rate);
	float *yl = malloc((size_t)nl * sizeof(float));
	float *xl = malloc((size_t)nl * (size_t)inputs * sizeof(float));
	if (yl && xl) {
		for (long i = 0; i < nl; i++) {
			if (standard) {
				xl[i * inputs] = src[i];
				for (int k = 1; k < inputs; k++)
					xl[i * inputs + k] = m.controls[k - 1].def;
			} else {
				memcpy(xl + i * inputs, src + i * inputs, (size_t)inputs * sizeof(float));
				xl[i * inputs] /= d->gain_in;
			}
		}
		if (engine_run(&m, xl, nl, yl, err, sizeof err) == 0)
			loud = rms_db(yl, nl);
	}
	free(yl);
	free(xl);
	audio_buffer_free(&std_signal);

	const double audio_seconds = (double)trainer_train_samples(tr) / rate;
	double latency = 0.0;
	for (int k = 0; k < o->npairs; k++)
		latency = fmax(latency, lp[k].pair.latency);
	// What the alignment left in is the model's own latency, which the plugin reports so that
	// hosts compensate it. A lag kept longer than a file may hold is the device's business.
	m.latency_samples = (float)fmin(latency, rate * MODEL_MAX_LATENCY_SECONDS);
	const char *base = strrchr(o->output, '/') ? strrchr(o->output, '/') + 1 : o->output;
	char name[MODEL_NAME_LEN];
	snprintf(name, sizeof name, "%s", o->name ? o->name : base);
	char *dot = o->name ? NULL : strchr(name, '.');
	if (dot && dot != name)
		*dot = 0;
	char date[32] = "";
	const time_t now = time(NULL);
	struct tm utc;
	if (gmtime_r(&now, &utc))
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
	const TrainingMetadata meta = {
		.name = name,
		.description = "trained by lstm-train from a dry/wet pair",
		.author = o->author,
		.gear_make = o->gear_make,
		.gear_model = o->gear_model,
		.gear_type = o->gear_type,
		.tone_type = o->tone_type,
		.date = date[0] ? date : NULL,
		.command_line = o->command_line,
		.input_level_dbu = o->input_level_dbu,
		.output_level_dbu = o->output_level_dbu,
		.loudness_db = loud,
		.program = "lstm-train " LSTM_VERSION,
		.cell = cell_arg(c->shape.cell),
		.hidden = c->shape.hidden,
		.layers = c->shape.layers,
		.skip = c->shape.skip,
		.epochs = trainer_epochs_done(tr),
		.seconds = seconds,
		.interrupted = interrupted,
		.seconds_of_audio = audio_seconds,
		.pairs = o->npairs,
		.latency_samples = latency,
		.shift_samples = lp[0].pair.shifted,
		.esr_train = esr_train,
		.esr_validation = esr_valid,
		.esr_test = esr_test,
		.esr_linear_baseline = esr_linear,
		.replicate_esr = lp[0].pair.reamp ? lp[0].pair.replicate_esr : -1.0,
		.segment_samples = c->segment,
		.batch = c->batch,
		.warmup = c->warmup,
		.tbptt = c->tbptt,
		.lr = c->lr,
		.preemph = preemph_name(c->preemph),
		.preemph_coef = c->preemph_coef,
		.esr_weight = c->esr_weight,
		.dc_weight = c->dc_weight,
		.seed = c->seed,
		.threads = c->threads,
	};
	m.metadata_json = training_metadata_json(&meta);
	m.selftest_frames = (int)nst;
	m.selftest_input = st_in;
	m.selftest_output = st_out;
	m.selftest_tolerance = 1e-4f;

	ModelError me;
	ModelStatus st = model_write_file(o->output, &m, o->force, &me);
	model_desc_free(&m);
	if (st != MODEL_OK) {
		fail_msg("%s", me.message);
		return EXIT_OUTPUT;
	}
	return 0;
}

// Loss curves, half a second of target against output from the loudest held-out block (or the
// middle when nothing is held out) after a second of context, and their spectra; the title
// gives the held-out ESR beside the linear baseline's.
// Returns 0, or -1 after a message.
static int write_plot(const Options *o, Trainer *tr, const TrainData *d, double esr_linear)
{
	const TrainSeries *s = &d->pairs[0].s;
	const double rate = d->rate;
	long len = (long)(0.5 * rate), lead = (long)rate;
	long at = s->train_end < s->n ? s->train_end : s->n / 2;
	// Where the device is loudest among the held-out blocks: a silent stretch shows nothing.
	double loudest = -1.0;
	for (int h = 0; h < s->held_count; h++) {
		double e = 0.0;
		for (long i = s->held[h].from; i < s->held[h].to; i++)
			e += (double)s->t[i] * s->t[i];
		if (e > loudest) {
			loudest = e;
			at = s->held[h].from;
		}
	}
	if (at + len > s->n)
		at = s->n - len > 0 ? s->n - len : 0;
	if (len > s->n - at)
		len = s->n - at;
	long from = at - lead > 0 ? at - lead : 0;
	float *y = malloc((size_t)(at - from + len) * sizeof(float));
	float *t = malloc((size_t)(len > 0 ? len : 1) * sizeof(float));
	if (!y || !t) {
		free(y);
		free(t);
		fail_msg("%s: out of memory for the plot", o->plot_path);
		return -1;
	}
	trainer_render(tr, NULL, 0, from, at - from + len, y);
	// At the device's own level, not the training scale.
	for (long i = 0; i < at - from + len; i++)
		y[i] /= d->gain_out;
	for (long i = 0; i < len; i++)
		t[i] = s->t[at + i] / d->gain_out;
	// The title carries the verdict, so the picture alone says whether the model is any good.
	char title[512];
	const double held = trainer_best_valid(tr);
	if (esr_linear >= 0 && isfinite(held))
		snprintf(title, sizeof title, "%s: held-out ESR %.4f, linear filter %.4f%s", o->output,
		         held, esr_linear, held >= esr_linear ? ": NO BETTER than a linear filter" : "");
	else
		snprintf(title, sizeof title, "%s", o->output);
	TrainingPlot p = {
		trainer_history_loss(tr), trainer_history_valid(tr), trainer_epochs_done(tr),
		t, y + (at - from), len, rate, title,
	};
	char err[512];
	const int rc = plot_training_png(o->plot_path, &p, err, sizeof err);
	if (rc != 0)
		fail_msg("%s", err);
	free(y);
	free(t);
	return rc;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

// Whether the folder that will hold path exists and is writable, so a long run does not end
// in a refused write.
static int folder_writable(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == dir)
		slash[1] = 0;
	else
		*slash = 0;
	return access(dir, W_OK) == 0;
}

// The file path names, as far as it can tell: the real path when it exists, else the real
// path of its folder and its name. Empty when neither resolves.
static void canonical(const char *path, char *out, size_t n)
{
	char buf[PATH_MAX];
	out[0] = 0;
	if (realpath(path, buf)) {
		snprintf(out, n, "%s", buf);
		return;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? slash + 1 : path;
	if (slash)
		*slash = 0;
	if (realpath(slash ? (dir[0] ? dir : "/") : ".", buf))
		snprintf(out, n, "%s/%s", buf, name);
}

static int same_file(const char *a, const char *b)
{
	char ca[2 * PATH_MAX], cb[2 * PATH_MAX];
	canonical(a, ca, sizeof ca);
	canonical(b, cb, sizeof cb);
	return ca[0] && strcmp(ca, cb) == 0;
}

// Every file the run will write, checked before any training: none may be an input or another
// output, none may exist without --force (the run's own checkpoint may, when --resume names
// it, and so may the log a resumed run appends to), and every folder must be writable.
// Returns 0, or an exit status after a message.
static int check_outputs(const Options *o, const char *ckpt)
{
	const char *what[4] = {"-o", "--log", "--plot", "--checkpoint"};
	const char *out[4] = {o->output, o->log_path, o->plot_path, ckpt};
	for (int i = 0; i < 4; i++) {
		if (!out[i])
			continue;
		for (int k = 0; k < o->npairs; k++)
			if (same_file(out[i], o->pairs[k].input) || same_file(out[i], o->pairs[k].target)) {
				fail_msg("%s %s is one of the recordings: it would be overwritten", what[i], out[i]);
				return EXIT_USAGE;
			}
		for (int j = 0; j < i; j++)
			if (out[j] && same_file(out[i], out[j])) {
				fail_msg("%s %s is also the file of %s: give each output its own file", what[i],
				         out[i], what[j]);
				return EXIT_USAGE;
			}
		const int resumed_own = o->resume_path && (i == 3 ? same_file(out[i], o->resume_path)
		                                                   : i == 1);
		if (!o->force && !resumed_own && file_exists(out[i])) {
			fail_msg("%s exists; use --force to replace it", out[i]);
			return EXIT_OUTPUT;
		}
		if (!folder_writable(out[i])) {
			fail_msg("%s: cannot write there (%s)", out[i], strerror(errno));
			return EXIT_OUTPUT;
		}
	}
	return 0;
}

// Holds OUTPUT.lock for the run, so that a second lstm-train on the same output is refused at
// start instead of the two overwriting each other's checkpoints. flock is released by the
// kernel when the process ends, however it ends, so a crash leaves no stale lock behind.
// Returns the descriptor, or -1 after a message.
static int lock_output(const char *output, char *lock, size_t n)
{
	snprintf(lock, n, "%s.lock", output);
	const int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		fail_msg("%s: cannot create the run's lock (%s)", lock, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fail_msg("%s is being trained by another lstm-train (it holds %s)", output, lock);
		close(fd);
		return -1;
	}
	return fd;
}

// The command line as a shell would take it back: words joined by spaces, a word with
// anything but plain characters in single quotes. Cut (at a word) when it does not fit.
static void join_command_line(int argc, char **argv, char *out, size_t len)
{
	size_t at = 0;
	out[0] = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = i == 0 ? "lstm-train" : argv[i];
		const int plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                               "0123456789-_./=:,+%@") == strlen(a);
		char word[1024];
		size_t w = 0;
		if (!plain)
			word[w++] = '\'';
		for (const char *p = a; *p && w + 6 < sizeof word; p++) {
			if (*p == '\'' && !plain) { // ' -> '\''
				memcpy(word + w, "'\\''", 4);
				w += 4;
			} else {
				word[w++] = *p;
			}
		}
		if (!plain)
			word[w++] = '\'';
		word[w] = 0;
		if (at + (at > 0) + w + 1 > len)
			return;
		at += (size_t)snprintf(out + at, len - at, "%s%s", at > 0 ? " " : "", word);
	}
}

int main(int argc, char **argv)
{
	// Past a file-size limit (ulimit -f) a write fails with EFBIG, reported and cleaned up
	// like a full disk, instead of the signal killing the tool and leaving temporary files.
	signal(SIGXFSZ, SIG_IGN);
	Options o;
	int rc = parse_args(argc, argv, 0, &o);
	char **stored = NULL;
	char **merged = NULL;
	if (rc == 2) {
		// "--resume CKPT" alone: the checkpoint's command line, then this one's options on top
		// (a later --time or -o wins).
		char err[512];
		int nstored = 0;
		if (trainer_checkpoint_args(o.resume_path, &stored, &nstored, err, sizeof err) != 0) {
			fail_msg("%s", err);
			return EXIT_USAGE;
		}
		merged = malloc(((size_t)nstored + (size_t)argc + 1) * sizeof *merged);
		if (!merged) {
			free(stored);
			return 1;
		}
		merged[0] = argv[0];
		for (int i = 0; i < nstored; i++)
			merged[1 + i] = stored[i];
		for (int i = 1; i < argc; i++)
			merged[nstored + i] = argv[i];
		merged[nstored + argc] = NULL;
		argc += nstored;
		argv = merged;
		rc = parse_args(argc, argv, nstored, &o);
		if (rc == 2) {
			fail_msg("%s holds no pairs to train on; give -i and -t", o.resume_path);
			rc = -1;
		}
	}
	if (rc != 0) {
		free(merged);
		free(stored);
		return rc > 0 ? 0 : EXIT_USAGE;
	}
	join_command_line(argc, argv, o.command_line, sizeof o.command_line);
	char ckpt[PATH_MAX];
	snprintf(ckpt, sizeof ckpt, "%s", o.ckpt_path ? o.ckpt_path : "");
	if (!o.ckpt_path)
		snprintf(ckpt, sizeof ckpt, "%s.ckpt", o.output);
	rc = check_outputs(&o, ckpt);
	char lock[PATH_MAX + 8];
	const int lock_fd = rc == 0 ? lock_output(o.output, lock, sizeof lock) : -1;
	if (rc == 0 && lock_fd < 0)
		rc = EXIT_OUTPUT;
	if (rc != 0) {
		free(merged);
		free(stored);
		return rc;
	}
	char err[512];
	const TrainDataOptions dopt = {
		.trim = o.trim,
		.compensate_delay = o.delay_comp,
		.valid_split = o.valid_split,
		.test_split = o.test_split,
		.segment_seconds = o.segment_seconds,
		.keep_levels = o.keep_levels,
		.skip = o.skip_given ? o.cfg.shape.skip : -1,
	};
	TrainData data;
	if (train_data_load(o.pairs, o.npairs, &dopt, o.quiet ? NULL : stderr, &data, err,
	                    sizeof err) != 0) {
		fail_msg("%s", err);
		remove(lock);
		close(lock_fd);
		free(merged);
		free(stored);
		return EXIT_DATA;
	}
	const int inputs = data.inputs;
	const double rate = data.rate;
	const TrainPair *lp = data.pairs;
	o.cfg.segment = data.segment;
	o.cfg.shape.skip = data.skip;
	o.cfg.shape.inputs = inputs;
	o.cfg.sample_rate = rate;
	rc = 0;
	if (o.cfg.warmup >= o.cfg.segment) {
		fail_msg("--warmup %d: must be shorter than a segment (%d samples)", o.cfg.warmup,
		         o.cfg.segment);
		rc = EXIT_USAGE;
	}
	Trainer *tr = NULL;
	TrainSeries series[MAX_PAIRS];
	if (rc == 0) {
		for (int k = 0; k < o.npairs; k++)
			series[k] = lp[k].s;
		tr = trainer_create(&o.cfg, series, o.npairs, err, sizeof err);
		if (!tr) {
			fail_msg("%s", err);
			rc = 1;
		}
	}
	if (rc == 0 && trainer_set_args(tr, argc - 1, argv + 1) != 0) {
		fail_msg("out of memory");
		rc = 1;
	}
	if (rc == 0 && o.resume_path) {
		if (trainer_load_checkpoint(tr, o.resume_path, err, sizeof err) != 0) {
			fail_msg("%s", err);
			rc = EXIT_USAGE;
		} else if (!o.quiet) {
			fprintf(stderr, "lstm-train: resuming after epoch %d\n", trainer_epochs_done(tr));
		}
	}
	FILE *log = NULL;
	if (rc == 0 && o.log_path) {
		log = fopen(o.log_path, o.resume_path ? "a" : "w");
		if (!log) {
			fail_msg("%s: cannot write the log (%s)", o.log_path, strerror(errno));
			rc = EXIT_OUTPUT;
		}
	}
	int interrupted = 0, side_failed = 0;
	if (rc == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		Progress pg = {isatty(2), o.quiet, wall(), wall()};
		const double esr_linear = train_data_linear_baseline_esr(&data);
		if (!o.quiet && esr_linear >= 0)
			fprintf(stderr, "lstm-train: linear baseline (%d-tap FIR fitted on the training audio): "
			        "validation ESR %.4f\n", LINEAR_BASELINE_TAPS, esr_linear);
		if (!o.quiet)
			fprintf(stderr, "lstm-train: %s-%d x%d, %d inputs, skip %d, %ld training samples, "
			        "%d threads, %s kernels\n", cell_arg(o.cfg.shape.cell), o.cfg.shape.hidden,
			        o.cfg.shape.layers, inputs, o.cfg.shape.skip, trainer_train_samples(tr),
			        o.cfg.threads, trainer_kernels_name(tr));
		int go_on = !(o.cfg.max_epochs > 0 && trainer_epochs_done(tr) >= o.cfg.max_epochs);
		while (go_on) {
			TrainEpochReport rep;
			pg.epoch_t0 = wall();
			go_on = trainer_run_epoch(tr, on_progress, &pg, &stop_flag, &rep);
			if (pg.tty && !o.quiet)
				fputc('\r', stderr);
			if (!o.quiet)
				fprintf(stderr, "epoch %4d  loss %.6f  valid ESR %.6f%s  lr %.2g  %6.1fs%s%s%*s\n",
				        rep.epoch, rep.train_loss, rep.valid_esr, rep.improved ? "*" : " ", rep.lr,
				        rep.seconds, rep.partial ? " (partial)" : "",
				        rep.restarted ? " (restart from the best)" : "", 8, "");
			if (rep.diverged)
				fprintf(stderr, "lstm-train: warning: the network diverged (validation not "
				        "finite): back to the best weights at half the rate\n");
			if (rep.skipped_steps > 0)
				fprintf(stderr, "lstm-train: warning: %d steps skipped for a non-finite gradient\n",
				        rep.skipped_steps);
			if (log) {
				fprintf(log, "{\"epoch\":%d,\"train_loss\":%.9g,\"valid_esr\":%.9g,\"lr\":%.9g,"
				        "\"improved\":%s,\"seconds\":%.3f,\"partial\":%s}\n", rep.epoch,
				        rep.train_loss, rep.valid_esr, rep.lr, rep.improved ? "true" : "false",
				        rep.seconds, rep.partial ? "true" : "false");
				fflush(log);
			}
			// A side output that fails is reported and makes the exit status 4, but the
			// training goes on: the model is what matters.
			if (trainer_save_checkpoint(tr, ckpt, err, sizeof err) != 0) {
				fail_msg("%s", err);
				side_failed = 1;
			}
			if (o.plot_path && go_on && write_plot(&o, tr, &data, esr_linear) != 0)
				side_failed = 1;
		}
		interrupted = stop_flag != 0;
		if (interrupted && !o.quiet)
			fprintf(stderr, "lstm-train: interrupted; writing the best model so far\n");
		// The final figures are the engine-independent trainer forward of the best weights.
		const real *best = trainer_best_params(tr);
		double esr_train = trainer_region_esr(tr, best, 0);
		double esr_valid = trainer_region_esr(tr, best, 1);
		double esr_test = trainer_region_esr(tr, best, 2);
		double seconds = wall() - pg.t0;
		if (!isfinite(trainer_best_valid(tr))) {
			// Not one epoch gave a finite figure: the weights are the untrained start.
			fail_msg("training failed: no epoch gave a finite validation ESR; nothing written "
			         "(try a lower --lr)");
			rc = 1;
		} else {
			rc = write_model(&o, tr, &data, esr_train, esr_valid, esr_test, esr_linear, seconds,
			                 interrupted);
		}
		if (rc == 0) {
			if (o.plot_path && write_plot(&o, tr, &data, esr_linear) != 0)
				side_failed = 1;
			double held = esr_test >= 0 ? esr_test : esr_valid;
			printf("ESR train %.6f  validation %.6f  test %s%.6f\n", esr_train, esr_valid,
			       esr_test >= 0 ? "" : "(none) ", esr_test >= 0 ? esr_test : 0.0);
			printf("verdict: %s (held-out ESR %.4f)\n", verdict(held), held);
			if (esr_linear >= 0)
				printf("linear baseline: validation ESR %.4f: %s\n", esr_linear,
				       esr_valid < 0 ? "nothing to compare"
				       : esr_valid < esr_linear / 3 ? "the network is far better than a linear filter"
				       : esr_valid < esr_linear ? "the network is better than a linear filter, though not by much"
				       : "the network is NO BETTER than a linear filter: it has not learned the device");
			const CapturePair *cp0 = &data.pairs[0].pair;
			if (cp0->reamp && cp0->replicate_esr >= 0)
				printf("replicate check: the device's two validation clips differ by ESR %.4f: "
				       "%s\n", cp0->replicate_esr, cp0->replicate_esr < REAMP_REPLICATE_MAX_ESR
				       ? "it sounds like itself" : "it does NOT sound like itself, and no model "
				       "can be expected to come much closer to it than that");
			printf("wrote %s after %d epochs in %.0f s\n", o.output, trainer_epochs_done(tr), seconds);
			if (side_failed) {
				fail_msg("the model is written, but a checkpoint or the plot could not be (see "
				         "above)");
				rc = EXIT_OUTPUT;
			}
		}
	}
	if (log)
		fclose(log);
	trainer_free(tr);
	train_data_free(&data);
	free(merged);
	free(stored);
	remove(lock);
	close(lock_fd);
	if (o.plot_path)
		plot_release_caches(); // cairo's and fontconfig's caches: leak checkers stay quiet
	return rc;
}
