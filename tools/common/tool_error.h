// SPDX-License-Identifier: ISC
// One way for the tools' library functions to report a failure: a printf-style message into
// the caller's buffer (which may be NULL). Any thread; no allocation.
#ifndef LSTM_TOOL_ERROR_H
#define LSTM_TOOL_ERROR_H

#include <stddef.h>

void tool_error_set(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
