// SPDX-License-Identifier: ISC
// strtol/strtod with full-string, range and finiteness checks.
#include "cli_parse.h"
#include "tool_error.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int cli_parse_long(const char *opt, const char *s, long lo, long hi, long *out, char *err,
                   size_t err_len)
{
	char *end = NULL;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || end == s || *end != '\0' || errno == ERANGE) {
		tool_error_set(err, err_len, "%s %s: not a whole number", opt, s ? s : "");
		return -1;
	}
	if (v < lo || v > hi) {
		tool_error_set(err, err_len, "%s %s: outside %ld..%ld", opt, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out, char *err,
                     size_t err_len)
{
	char *end = NULL;
	errno = 0;
	double v = s ? strtod(s, &end) : 0.0;
	if (!s || !*s || end == s || *end != '\0' || errno == ERANGE || !isfinite(v)) {
		tool_error_set(err, err_len, "%s %s: not a number", opt, s ? s : "");
		return -1;
	}
	if (v < lo || v > hi) {
		tool_error_set(err, err_len, "%s %s: outside %g..%g", opt, s, lo, hi);
		return -1;
	}
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

const char *cli_option_error(int c, char *const *argv, char *err, size_t err_len)
{
	if (c == ':')
		snprintf(err, err_len, "%s needs a value", argv[optind - 1]);
	else if (optopt)
		snprintf(err, err_len, "unknown option '-%c'", optopt);
	else
		snprintf(err, err_len, "unknown option '%s'", argv[optind - 1]);
	return err;
}

const char *cli_extra_argument(int argc, char *const *argv, char *err, size_t err_len)
{
	if (optind >= argc)
		return NULL;
	snprintf(err, err_len, "unexpected argument '%s'", argv[optind]);
	return err;
}
