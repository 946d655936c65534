// SPDX-License-Identifier: ISC
// The options of lstm-apply and lstm-esr that set up a render (render_cli.h).
#include "render_cli.h"

#include "cli_parse.h"
#include "tool_error.h"

void render_cli_init(RenderCli *rc)
{
	*rc = (RenderCli){.ro = {lstm_net_default_options(), NULL, 0, 0, 0, 0}};
	rc->ro.knobs = rc->knobs;
	rc->ro.net.activations = LSTM_ACT_EXACT;
}

int render_cli_option(RenderCli *rc, int c, const char *arg, char *err, size_t err_len)
{
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
