// SPDX-License-Identifier: ISC
// Runs a fuzzing harness over the files named on the command line, so that the committed
// corpus and every crash found are regression tests in builds without libFuzzer. Every file is
// read before the first input runs, since a harness may change the working directory. A
// directory stands for every file in it (so a new regression case needs no reconfigure).
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

// Appends the inputs a path names (a file, or each file of a directory). Returns how many
// could not be read.
static int add_path(const char *path, Input **inputs, size_t *n, size_t *cap)
{
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		if (!d) {
			fprintf(stderr, "replay: cannot open %s\n", path);
			return 1;
		}
		int bad = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char file[4096];
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			bad += add_path(file, inputs, n, cap);
		}
		closedir(d);
		return bad;
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		Input *bigger = realloc(*inputs, *cap * sizeof(Input));
		if (!bigger)
			return 1;
		*inputs = bigger;
	}
	if (read_input(path, &(*inputs)[*n]) != 0)
		return 1;
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	int failures = 0;
	Input *inputs = NULL;
	size_t n = 0, cap = 0;
	for (int k = 1; k < argc; k++)
		failures += add_path(argv[k], &inputs, &n, &cap);
	for (size_t k = 0; k < n; k++) {
		LLVMFuzzerTestOneInput(inputs[k].data, inputs[k].size);
		free(inputs[k].data);
	}
	free(inputs);
	printf("replayed %zu inputs, %d unreadable\n", n, failures);
	return failures || n == 0 ? 1 : 0;
}
