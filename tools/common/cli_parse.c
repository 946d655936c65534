// SPDX-License-Identifier: ISC
// The option reader every tool shares, and strtol/strtod with full-string, range and finiteness
// checks (cli_parse.h).
#include "cli_parse.h"
#include "tool_error.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

// The reading both parsers share: all of s must be one number the type holds, strtol's base-10
// integer when whole (into *l), else strtod's finite real (into *d). Returns 0, or -1 with
// "opt s: not a whole number" or "opt s: not a number".
static int read_number(const char *opt, const char *s, int whole, long *l, double *d, char *err,
                       size_t err_len)
{
	char *end = NULL;
	errno = 0;
	if (s && whole)
		*l = strtol(s, &end, 10);
	else if (s)
		*d = strtod(s, &end);
	if (!s || !*s || end == s || *end != '\0' || errno == ERANGE || (!whole && !isfinite(*d))) {
		tool_error_set(err, err_len, "%s %s: not a %snumber", opt, s ? s : "",
		               whole ? "whole " : "");
		return -1;
	}
	return 0;
}

int cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out, char *err,
                   size_t err_len)
{
	long v;
	if (read_number(opt, s, 1, &v, NULL, err, err_len) != 0)
		return -1;
	if (v < lo || v > hi)
		return tool_error_set(err, err_len, "%s %s: outside %ld..%ld", opt, s, lo, hi), -1;
	*out = v;
	return 0;
}

int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out, char *err,
                     size_t err_len)
{
	double v;
	if (read_number(opt, s, 0, NULL, &v, err, err_len) != 0)
		return -1;
	if (v < lo || v > hi)
		return tool_error_set(err, err_len, "%s %s: outside %g..%g", opt, s, lo, hi), -1;
	*out = v;
	return 0;
}

int cli_take_path(const char *opt, const char *arg, const char **slot, char *err, size_t err_len)
{
	return cli_take_value(opt, arg, "path", slot, err, err_len);
}

int cli_take_value(const char *opt, const char *arg, const char *what, const char **slot, char *err,
                   size_t err_len)
{
	if (!arg || !*arg)
		return tool_error_set(err, err_len, "%s: an empty %s", opt, what), -1;
	if (*slot)
		return tool_error_set(err, err_len, "%s given twice: %s and %s", opt, *slot, arg), -1;
	*slot = arg;
	return 0;
}

// What getopt_long refused, right after it returned ':' or '?': "-m needs a value", "unknown
// option '-x'" or "unknown option '--bogus'". Returns err.
static const char *option_error(int c, char *const *argv, char *err, size_t err_len)
{
	if (c == ':')
		snprintf(err, err_len, "%s needs a value", argv[optind - 1]);
	else if (optopt)
		snprintf(err, err_len, "unknown option '-%c'", optopt);
	else
		snprintf(err, err_len, "unknown option '%s'", argv[optind - 1]);
	return err;
}

CliReader cli_reader(const char *prog, const char *optstring, const struct option *longopts,
                     void (*usage)(FILE *f))
{
	return (CliReader){.prog = prog, .optstring = optstring, .longopts = longopts, .usage = usage};
}

int cli_refuse(CliReader *r, const char *msg)
{
	r->status = tool_fail_usage(r->prog, msg);
	return CLI_EXIT;
}

int cli_next_option(CliReader *r, int argc, char **argv)
{
	char err[TOOL_ERR_LEN];
	opterr = 0;
	const int c = getopt_long(argc, argv, r->optstring, r->longopts, NULL);
	switch (c) {
	case -1:
		if (argc - optind <= r->operands)
			return CLI_END;
		snprintf(err, sizeof err, "unexpected argument '%s'", argv[optind + r->operands]);
		return cli_refuse(r, err);
	case 'h':
		r->usage(stdout);
		r->status = EXIT_SUCCESS;
		return CLI_EXIT;
	case 'V':
		if (r->version_note)
			printf("%s %s %s\n", r->prog, LSTM_VERSION, r->version_note);
		else
			printf("%s %s\n", r->prog, LSTM_VERSION);
		r->status = EXIT_SUCCESS;
		return CLI_EXIT;
	case ':':
	case '?': return cli_refuse(r, option_error(c, argv, err, sizeof err));
	default: return c;
	}
}
