// SPDX-License-Identifier: ISC
// cli_parse: whole-string numbers within range are accepted; trailing junk, empty strings,
// overflow, non-finite values and out-of-range values are refused with a message naming the
// option.
#undef NDEBUG
#include "cli_parse.h"

#include <assert.h>
#include <string.h>

static void test_long(void)
{
	long v = -1;
	char err[128];
	assert(cli_parse_long("--n", "42", 0, 100, &v, err, sizeof err) == 0 && v == 42);
	assert(cli_parse_long("--n", "-3", -5, 5, &v, err, sizeof err) == 0 && v == -3);
	static const char *const bad[] = {"", "4x", "x", "1.5", "99999999999999999999999", " "};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
		assert(cli_parse_long("--n", bad[i], 0, 100, &v, err, sizeof err) == -1);
		assert(strstr(err, "not a whole number"));
	}
	assert(cli_parse_long("--n", "101", 0, 100, &v, err, sizeof err) == -1);
	assert(strcmp(err, "--n 101: outside 0..100") == 0);
	assert(v == -3);
}

static void test_double(void)
{
	double v = 0.0;
	char err[128];
	assert(cli_parse_double("--a", "0.95", -1, 1, &v, err, sizeof err) == 0 && v == 0.95);
	static const char *const bad[] = {"", "abc", "0.5.5", "nan", "inf", "1e999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
		assert(cli_parse_double("--a", bad[i], -1, 1, &v, err, sizeof err) == -1);
		assert(strstr(err, "not a number"));
	}
	assert(cli_parse_double("--a", "2", -1, 1, &v, err, sizeof err) == -1);
	assert(strcmp(err, "--a 2: outside -1..1") == 0);
}

int main(void)
{
	test_long();
	test_double();
	return 0;
}
