// SPDX-License-Identifier: ISC
// lstm-train's command line (train_cli.h).
#include "train_cli.h"

#include "cli_parse.h"
#include "model_render.h"
#include "reamp_signal.h"
#include "tool_error.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void train_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void train_fail(const char *fmt, ...)
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
	// The text as it prints.
	// clang-format off
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
	"      --preemph KIND      pre-emphasis of the loss: first (1 - a z^-1, the default),\n"
	"                          aweight (A-weighting) or none (try it for a near-linear device)\n"
	"      --preemph-coef A    coefficient of the first-order filter (0.85)\n"
	"      --esr-weight X      weight of the ESR (of the pre-emphasised signals, if so) (0.75)\n"
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
	// clang-format on
}

// Whether s is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF): a
// knob's name goes into the model file's JSON, which holds nothing else.
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p++;
		int more = c < 0x80             ? 0
		           : (c & 0xe0) == 0xc0 ? 1
		           : (c & 0xf0) == 0xe0 ? 2
		           : (c & 0xf8) == 0xf0 ? 3
		                                : -1;
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
		train_fail("%s", err);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int opt_double(const char *name, double lo, double hi, double *out)
{
	char err[256];
	if (cli_parse_double(name, optarg, lo, hi, out, err, sizeof err) != 0) {
		train_fail("%s", err);
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
	OPT_VALID_INPUT = 256,
	OPT_VALID_TARGET,
	OPT_VALID_SPLIT,
	OPT_TEST_SPLIT,
	OPT_TRIM,
	OPT_NO_DELAY,
	OPT_SKIP,
	OPT_NO_SKIP,
	OPT_SEGMENT,
	OPT_BATCH,
	OPT_WARMUP,
	OPT_TBPTT,
	OPT_LR,
	OPT_LR_FACTOR,
	OPT_LR_PATIENCE,
	OPT_PATIENCE,
	OPT_PREEMPH,
	OPT_PREEMPH_COEF,
	OPT_ESR_W,
	OPT_DC_W,
	OPT_FORGET,
	OPT_SCALAR,
	OPT_LOG,
	OPT_PLOT,
	OPT_CKPT,
	OPT_RESUME,
	OPT_TARGET_ESR,
	OPT_KEEP_LEVELS,
	OPT_NAME,
	OPT_AUTHOR,
	OPT_GEAR_MAKE,
	OPT_GEAR_MODEL,
	OPT_GEAR_TYPE,
	OPT_TONE_TYPE,
	OPT_INPUT_DBU,
	OPT_OUTPUT_DBU,
};

// NAM's categories (its trainer's GearType and ToneType), so an exported file's fields mean
// what NAM's players expect.
static const char *const gear_types[] = {"amp",           "pedal",  "pedal_amp", "amp_cab",
                                         "amp_pedal_cab", "preamp", "studio",    NULL};
static const char *const tone_types[] = {"clean", "overdrive", "crunch", "hi_gain", "fuzz", NULL};

static int one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

// The options that set one number within a range, one row each: the option, its long name,
// the range, and the field it sets (an int or a double, as the field's type says, so that a
// row cannot write the wrong type). Each row makes both the option's getopt_long entry
// (NUMBER_LONG_OPTION) and its number_options entry, so a number option is named once.
// clang-format off
#define TRAIN_NUMBER_OPTIONS(X)                                                                \
	X(OPT_VALID_SPLIT, "valid-split", 0, 0.9, valid_split)                                     \
	X(OPT_TEST_SPLIT, "test-split", 0, 0.9, test_split)                                        \
	X('H', "hidden", 1, MODEL_MAX_HIDDEN, cfg.shape.hidden)                                    \
	X('L', "layers", 1, MODEL_MAX_LAYERS, cfg.shape.layers)                                    \
	X('e', "epochs", 1, 1000000, cfg.max_epochs)                                               \
	X(OPT_TARGET_ESR, "target-esr", 1e-9, 10, cfg.target_esr)                                  \
	X(OPT_SEGMENT, "segment", 0.01, 60, segment_seconds)                                       \
	X(OPT_BATCH, "batch", 1, 100000, cfg.batch)                                                \
	X(OPT_WARMUP, "warmup", 0, 10000000, cfg.warmup)                                           \
	X(OPT_TBPTT, "tbptt", 1, 10000000, cfg.tbptt)                                              \
	X(OPT_LR, "lr", 1e-7, 1, cfg.lr)                                                           \
	X(OPT_LR_FACTOR, "lr-factor", 0.01, 1, cfg.lr_factor)                                      \
	X(OPT_LR_PATIENCE, "lr-patience", 1, 1000000, cfg.lr_patience)                             \
	X(OPT_PATIENCE, "patience", 1, 1000000, cfg.patience)                                      \
	X(OPT_PREEMPH_COEF, "preemph-coef", -0.999, 0.999, cfg.preemph_coef)                       \
	X(OPT_ESR_W, "esr-weight", 0, 100, cfg.esr_weight)                                         \
	X(OPT_DC_W, "dc-weight", 0, 100, cfg.dc_weight)                                            \
	X(OPT_FORGET, "forget-bias", -20, 20, cfg.forget_bias)                                     \
	X('j', "threads", 1, 64, cfg.threads)
// clang-format on

typedef struct {
	int c;
	const char *name; // "--hidden": the option in messages
	double lo, hi;
	size_t offset;
	int is_int;
} NumberOption;

// clang-format off
#define NUMBER_LONG_OPTION(c, name, lo, hi, field) {name, required_argument, NULL, c},
#define NUMBER_OPTION(c, name, lo, hi, field)                                                  \
	{c, "--" name, lo, hi, offsetof(TrainOptions, field),                                      \
	 _Generic(((TrainOptions *)0)->field, int: 1, double: 0)},
// clang-format on

static const NumberOption number_options[] = {TRAIN_NUMBER_OPTIONS(NUMBER_OPTION)};

// The options that take one text, once: the option, its long name, its name in messages, what
// the text is, and the const char * field it sets. Each row makes both the option's
// getopt_long entry (TEXT_LONG_OPTION) and its text_options entry.
// clang-format off
#define TRAIN_TEXT_OPTIONS(X)                                                                  \
	X('o', "output", "-o", "path", output)                                                     \
	X(OPT_LOG, "log", "--log", "path", log_path)                                               \
	X(OPT_PLOT, "plot", "--plot", "path", plot_path)                                           \
	X(OPT_CKPT, "checkpoint", "--checkpoint", "path", ckpt_path)                               \
	X(OPT_RESUME, "resume", "--resume", "path", resume_path)                                   \
	X(OPT_NAME, "name", "--name", "value", name)                                               \
	X(OPT_AUTHOR, "author", "--author", "value", author)                                       \
	X(OPT_GEAR_MAKE, "gear-make", "--gear-make", "value", gear_make)                           \
	X(OPT_GEAR_MODEL, "gear-model", "--gear-model", "value", gear_model)                       \
	X(OPT_GEAR_TYPE, "gear-type", "--gear-type", "value", gear_type)                           \
	X(OPT_TONE_TYPE, "tone-type", "--tone-type", "value", tone_type)
// clang-format on

typedef struct {
	int c;
	const char *name; // "-o", "--log": the option in messages
	const char *what; // "path", or "value" for the metadata texts
	size_t offset;    // of the const char * it sets in TrainOptions
} TextOption;

// clang-format off
#define TEXT_LONG_OPTION(c, name, shown, what, field) {name, required_argument, NULL, c},
#define TEXT_OPTION(c, name, shown, what, field)                                               \
	{c, shown, what,                                                                           \
	 _Generic(((TrainOptions *)0)->field, const char *: offsetof(TrainOptions, field))},
// clang-format on

static const TextOption text_options[] = {TRAIN_TEXT_OPTIONS(TEXT_OPTION)};

// A table, aligned by hand.
// clang-format off
static const struct option long_opts[] = {
	{"input", required_argument, NULL, 'i'},
	{"target", required_argument, NULL, 't'},
	{"knob", required_argument, NULL, 'k'},
	{"valid-input", required_argument, NULL, OPT_VALID_INPUT},
	{"valid-target", required_argument, NULL, OPT_VALID_TARGET},
	{"trim", no_argument, NULL, OPT_TRIM},
	{"no-delay-comp", no_argument, NULL, OPT_NO_DELAY},
	{"cell", required_argument, NULL, 'c'},
	{"skip", no_argument, NULL, OPT_SKIP},
	{"no-skip", no_argument, NULL, OPT_NO_SKIP},
	{"time", required_argument, NULL, 'T'},
	{"keep-levels", no_argument, NULL, OPT_KEEP_LEVELS},
	{"preemph", required_argument, NULL, OPT_PREEMPH},
	{"seed", required_argument, NULL, 's'},
	{"scalar", no_argument, NULL, OPT_SCALAR},
	{"force", no_argument, NULL, 'f'},
	{"quiet", no_argument, NULL, 'q'},
	{"input-level-dbu", required_argument, NULL, OPT_INPUT_DBU},
	{"output-level-dbu", required_argument, NULL, OPT_OUTPUT_DBU},
	TRAIN_NUMBER_OPTIONS(NUMBER_LONG_OPTION)
	TRAIN_TEXT_OPTIONS(TEXT_LONG_OPTION)
	CLI_LONGOPTS_END,
};
// clang-format on

// Takes option c's value into o when c is one of number_options. Returns 1 when taken, 0 when
// c is not one of them, -1 after printing a message.
static int number_option(int c, TrainOptions *o)
{
	for (size_t k = 0; k < sizeof number_options / sizeof number_options[0]; k++) {
		const NumberOption *n = &number_options[k];
		if (n->c != c)
			continue;
		char *field = (char *)o + n->offset;
		const int bad = n->is_int ? opt_int(n->name, (long)n->lo, (long)n->hi, (int *)field)
		                          : opt_double(n->name, n->lo, n->hi, (double *)field);
		return bad ? -1 : 1;
	}
	return 0;
}

// Takes optarg into *slot for option opt, once (cli_take_value). A value that came from a
// checkpoint's stored command line (argv[1..nstored]) gives way to one given after it.
static int take_once(char **argv, int nstored, const char *opt, const char *what, const char **slot)
{
	for (int i = 1; i <= nstored && *slot && optind - 1 > nstored; i++)
		if (*slot == argv[i])
			*slot = NULL;
	char err[TOOL_ERR_LEN];
	if (cli_take_value(opt, optarg, what, slot, err, sizeof err) != 0)
		return train_fail("%s", err), -1;
	return 0;
}

// The checks on a metadata text (a "value" text option) before it reaches a model file.
// Returns -1 after printing a message.
static int check_metadata_text(int c, const char *opt, const char *text)
{
	if (strlen(text) > 200 || !valid_utf8(text))
		return train_fail("%s: expected valid UTF-8 text of at most 200 bytes", opt), -1;
	if (c == OPT_NAME && strlen(text) >= MODEL_NAME_LEN)
		return train_fail("--name: at most %d bytes (players show no more)", MODEL_NAME_LEN - 1),
		       -1;
	if (c == OPT_GEAR_TYPE && !one_of(text, gear_types))
		return train_fail("--gear-type %s: expected amp, pedal, pedal_amp, amp_cab, "
		                  "amp_pedal_cab, preamp or studio (NAM's)",
		                  text),
		       -1;
	if (c == OPT_TONE_TYPE && !one_of(text, tone_types))
		return train_fail("--tone-type %s: expected clean, overdrive, crunch, hi_gain or "
		                  "fuzz (NAM's)",
		                  text),
		       -1;
	return 0;
}

// Takes option c's text into o when c is one of text_options. Returns 1 when taken, 0 when c
// is not one of them, -1 after printing a message.
static int text_option(int c, char **argv, int nstored, TrainOptions *o)
{
	for (size_t k = 0; k < sizeof text_options / sizeof text_options[0]; k++) {
		const TextOption *t = &text_options[k];
		if (t->c != c)
			continue;
		const char **slot = (const char **)((char *)o + t->offset);
		if (take_once(argv, nstored, t->name, t->what, slot) != 0)
			return -1;
		if (!strcmp(t->what, "value") && check_metadata_text(c, t->name, optarg) != 0)
			return -1;
		return 1;
	}
	return 0;
}

// Returns -1 after printing a message on a bad command line, 1 after --help/--version, 2 when
// --resume is given without the pairs (main then takes them from the checkpoint).
// nstored: argv[1..nstored] come from a checkpoint (see main); a file option given after them
// replaces theirs instead of being refused as given twice.
int train_parse_args(int argc, char **argv, int nstored, TrainOptions *o)
{
	char err[TOOL_ERR_LEN]; // render_knob_parse's refusals
	memset(o, 0, sizeof *o);
	o->cfg = train_config_default();
	o->delay_comp = 1;
	o->valid_split = -1.0;
	o->segment_seconds = 0.5;
	o->input_level_dbu = o->output_level_dbu = NAN;
	int inputs = 0, targets = 0, vin = 0, vtg = 0;
	int c;
	double d;
	CliReader reader = cli_reader("lstm-train", ":i:t:k:H:L:c:e:T:s:j:o:fqhV", long_opts, usage);
	optind = 0; // glibc: start afresh (the command line may be parsed twice, see main)
	while ((c = cli_next_option(&reader, argc, argv)) >= 0) {
		int taken = number_option(c, o);
		if (taken == 0)
			taken = text_option(c, argv, nstored, o);
		if (taken < 0)
			return -1;
		if (taken)
			continue;
		switch (c) {
		case 'i':
		case OPT_VALID_INPUT:
			if (c == 'i' ? inputs != targets : vin != vtg)
				return train_fail("%s before the previous input's --target", argv[optind - 1]), -1;
			if (o->npairs >= MAX_PAIRS)
				return train_fail("more than %d pairs", MAX_PAIRS), -1;
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
				return train_fail("%s without a matching %s first", argv[optind - 1],
				                  want_valid ? "--valid-input" : "--input"),
				       -1;
			o->pairs[o->npairs - 1].target = optarg;
			if (c == 't')
				targets++;
			else
				vtg++;
			break;
		}
		case 'k': {
			if (o->npairs == 0)
				return train_fail("--knob %s before any --input", optarg), -1;
			TrainPairSpec *p = &o->pairs[o->npairs - 1];
			KnobSetting ks;
			if (render_knob_parse(optarg, &ks, err, sizeof err) != 0)
				return train_fail("%s", err), -1;
			// A knob's value becomes an input of the network: keep it where float arithmetic
			// and the model file's controls stay meaningful.
			if (!(fabs(ks.value) <= 1e6) || strlen(ks.name) >= MODEL_NAME_LEN)
				return train_fail("--knob %s: expected a name under %d bytes and a value from -1e6 "
				                  "to 1e6",
				                  optarg, MODEL_NAME_LEN),
				       -1;
			if (!valid_utf8(ks.name))
				return train_fail("--knob: the name is not valid UTF-8"), -1;
			if (p->knobs >= MAX_KNOBS)
				return train_fail("--knob %s: at most %d knobs", optarg, MAX_KNOBS), -1;
			for (int j = 0; j < p->knobs; j++)
				if (strcmp(p->knob_name[j], ks.name) == 0)
					return train_fail("--knob %s: %s given twice for %s (first %.9g)", optarg,
					                  ks.name, p->input, p->knob_value[j]),
					       -1;
			snprintf(p->knob_name[p->knobs], MODEL_NAME_LEN, "%s", ks.name);
			d = ks.value;
			p->knob_value[p->knobs++] = (float)d;
			break;
		}
		case OPT_TRIM: o->trim = 1; break;
		case OPT_NO_DELAY: o->delay_comp = 0; break;
		case 'c':
			if (!strcmp(optarg, "lstm"))
				o->cfg.shape.cell = CELL_LSTM;
			else if (!strcmp(optarg, "gru"))
				o->cfg.shape.cell = CELL_GRU;
			else if (!strcmp(optarg, "peephole") || !strcmp(optarg, "lstm_peephole"))
				o->cfg.shape.cell = CELL_LSTM_PEEPHOLE;
			else
				return train_fail("--cell %s: expected lstm, gru or peephole", optarg), -1;
			break;
		case OPT_KEEP_LEVELS: o->keep_levels = 1; break;
		case OPT_SKIP:
			o->cfg.shape.skip = 1;
			o->skip_given = 1;
			break;
		case OPT_NO_SKIP:
			o->cfg.shape.skip = 0;
			o->skip_given = 1;
			break;
		case 'T':
			if (parse_duration(optarg, &o->cfg.max_seconds))
				return train_fail("--time %s: expected a duration such as 90s, 10m or 1h", optarg),
				       -1;
			break;
		case OPT_PREEMPH:
			if (!strcmp(optarg, "first"))
				o->cfg.preemph = PREEMPH_FIRST;
			else if (!strcmp(optarg, "aweight"))
				o->cfg.preemph = PREEMPH_AWEIGHT;
			else if (!strcmp(optarg, "none"))
				o->cfg.preemph = PREEMPH_NONE;
			else
				return train_fail("--preemph %s: expected first, aweight or none", optarg), -1;
			break;
		case 's': {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[strspn(optarg, " \t")] == '-')
				return train_fail("--seed %s: expected a whole number from 0", optarg), -1;
			o->cfg.seed = v;
			break;
		}
		case OPT_SCALAR: o->cfg.force_scalar = 1; break;
		case OPT_INPUT_DBU:
		case OPT_OUTPUT_DBU: {
			const int in = c == OPT_INPUT_DBU;
			const char *opt = in ? "--input-level-dbu" : "--output-level-dbu";
			if (take_once(argv, nstored, opt, "value", &o->level_dbu_arg[!in]) != 0
			    || opt_double(opt, -60, 60, in ? &o->input_level_dbu : &o->output_level_dbu))
				return -1;
			break;
		}
		case 'f': o->force = 1; break;
		case 'q': o->quiet = 1; break;
		}
	}
	if (c == CLI_EXIT)
		return reader.status == EXIT_SUCCESS ? 1 : -1; // after --help or --version, or a message
	if (inputs == 0 && o->resume_path)
		return 2; // the pairs and settings come from the checkpoint
	if (inputs == 0)
		return train_fail("no --input given (see --help)"), -1;
	for (int k = 0; k < o->npairs; k++)
		if (!o->pairs[k].target)
			return train_fail("%s has no matching %s", o->pairs[k].input,
			                  o->pairs[k].validation_only ? "--valid-target" : "--target"),
			       -1;
	if (!o->output)
		return train_fail("no output file: give -o MODEL.json"), -1;
	// A knob is learned from the differences between pairs: one value says nothing about the
	// others, and a control whose default was never recorded would mislead.
	const TrainPairSpec *p0 = &o->pairs[0];
	for (int j = 0; j < p0->knobs; j++) {
		int varies = 0;
		for (int k = 1; k < o->npairs; k++)
			varies |= j < o->pairs[k].knobs && o->pairs[k].knob_value[j] != p0->knob_value[j];
		if (!varies)
			return train_fail(
					   "--knob %s: every pair has the value %g; a knob needs pairs recorded at "
					   "two settings or more (or leave it out)",
					   p0->knob_name[j], (double)p0->knob_value[j]),
			       -1;
	}
	// A time budget is used whole: out of patience, the run restarts instead of stopping.
	o->cfg.restart = o->cfg.max_seconds > 0;
	return 0;
}

// The command line as a shell would take it back: words joined by spaces, a word with
// anything but plain characters in single quotes. Cut (at a word) when it does not fit.
void train_join_command_line(int argc, char **argv, char *out, size_t len)
{
	size_t at = 0;
	out[0] = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = i == 0 ? "lstm-train" : argv[i];
		const int plain = *a
		                  && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                               "0123456789-_./=:,+%@")
		                         == strlen(a);
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
