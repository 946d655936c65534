// SPDX-License-Identifier: ISC
// One way for the tools to report a failure: their library functions write a printf-style
// message into the caller's buffer (which may be NULL); the programs print it after their name
// on stderr and exit with the status that says what went wrong. Any thread; no allocation.
#ifndef LSTM_TOOL_ERROR_H
#define LSTM_TOOL_ERROR_H

#include <stddef.h>

// The size of the message buffers the programs hand to their libraries.
enum { TOOL_ERR_LEN = 512 };

void tool_error_set(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

// "prog: msg" on stderr; returns EXIT_FAILURE (1: a file or model could not be used).
int tool_fail(const char *prog, const char *msg);

// "prog: msg (see --help)" on stderr; returns 2 (the command line is wrong).
int tool_fail_usage(const char *prog, const char *msg);

// Prints each line of a newline-separated list as "prog: label: line" on stderr (the warnings
// about a capture pair, the notes of a conversion).
void tool_print_lines(const char *prog, const char *label, const char *lines);

// At a program's start: past a file-size limit (ulimit -f) a write then fails with EFBIG, and is
// reported and cleaned up like a full disk, instead of the signal killing the program and
// leaving temporary files behind.
void tool_survive_file_size_limit(void);

#endif
