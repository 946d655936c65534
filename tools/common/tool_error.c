// SPDX-License-Identifier: ISC
// tool_error_set(): the shared error-message writer of tools/common.
#include "tool_error.h"

#include <stdarg.h>
#include <stdio.h>

void tool_error_set(char *err, size_t err_len, const char *fmt, ...)
{
	if (!err || err_len == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
}
