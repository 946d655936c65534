// SPDX-License-Identifier: ISC
// The tools' command lines: one option reader that answers --help, --version and every
// refusal alike (cli_next_option), and strict parsing of values: the whole argument must be a
// number within range, so that "--max-delay 10x" or "--preemph abc" is refused rather than read
// as 10 or 0.
#ifndef LSTM_TOOLS_CLI_PARSE_H
#define LSTM_TOOLS_CLI_PARSE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct option; // getopt.h

// Parses s as a base-10 integer in lo..hi. Returns 0, or -1 with a message naming opt
// ("--max-delay 10x: not a whole number"). Any thread; no allocation.
int cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out, char *err,
                   size_t err_len);

// Parses s as a finite number in lo..hi. Returns 0, or -1 with a message naming opt.
int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out, char *err,
                     size_t err_len);

// Takes the value of a file option into *slot: refuses an empty path ("-m: an empty path")
// and a second value for the same option ("-m given twice: a.json and b.json"), which would
// otherwise silently win. Returns 0, or -1 with a message naming opt. Any thread.
int cli_take_path(const char *opt, const char *arg, const char **slot, char *err, size_t err_len);

// The same for any text option; what names it in the message ("--author: an empty name").
int cli_take_value(const char *opt, const char *arg, const char *what, const char **slot, char *err,
                   size_t err_len);

// A tool's command line as cli_next_option reads it.
typedef struct {
	const char *prog;              // the name in messages and in --version
	const char *optstring;         // getopt_long's; starts with ':' (getopt prints nothing)
	const struct option *longopts; // ends with CLI_LONGOPTS_END
	void (*usage)(FILE *f);        // the --help text
	int operands;                  // words the tool takes after its options (0 unless set)
	const char *version_note;      // after "prog VERSION" on --version ("(signal version 1)")
	int status;                    // after CLI_EXIT: what the tool exits with (0 or 2)
} CliReader;

enum {
	CLI_END = -1,  // the options are read and no word is left over
	CLI_EXIT = -2, // the tool is done: exit with the reader's status
};

// The last entries of a tool's getopt_long table: -h/--help and -V/--version, which
// cli_next_option answers itself, and the terminator.
// clang-format off
#define CLI_LONGOPTS_END                                                                       \
	{"help", no_argument, NULL, 'h'},                                                          \
	{"version", no_argument, NULL, 'V'},                                                       \
	{NULL, 0, NULL, 0}
// clang-format on

// Prints "prog: msg (see --help)" on stderr and sets the status of a refused command line (2).
// Returns CLI_EXIT.
int cli_refuse(CliReader *r, const char *msg);

// A reader for a tool: its name, getopt_long's optstring and table, and its usage text. It takes
// no operands and adds no note to the version until the tool sets those fields.
CliReader cli_reader(const char *prog, const char *optstring, const struct option *longopts,
                     void (*usage)(FILE *f));

// Reads the next option of argv with getopt_long and does what every tool does alike, so that
// its caller sees only its own options: --help prints the usage on stdout and --version "prog
// VERSION" (the project's), then CLI_EXIT with status 0; an unknown option, a missing value
// ("-m needs a value") or a word beyond the tool's operands ("unexpected argument 'extra.wav'")
// prints "prog: what (see --help)" on stderr, then CLI_EXIT with status 2. Returns the tool's
// next option (optarg holds its value), CLI_END after the last, or CLI_EXIT. After CLI_END the
// operands, at most r->operands of them (a tool checks for too few itself), are
// argv[optind .. argc - 1]. Main thread: getopt's state is global.
int cli_next_option(CliReader *r, int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
