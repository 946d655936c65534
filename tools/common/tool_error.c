// SPDX-License-Identifier: ISC
// tool_error_set(): the shared error-message writer of tools/common; tool_fail*(): the tools'
// one way to print a failure and choose the exit status.
#include "tool_error.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_USAGE = 2 };

void tool_error_set(char *err, size_t err_len, const char *fmt, ...)
{
	if (!err || err_len == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
}

int tool_fail(const char *prog, const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	return EXIT_FAILURE;
}

int tool_fail_usage(const char *prog, const char *msg)
{
	fprintf(stderr, "%s: %s (see --help)\n", prog, msg);
	return EXIT_USAGE;
}

void tool_print_lines(const char *prog, const char *label, const char *lines)
{
	const char *p = lines;
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(stderr, "%s: %s: %.*s\n", prog, label, len, p);
		p += len + (nl ? 1 : 0);
	}
}

void tool_survive_file_size_limit(void) { signal(SIGXFSZ, SIG_IGN); }
