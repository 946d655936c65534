// SPDX-License-Identifier: ISC
// The options of lstm-apply and lstm-esr that set up a render (render_cli.h).
#include "render_cli.h"

#include "cli_parse.h"
#include "model_load.h"
#include "tool_error.h"

#include <getopt.h>

void render_cli_init(RenderCli *rc, CliReader reader, RenderFiles files)
{
	*rc = (RenderCli){
		.reader = reader, .files = files, .ro = {lstm_net_default_options(), NULL, 0, 0, 0, 0}};
	rc->ro.knobs = rc->knobs;
	rc->ro.net.activations = LSTM_ACT_EXACT;
}

// Takes option c with its value arg when it is one of the shared ones. Returns 1 when taken, 0
// when c is not one of them, or -1 with a message.
static int take_option(RenderCli *rc, int c, const char *arg, char *err, size_t err_len)
{
	if (c == rc->files.second) {
		const char name[] = {'-', (char)c, '\0'};
		return cli_take_path(name, arg, &rc->second_path, err, err_len) != 0 ? -1 : 1;
	}
	switch (c) {
	case 'm': return cli_take_path("-m", arg, &rc->model_path, err, err_len) != 0 ? -1 : 1;
	case 'i': return cli_take_path("-i", arg, &rc->in_path, err, err_len) != 0 ? -1 : 1;
	case 'k':
		return render_knob_add(arg, rc->knobs, &rc->ro.num_knobs, RENDER_MAX_KNOBS, err, err_len)
		               != 0
		           ? -1
		           : 1;
	case RENDER_OPT_EXACT:
	case RENDER_OPT_FAST: {
		LstmActivations a = c == RENDER_OPT_EXACT ? LSTM_ACT_EXACT : LSTM_ACT_FAST;
		if (rc->act_set && rc->ro.net.activations != a)
			return tool_error_set(err, err_len, "--exact and --fast exclude each other"), -1;
		rc->ro.net.activations = a;
		rc->act_set = 1;
		return 1;
	}
	case RENDER_OPT_ISA: return render_isa_parse(arg, &rc->ro.net.isa, err, err_len) != 0 ? -1 : 1;
	case RENDER_OPT_IGNORE_RATE: rc->ro.ignore_rate = 1; return 1;
	default: return 0;
	}
}

int render_cli_next(RenderCli *rc, int argc, char **argv)
{
	char err[TOOL_ERR_LEN];
	int c;
	while ((c = cli_next_option(&rc->reader, argc, argv)) >= 0) {
		const int taken = take_option(rc, c, optarg, err, sizeof err);
		if (taken < 0)
			return cli_refuse(&rc->reader, err);
		if (!taken)
			return c;
	}
	if (c == CLI_END && !rc->model_path)
		return cli_refuse(&rc->reader, "no model given (-m MODEL)");
	if (c == CLI_END && !rc->in_path)
		return cli_refuse(&rc->reader, rc->files.no_input);
	if (c == CLI_END && !rc->second_path)
		return cli_refuse(&rc->reader, rc->files.no_second);
	return c;
}

int render_cli_load_model(const RenderCli *rc, ModelDesc *m)
{
	ModelError err;
	model_desc_init(m);
	if (model_load_file(rc->model_path, m, &err) != MODEL_OK)
		return tool_fail(rc->reader.prog, err.message);
	return 0;
}
