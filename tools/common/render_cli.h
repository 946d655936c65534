// SPDX-License-Identifier: ISC
// The command-line options lstm-apply and lstm-esr share, read one way by both: -m MODEL,
// -i INPUT, the tool's second file (lstm-apply's -o OUTPUT, lstm-esr's -t WET), -k NAME=VAL,
// --exact / --fast, --isa NAME and --ignore-rate. Each tool lists
// RENDER_CLI_LONGOPTS in its getopt_long table, numbers its own long options from
// RENDER_OPT_NEXT and reads its command line with render_cli_next(), which hands it only its
// own options.
#ifndef LSTM_TOOLS_RENDER_CLI_H
#define LSTM_TOOLS_RENDER_CLI_H

#include "cli_parse.h"
#include "model_render.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	RENDER_OPT_EXACT = 256,
	RENDER_OPT_FAST,
	RENDER_OPT_ISA,
	RENDER_OPT_IGNORE_RATE,
	RENDER_OPT_NEXT, // a tool's own long options start here
};

// The shared entries of a struct option table (getopt.h), in the tool's own table.
// clang-format off
#define RENDER_CLI_LONGOPTS                                                                    \
	{"model", required_argument, NULL, 'm'},                                                   \
	{"input", required_argument, NULL, 'i'},                                                   \
	{"knob", required_argument, NULL, 'k'},                                                    \
	{"exact", no_argument, NULL, RENDER_OPT_EXACT},                                            \
	{"fast", no_argument, NULL, RENDER_OPT_FAST},                                              \
	{"isa", required_argument, NULL, RENDER_OPT_ISA},                                          \
	{"ignore-rate", no_argument, NULL, RENDER_OPT_IGNORE_RATE}
// clang-format on

// The files besides -m that a tool requires, and the messages when they are missing.
typedef struct {
	const char *no_input;  // "no dry file given (-i DRY)"
	int second;            // the second file's option letter ('o', 't'), in the tool's tables
	const char *no_second; // "no wet file given (-t WET)"
} RenderFiles;

// The help lines of the shared options, for the tool's usage text between its own lines for -i
// and for its own options. The option column is 23 wide in every tool that uses them.
#define RENDER_CLI_HELP_MODEL                                                                      \
	"  -m, --model FILE     the model (.json, AIDA-X .json, GuitarML .json, .nam)\n"
#define RENDER_CLI_HELP_ENGINE                                                                     \
	"  -k, --knob NAME=VAL  set a knob of a model with knobs when the input is mono\n"             \
	"                       (NAME as in the model, or 1..3); repeat for each knob;\n"              \
	"                       knobs not given take the model's default\n"                            \
	"      --exact          libm activations (default; the reference)\n"                           \
	"      --fast           the plugin's fast approximate activations\n"                           \
	"      --isa NAME       auto (default), scalar, avx2 or avx512\n"                              \
	"      --ignore-rate    run even if the input's sample rate is not the model's\n"

// The tool's reader and what the shared options set. ro.knobs points into knobs: set up with
// render_cli_init and not copied.
typedef struct {
	CliReader reader; // the tool's name, option table and usage
	RenderFiles files;
	const char *model_path, *in_path, *second_path;
	KnobSetting knobs[RENDER_MAX_KNOBS];
	RenderOptions ro; // libm activations unless --fast
	int act_set;      // --exact or --fast was given
} RenderCli;

void render_cli_init(RenderCli *rc, CliReader reader, RenderFiles files);

// Reads the next option like cli_next_option and takes the shared ones itself; a bad value of
// one ("-m given twice: a.json and b.json", "--exact and --fast exclude each other") and, after
// the last option, a missing -m ("no model given (-m MODEL)"), -i or second file (the messages
// in rc->files) print
// "prog: what (see --help)". Returns the tool's next option, CLI_END, or CLI_EXIT (exit with
// rc->reader.status). Main thread; no allocation.
int render_cli_next(RenderCli *rc, int argc, char **argv);

// Loads -m's model into m (initialised here). Returns 0, or prints "prog: why" on stderr and
// returns EXIT_FAILURE, the tool's status for a file it cannot use.
int render_cli_load_model(const RenderCli *rc, ModelDesc *m);

#ifdef __cplusplus
}
#endif

#endif
