// SPDX-License-Identifier: ISC
// The C tests' one check. CHECK counts a failure, says where and why, and goes on, so one run
// reports every broken case; REQUIRE also ends the test, for a check whose failure would make
// the next lines crash or mean nothing (a file that did not load). main() returns
// check_result(). Test code only.
#ifndef LSTM_TEST_CHECK_H
#define LSTM_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

extern int check_failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                           \
		if (!(cond)) {                                                                             \
			check_failures++;                                                                      \
			fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond);                      \
			fprintf(stderr, __VA_ARGS__);                                                          \
			fputc('\n', stderr);                                                                   \
		}                                                                                          \
	} while (0)

#define REQUIRE(cond, ...)                                                                         \
	do {                                                                                           \
		if (!(cond)) {                                                                             \
			CHECK(cond, __VA_ARGS__);                                                              \
			exit(1);                                                                               \
		}                                                                                          \
	} while (0)

// Says how many checks failed, if any; 0 when none did, else 1.
int check_result(void);

#endif
