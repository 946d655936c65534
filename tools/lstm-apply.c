// SPDX-License-Identifier: ISC
// lstm-apply: renders an audio file through a model offline, exactly as the engine runs it in
// the plugin (input level, network, output level), and writes a 32-bit float WAV atomically.
// Exit status: 0 done, 1 a file or model could not be used, 2 the command line is wrong.
#include "atomic_file.h"
#include "audio_file.h"
#include "cli_parse.h"
#include "rate_player.h"
#include "render_cli.h"
#include "tool_error.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const PROG = "lstm-apply";

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s -m MODEL -i INPUT -o OUTPUT [options]\n"
	        "Render an audio file through a model (any format lstm-lv2 loads) offline.\n"
	        "\n" RENDER_CLI_HELP_MODEL
	        "  -i, --input FILE     audio in (WAV, FLAC, AIFF...): mono, or one channel per\n"
	        "                       model input (audio first, then the knob values)\n"
	        "  -o, --output FILE    32-bit float WAV out, mono, written atomically\n"
	        "  -f, --force          replace OUTPUT if it exists\n" RENDER_CLI_HELP_ENGINE
	        "      --rate-mode M    play the model at INPUT's rate when that is not the\n"
	        "                       model's; M: auto (the measured best: resample),\n"
	        "                       resample (around the network) or correct (state\n"
	        "                       correction, above the model's rate); OUTPUT is at\n"
	        "                       INPUT's rate, lined up with it (docs/sample-rates.md)\n"
	        "      --remove-latency shift OUTPUT earlier by the model's own latency (its\n"
	        "                       file's latency_samples, rounded to whole samples at\n"
	        "                       INPUT's rate) so it lines up with the captured device;\n"
	        "                       the end is the model's output for silence after INPUT\n"
	        "  -q, --quiet          print nothing but errors\n"
	        "  -h, --help           show this help\n"
	        "  -V, --version        show the version\n"
	        "\n"
	        "Examples:\n"
	        "  %s -m ts9.lstm.json -i dry.wav -o wet.wav\n"
	        "  %s -m amp.lstm.json -i di.flac -o out.wav --knob Gain=0.8 --knob Tone=0.3\n"
	        "  %s -m ts9.lstm.json -i dry.wav -o wet.wav --force --fast\n"
	        "  %s -m ts9-48k.lstm.json -i dry96k.wav -o wet96k.wav --rate-mode auto\n"
	        "\n"
	        "Exit status: 0 done, 1 a file or the model could not be used, 2 bad command line.\n",
	        PROG, PROG, PROG, PROG, PROG);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	tool_survive_file_size_limit();
	enum { OPT_RATE_MODE = RENDER_OPT_NEXT, OPT_REMOVE_LATENCY };
	static const struct option longopts[] = {
		RENDER_CLI_LONGOPTS,
		{"output", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"rate-mode", required_argument, NULL, OPT_RATE_MODE},
		{"remove-latency", no_argument, NULL, OPT_REMOVE_LATENCY},
		{"quiet", no_argument, NULL, 'q'},
		CLI_LONGOPTS_END,
	};
	int force = 0, quiet = 0;
	RenderCli cli;
	render_cli_init(
		&cli, cli_reader(PROG, ":m:i:o:fk:qhV", longopts, usage),
		(RenderFiles){"no input file given (-i INPUT)", 'o', "no output file given (-o OUTPUT)"});
	RenderOptions *const ro = &cli.ro;
	char err[TOOL_ERR_LEN];

	int c;
	while ((c = render_cli_next(&cli, argc, argv)) >= 0) {
		switch (c) {
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case OPT_REMOVE_LATENCY: ro->remove_latency = 1; break;
		case OPT_RATE_MODE: {
			RateMode mode;
			if (rate_mode_parse(optarg, &mode) != 0) {
				snprintf(err, sizeof err, "--rate-mode %s: unknown (use auto, resample or correct)",
				         optarg);
				return tool_fail_usage(PROG, err);
			}
			ro->rate_mode = 1 + (int)mode;
			break;
		}
		}
	}
	if (c == CLI_EXIT)
		return cli.reader.status;
	const char *out_path = cli.second_path;
	if (ro->rate_mode && ro->ignore_rate)
		return tool_fail_usage(PROG, "--rate-mode and --ignore-rate exclude each other");

	// Check the destination before spending time on the rendering.
	AtomicFile *probe = atomic_file_open(out_path, force, err, sizeof err);
	if (!probe)
		return tool_fail(PROG, err);
	atomic_file_abort(probe);

	ModelDesc model;
	if (render_cli_load_model(&cli, &model) != 0)
		return EXIT_FAILURE;

	int rc = EXIT_FAILURE;
	AudioBuffer in = {0}, out = {0};
	if (audio_file_read(cli.in_path, &in, err, sizeof err) != 0) {
		tool_fail(PROG, err);
		goto done;
	}
	double t0 = now_seconds();
	if (model_render(&model, ro, &in, cli.in_path, &out, err, sizeof err) != 0) {
		tool_fail(PROG, err);
		goto done;
	}
	double secs = now_seconds() - t0;
	if (audio_file_write(out_path, &out, force, err, sizeof err) != 0) {
		tool_fail(PROG, err);
		goto done;
	}
	if (!quiet) {
		double dur = (double)out.frames / out.sample_rate;
		fprintf(stderr, "%s: wrote %s: %ld frames (%.2f s) in %.2f s, %.0fx real time (%s, %s)\n",
		        PROG, out_path, out.frames, dur, secs, secs > 0.0 ? dur / secs : 0.0,
		        ro->net.activations == LSTM_ACT_EXACT ? "exact" : "fast",
		        lstm_isa_name(ro->net.isa));
	}
	rc = EXIT_SUCCESS;
done:
	audio_buffer_free(&in);
	audio_buffer_free(&out);
	model_desc_free(&model);
	return rc;
}
