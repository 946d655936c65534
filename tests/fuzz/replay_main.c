// SPDX-License-Identifier: ISC
// Runs a fuzzing harness over the files named on the command line, so that the committed
// corpus and every crash found are regression tests in builds without libFuzzer. Every file is
// read before the first input runs, since a harness may change the working directory.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	uint8_t *data;
	size_t size;
} Input;

static int read_input(const char *path, Input *in)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	size_t cap = 1 << 16, size = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + size, 1, cap - size, f)) > 0) {
		size += got;
		if (size == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		return -1;
	in->data = buf;
	in->size = size;
	return 0;
}

int main(int argc, char **argv)
{
	int failures = 0;
	Input *inputs = calloc((size_t)argc, sizeof(*inputs));
	if (!inputs)
		return 1;
	for (int k = 1; k < argc; k++)
		failures += read_input(argv[k], &inputs[k]) != 0;
	for (int k = 1; k < argc; k++) {
		if (inputs[k].data)
			LLVMFuzzerTestOneInput(inputs[k].data, inputs[k].size);
		free(inputs[k].data);
	}
	free(inputs);
	printf("replayed %d inputs, %d unreadable\n", argc - 1 - failures, failures);
	return failures ? 1 : 0;
}
