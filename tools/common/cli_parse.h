// SPDX-License-Identifier: ISC
// Strict parsing of command-line numbers for the tools: the whole argument must be a number
// within range, so that "--max-delay 10x" or "--preemph abc" is refused rather than read as 10
// or 0.
#ifndef LSTM_TOOLS_CLI_PARSE_H
#define LSTM_TOOLS_CLI_PARSE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

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

// What getopt_long refused, right after it returned ':' or '?' (it prints nothing when its
// optstring starts with ':'): "-m needs a value", "unknown option '-x'" or "unknown option
// '--bogus'". Returns err.
const char *cli_option_error(int c, char *const *argv, char *err, size_t err_len);

// "unexpected argument 'extra.wav'" when words are left after the options (argv[optind]
// onwards), else NULL.
const char *cli_extra_argument(int argc, char *const *argv, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
