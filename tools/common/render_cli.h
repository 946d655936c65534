// SPDX-License-Identifier: ISC
// The command-line options lstm-apply and lstm-esr share, read one way by both: -m MODEL,
// -i INPUT, -k NAME=VAL, --exact / --fast, --isa NAME and --ignore-rate. Each tool lists
// RENDER_CLI_LONGOPTS in its getopt_long table, numbers its own long options from
// RENDER_OPT_NEXT and hands every option to render_cli_option() before its own switch.
#ifndef LSTM_TOOLS_RENDER_CLI_H
#define LSTM_TOOLS_RENDER_CLI_H

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

// What the shared options set. ro.knobs points into knobs: set up with render_cli_init and
// not copied.
typedef struct {
	const char *model_path, *in_path;
	KnobSetting knobs[RENDER_MAX_KNOBS];
	RenderOptions ro; // libm activations unless --fast
	int act_set;      // --exact or --fast was given
} RenderCli;

void render_cli_init(RenderCli *rc);

// Takes option c (getopt_long's return) with its value arg when it is one of the shared ones.
// Returns 1 when taken, 0 when c is not one of them, or -1 with a message ("-m given twice:
// a.json and b.json", "--exact and --fast exclude each other"). Any thread; no allocation.
int render_cli_option(RenderCli *rc, int c, const char *arg, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
