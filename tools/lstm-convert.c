// SPDX-License-Identifier: ISC
// lstm-convert: reads any model file the project understands (its own format, AIDA-X/RTNeural
// Keras JSON, GuitarML state_dict JSON, NAM LSTM) and writes it in the project's format, as
// AIDA-X JSON (with an input_batch/output_batch pair) or as a NAM .nam file. The input's
// reference pair, if any, is checked on load; the converted document is imported again and its
// own pair checked before anything is written. Output is written atomically (temporary file,
// then rename) and an existing file is replaced only with --force. With --info it writes
// nothing and prints what the file says about itself (model_info.h).
//
// Exit status: 0 converted (or described), 1 the input or the conversion failed, 2 bad
// command line.
#include "cli_parse.h"
#include "json_file.h"
#include "lstm_net.h"
#include "model_export.h"
#include "model_file.h"
#include "model_info.h"
#include "model_import.h"
#include "model_load.h"
#include "model_selftest.h"
#include "tool_error.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const PROG = "lstm-convert";

typedef enum { TARGET_NONE, TARGET_LSTM, TARGET_AIDAX, TARGET_NAM } Target;

static void usage(FILE *f)
{
	fputs("Usage: lstm-convert [--force] [--to aidax|nam|lstm] INPUT OUTPUT\n"
	      "       lstm-convert --info MODEL\n"
	      "Converts a model file (lstm-lv2, AIDA-X/RTNeural, GuitarML state_dict or NAM LSTM;\n"
	      "the format is read from the content) to the project's format (lstm), AIDA-X JSON\n"
	      "(aidax) or a NAM .nam file (nam).\n"
	      "  -t, --to FORMAT  output format; optional when OUTPUT ends in .nam, .aidax,\n"
	      "                   .aidadspmodel or .lstm.json\n"
	      "  -f, --force      replace OUTPUT if it exists\n"
	      "      --nam-skip-unit  for a model that adds its input to its output (NAM has no\n"
	      "                   skip connection): carry the input in one more LSTM unit per\n"
	      "                   layer, to within 1e-6 per layer (see docs/interop.md)\n"
	      "  -i, --info       print the model's format, network, rate, latency, levels,\n"
	      "                   knobs and every metadata field, after checking it loads\n"
	      "  -q, --quiet      print nothing but errors\n"
	      "  -h, --help       show this help\n"
	      "  -V, --version    show the version\n",
	      f);
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

static Target target_from_name(const char *s)
{
	if (!strcmp(s, "aidax") || !strcmp(s, "keras") || !strcmp(s, "aida-x"))
		return TARGET_AIDAX;
	if (!strcmp(s, "nam"))
		return TARGET_NAM;
	if (!strcmp(s, "lstm") || !strcmp(s, "lstm-lv2"))
		return TARGET_LSTM;
	return TARGET_NONE;
}

static Target target_from_path(const char *path)
{
	if (ends_with(path, ".nam"))
		return TARGET_NAM;
	if (ends_with(path, ".aidax") || ends_with(path, ".aidadspmodel"))
		return TARGET_AIDAX;
	if (ends_with(path, ".lstm.json"))
		return TARGET_LSTM;
	return TARGET_NONE;
}

// Builds the exported document and checks that it imports back and passes its own pair.
static ModelStatus export_checked(const ModelDesc *m, Target to, const NamExportOptions *nam_opt,
                                  json_t **doc, ModelError *err)
{
	ModelStatus st = to == TARGET_NAM ? model_export_nam_with(m, nam_opt, doc, err)
	                                  : model_export_keras(m, doc, err);
	if (st)
		return st;
	ModelDesc back;
	st = model_import_json(*doc, &back, err);
	if (!st)
		st = model_selftest_run(&back, NULL, err);
	model_desc_free(&back);
	if (st) {
		json_decref(*doc);
		*doc = NULL;
	}
	return st;
}

int main(int argc, char **argv)
{
	tool_survive_file_size_limit();
	enum { OPT_NAM_SKIP_UNIT = 256 };
	static const struct option longopts[] = {
		{"to", required_argument, NULL, 't'},
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"nam-skip-unit", no_argument, NULL, OPT_NAM_SKIP_UNIT},
		{"info", no_argument, NULL, 'i'},
		CLI_LONGOPTS_END,
	};
	const char *to_name = NULL;
	int force = 0, quiet = 0, info = 0, c;
	NamExportOptions nam_opt = {0};
	CliReader reader = cli_reader(PROG, ":t:fiqhV", longopts, usage);
	reader.operands = 2;
	char msg[TOOL_ERR_LEN];
	while ((c = cli_next_option(&reader, argc, argv)) >= 0) {
		switch (c) {
		case 't':
			if (cli_take_value("--to", optarg, "format", &to_name, msg, sizeof msg) != 0)
				return tool_fail_usage(PROG, msg);
			break;
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case OPT_NAM_SKIP_UNIT: nam_opt.skip_unit = 1; break;
		case 'i': info = 1; break;
		}
	}
	if (c == CLI_EXIT)
		return reader.status;
	Target to = to_name ? target_from_name(to_name) : TARGET_NONE;
	if (to_name && to == TARGET_NONE) {
		snprintf(msg, sizeof msg, "--to %s: unknown format (aidax, nam or lstm)", to_name);
		return tool_fail_usage(PROG, msg);
	}
	const int operands = argc - optind;
	if (info) {
		if (to_name || force || nam_opt.skip_unit || operands != 1)
			return tool_fail_usage(PROG, "--info takes one MODEL and no other option");
		if (!*argv[optind])
			return tool_fail_usage(PROG, "MODEL: an empty path");
		ModelError err = {MODEL_OK, ""};
		if (model_info_print(argv[optind], stdout, &err) != MODEL_OK)
			return tool_fail(PROG, err.message);
		return EXIT_SUCCESS;
	}
	if (operands != 2) {
		snprintf(msg, sizeof msg, "expected INPUT and OUTPUT, got %d argument(s)", operands);
		return tool_fail_usage(PROG, msg);
	}
	const char *in = argv[optind], *out = argv[optind + 1];
	if (!*in || !*out)
		return tool_fail_usage(PROG, !*in ? "INPUT: an empty path" : "OUTPUT: an empty path");
	// An output named for one format and asked to be another would not load where its name
	// says it belongs.
	const Target named = target_from_path(out);
	if (to != TARGET_NONE && named != TARGET_NONE && named != to) {
		snprintf(msg, sizeof msg,
		         "--to and %s disagree: its name is for another format; rename it or drop --to",
		         out);
		return tool_fail_usage(PROG, msg);
	}
	if (to == TARGET_NONE)
		to = named;
	if (to == TARGET_NONE) {
		snprintf(msg, sizeof msg, "%s: say --to aidax, nam or lstm (the name does not tell)", out);
		return tool_fail_usage(PROG, msg);
	}

	ModelDesc m;
	ModelError err = {MODEL_OK, ""};
	if (model_load_file(in, &m, &err) != MODEL_OK)
		return tool_fail(PROG, err.message);
	char notes[1024] = "";
	ModelStatus st;
	if (to == TARGET_LSTM) {
		st = model_write_file(out, &m, force, &err);
	} else {
		json_t *doc = NULL;
		if (to == TARGET_NAM)
			model_export_nam_notes(&m, &nam_opt, notes, sizeof notes);
		else
			model_export_keras_notes(&m, notes, sizeof notes);
		st = export_checked(&m, to, &nam_opt, &doc, &err);
		if (!st)
			st = json_file_write(out, doc, force, &err);
		json_decref(doc);
	}
	if (st) {
		// Write errors already start with the output's name; export errors name a key path.
		if (strncmp(err.message, out, strlen(out)) == 0)
			snprintf(msg, sizeof msg, "%s", err.message);
		else
			snprintf(msg, sizeof msg, "%s: %s", in, err.message);
		model_desc_free(&m);
		return tool_fail(PROG, msg);
	}
	if (!quiet) {
		tool_print_lines(PROG, "note", notes);
		printf("%s -> %s: %s, %d %s layer(s) of %d, %d input(s), skip %d, %g Hz\n", in, out,
		       to == TARGET_NAM     ? "NAM"
		       : to == TARGET_AIDAX ? "AIDA-X"
		                            : "lstm-lv2",
		       m.num_layers, model_cell_name(m.layers[0].cell), m.layers[0].hidden, m.inputs,
		       m.skip, m.sample_rate);
	}
	model_desc_free(&m);
	return EXIT_SUCCESS;
}
