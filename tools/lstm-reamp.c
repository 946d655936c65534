// SPDX-License-Identifier: ISC
// lstm-reamp: writes the standard capture signal (reamp_signal.h) for users to play through
// their device, and prints its layout. lstm-train recognises a recording of it by its input
// and then takes the latency from the blips and checks the two validation clips against each
// other.
//
// Exit status: 0 written, 1 could not write, 2 bad command line.
#include "audio_file.h"
#include "cli_parse.h"
#include "reamp_signal.h"
#include "tool_error.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const PROG = "lstm-reamp";

static void usage(FILE *f)
{
	fputs("Usage: lstm-reamp [--rate HZ] [--force] OUTPUT.wav\n"
	      "Writes the standard capture signal (32-bit float WAV, mono, about 3 minutes): play it\n"
	      "through the device, record the device's output, and train on the pair:\n"
	      "  lstm-train -i OUTPUT.wav -t recorded.wav -o model.json\n"
	      "  -r, --rate HZ    sample rate (48000); record at the same rate\n"
	      "  -f, --force      replace OUTPUT if it exists\n"
	      "  -V, --version    show the version\n"
	      "  -h, --help       show this help\n"
	      "Set the reamp level so that the 1 kHz tone at 3-5 s (-12 dBFS peak) reaches the device\n"
	      "at the level of your loudest playing, and record without clipping.\n",
	      f);
}

static void print_layout(const ReampLayout *l)
{
	const double r = l->sample_rate;
	printf("lstm-reamp: %.1f s at %.0f Hz:\n", (double)l->frames / r, r);
	printf("  %5.2f-%5.2f s  silence (noise floor)\n", 0.0, (double)l->blip[0] / r);
	printf("  %5.2f-%5.2f s  %d blips, %.2f s apart (latency)\n", (double)l->blip[0] / r,
	       (double)l->tone_from / r, REAMP_BLIPS, (double)l->blip_spacing / r);
	printf("  %5.2f-%5.2f s  1 kHz tone, -12 dBFS peak (level calibration)\n",
	       (double)l->tone_from / r, (double)l->tone_to / r);
	printf("  %5.2f-%5.2f s  pink noise, -48 to -17 dBFS RMS\n", (double)l->tone_to / r,
	       (double)l->clip_a_from / r);
	printf("  %5.2f-%5.2f s  validation clip A\n", (double)l->clip_a_from / r,
	       (double)l->clip_a_to / r);
	printf("  %5.2f-%5.2f s  training material: sweeps, notes, chords, strums\n",
	       (double)l->train_from / r, (double)l->train_to / r);
	printf("  %5.2f-%5.2f s  validation clip B (the same as A)\n", (double)l->clip_b_from / r,
	       (double)l->clip_b_to / r);
}

int main(int argc, char **argv)
{
	tool_survive_file_size_limit();
	static const struct option longopts[] = {
		{"rate", required_argument, NULL, 'r'},
		{"force", no_argument, NULL, 'f'},
		CLI_LONGOPTS_END,
	};
	char note[32], err[TOOL_ERR_LEN];
	snprintf(note, sizeof note, "(signal version %d)", REAMP_SIGNAL_VERSION);
	CliReader reader = cli_reader(PROG, ":r:fhV", longopts, usage);
	reader.operands = 1;
	reader.version_note = note;
	double rate = 48000.0;
	int force = 0, rate_given = 0, c;
	while ((c = cli_next_option(&reader, argc, argv)) >= 0) {
		switch (c) {
		case 'r':
			if (rate_given++)
				return tool_fail_usage(PROG, "--rate given twice");
			if (cli_parse_double("--rate", optarg, 8000.0, 384000.0, &rate, err, sizeof err))
				return tool_fail_usage(PROG, err);
			break;
		case 'f': force = 1; break;
		}
	}
	if (c == CLI_EXIT)
		return reader.status;
	if (optind == argc)
		return tool_fail_usage(PROG, "no OUTPUT given");
	const char *out = argv[optind];
	if (!*out)
		return tool_fail_usage(PROG, "OUTPUT: an empty path");
	AudioBuffer a;
	if (reamp_signal_render(rate, &a) != 0)
		return tool_fail(PROG, "out of memory");
	const int rc = audio_file_write(out, &a, force, err, sizeof err);
	audio_buffer_free(&a);
	if (rc != 0)
		return tool_fail(PROG, err);
	ReampLayout l;
	reamp_signal_layout(rate, &l);
	print_layout(&l);
	return EXIT_SUCCESS;
}
