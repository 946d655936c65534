// SPDX-License-Identifier: ISC
// lstm-esr: scores a model on a dry/wet pair. The pair is loaded and checked like training
// data (capture_pair.h: delay found and compensated), the dry file is rendered through the
// model as lstm-apply would, and the error-to-signal ratio against the wet file is printed,
// plain and pre-emphasised. Exit status: 0 done, 1 a file or the model could not be used,
// 2 the command line is wrong.
#include "capture_pair.h"
#include "cli_parse.h"
#include "esr.h"
#include "render_cli.h"
#include "tool_error.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const PROG = "lstm-esr";

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s -m MODEL -i DRY -t WET [options]\n"
	        "Print a model's error-to-signal ratio (ESR) on a dry/wet pair: the energy of\n"
	        "(model output - WET) over the energy of WET, plain and pre-emphasised.\n"
	        "\n" RENDER_CLI_HELP_MODEL
	        "  -i, --input FILE     the dry signal sent into the device\n"
	        "  -t, --target FILE    what the device gave back (mono)\n"
	        "      --trim           cut both to the shorter length if they differ\n"
	        "      --no-delay-comp  do not shift WET by the delay found\n"
	        "      --max-delay N    largest delay searched, samples (default 4800)\n"
	        "      --shift N        move WET earlier by N samples (later when N < 0) instead\n"
	        "                       of by the delay found: a second take aligned as the\n"
	        "                       training take was (the model's training.shift_samples)\n"
	        "      --skip N         leave the first N frames out of the score (warm-up)\n"
	        "      --preemph A      pre-emphasis 1 - A z^-1 for the second figure\n"
	        "                       (default 0.95)\n" RENDER_CLI_HELP_ENGINE
	        "  -h, --help           show this help\n"
	        "  -V, --version        show the version\n"
	        "\n"
	        "Output (stdout), one figure a line:\n"
	        "  frames 480000      frames scored\n"
	        "  delay 2            lag of WET found by cross-correlation, samples\n"
	        "  shifted 0          how far WET was shifted (lags under 8 are the device's\n"
	        "                     own filtering and are left in place)\n"
	        "  esr 0.0123\n  esr_preemph 0.0456\n"
	        "Warnings about the pair (delay, clipping, inversion) go to stderr.\n"
	        "\n"
	        "Examples:\n"
	        "  %s -m ts9.lstm.json -i dry.wav -t wet.wav\n"
	        "  %s -m amp.lstm.json -i di.flac -t amp.flac --knob Gain=0.8 --skip 4800\n"
	        "\n"
	        "Exit status: 0 done, 1 a file or the model could not be used, 2 bad command line.\n",
	        PROG, PROG, PROG);
}

int main(int argc, char **argv)
{
	tool_survive_file_size_limit();
	enum {
		OPT_TRIM = RENDER_OPT_NEXT,
		OPT_NO_DELAY,
		OPT_MAX_DELAY,
		OPT_SKIP,
		OPT_PREEMPH,
		OPT_SHIFT,
	};
	static const struct option longopts[] = {
		RENDER_CLI_LONGOPTS,
		{"target", required_argument, NULL, 't'},
		{"trim", no_argument, NULL, OPT_TRIM},
		{"no-delay-comp", no_argument, NULL, OPT_NO_DELAY},
		{"max-delay", required_argument, NULL, OPT_MAX_DELAY},
		{"shift", required_argument, NULL, OPT_SHIFT},
		{"skip", required_argument, NULL, OPT_SKIP},
		{"preemph", required_argument, NULL, OPT_PREEMPH},
		CLI_LONGOPTS_END,
	};
	long skip = 0, max_delay = 4800;
	double preemph = ESR_PREEMPH_DEFAULT;
	RenderCli cli;
	render_cli_init(&cli, cli_reader(PROG, ":m:i:t:k:hV", longopts, usage),
	                (RenderFiles){"no dry file given (-i DRY)", 't', "no wet file given (-t WET)"});
	CapturePairOptions po = capture_pair_default_options();
	po.input_channels = 0; // model_render() checks the channels against the model
	char err[TOOL_ERR_LEN];

	int c;
	while ((c = render_cli_next(&cli, argc, argv)) >= 0) {
		switch (c) {
		case OPT_TRIM: po.trim = 1; break;
		case OPT_NO_DELAY: po.compensate_delay = 0; break;
		case OPT_MAX_DELAY:
			if (cli_parse_long("--max-delay", optarg, 0, 480000, &max_delay, err, sizeof err) != 0)
				return tool_fail_usage(PROG, err);
			break;
		case OPT_SHIFT: {
			long v;
			if (cli_parse_long("--shift", optarg, -480000, 480000, &v, err, sizeof err) != 0)
				return tool_fail_usage(PROG, err);
			po.use_shift = 1;
			po.shift = (int)v;
			break;
		}
		case OPT_SKIP:
			if (cli_parse_long("--skip", optarg, 0, 1L << 30, &skip, err, sizeof err) != 0)
				return tool_fail_usage(PROG, err);
			break;
		case OPT_PREEMPH:
			if (cli_parse_double("--preemph", optarg, -1.0, 1.0, &preemph, err, sizeof err) != 0)
				return tool_fail_usage(PROG, err);
			break;
		}
	}
	if (c == CLI_EXIT)
		return cli.reader.status;
	po.max_delay = (int)max_delay;

	ModelDesc model;
	if (render_cli_load_model(&cli, &model) != 0)
		return EXIT_FAILURE;

	int rc = EXIT_FAILURE;
	CapturePair pair;
	AudioBuffer out = {0};
	memset(&pair, 0, sizeof pair);
	po.min_frames = skip + 2;
	if (capture_pair_load(cli.in_path, cli.second_path, &po, &pair, err, sizeof err) != 0) {
		tool_fail(PROG, err);
		goto done;
	}
	tool_print_lines(PROG, "warning", pair.warnings);
	if (model_render(&model, &cli.ro, &pair.input, cli.in_path, &out, err, sizeof err) != 0) {
		tool_fail(PROG, err);
		goto done;
	}
	long n = out.frames - skip;
	double esr = esr_compute(out.data + skip, pair.target.data + skip, n, 0.0);
	double esr_pre = esr_compute(out.data + skip, pair.target.data + skip, n, preemph);
	if (!isfinite(esr)) {
		snprintf(err, sizeof err, "%s: the target has no energy after frame %ld: ESR is undefined",
		         cli.second_path, skip);
		tool_fail(PROG, err);
		goto done;
	}
	printf("frames %ld\n", n);
	printf("delay %d\n", pair.delay);
	printf("shifted %d\n", pair.shifted);
	printf("esr %.6g\n", esr);
	printf("esr_preemph %.6g\n", esr_pre);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_fail(PROG, "cannot write to standard output");
		goto done;
	}
	rc = EXIT_SUCCESS;
done:
	capture_pair_free(&pair);
	audio_buffer_free(&out);
	model_desc_free(&model);
	return rc;
}
