// SPDX-License-Identifier: ISC
#include "check.h"

int check_failures = 0;

int check_result(void)
{
	if (check_failures)
		fprintf(stderr, "%d check%s failed\n", check_failures, check_failures == 1 ? "" : "s");
	return check_failures ? 1 : 0;
}
