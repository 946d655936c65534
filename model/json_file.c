// SPDX-License-Identifier: ISC
// Bounded JSON file reading and atomic JSON file writing.
#include "json_file.h"

#include "model_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// What the largest legal model needs, with room to spare: 4 layers of 128 units, dense layers
// and a 65536-frame self-test come to about a million numbers in a few hundred arrays and tens
// of objects, in any of the formats. The parser keeps each value as a separate allocation (an
// empty object costs it over 200 bytes), so a 60 MB file of "{}," would take gigabytes: the
// text is counted first and refused past these.
enum {
	JSON_MAX_OBJECTS = 1 << 16,
	JSON_MAX_ARRAYS = 1 << 18,
	JSON_MAX_VALUES = 1 << 21, // separators: one less than the values in each container
};

// Counts objects, arrays and separators outside strings; refuses too many (MODEL_ERR_TOO_BIG).
static ModelStatus json_check_counts(const char *data, size_t size, ModelError *err)
{
	size_t objects = 0, arrays = 0, values = 0;
	int in_string = 0;
	for (size_t i = 0; i < size; i++) {
		const char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		objects += c == '{';
		arrays += c == '[';
		values += c == ',';
		in_string = c == '"';
	}
	if (objects > JSON_MAX_OBJECTS || arrays > JSON_MAX_ARRAYS || values > JSON_MAX_VALUES)
		return model_error_set(err, MODEL_ERR_TOO_BIG,
		                       "%zu objects, %zu arrays and %zu values: "
		                       "more than any model holds (at most %d, %d and %d)",
		                       objects, arrays, values, JSON_MAX_OBJECTS, JSON_MAX_ARRAYS,
		                       JSON_MAX_VALUES);
	return MODEL_OK;
}

ModelStatus json_file_parse(const char *data, size_t size, json_t **root, ModelError *err)
{
	*root = NULL;
	if (size == 0)
		return model_error_set(err, MODEL_ERR_SYNTAX, "the file is empty");
	if (size > MODEL_MAX_FILE_BYTES)
		return model_error_set(err, MODEL_ERR_TOO_BIG, "%zu bytes, over the limit of %d", size,
		                       MODEL_MAX_FILE_BYTES);
	ModelStatus st = json_check_counts(data, size, err);
	if (st)
		return st;
	json_error_t jerr;
	*root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!*root)
		return model_error_set(err, MODEL_ERR_SYNTAX, "not valid JSON: line %d, column %d: %s",
		                       jerr.line, jerr.column, jerr.text);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return model_error_set(err, MODEL_ERR_FORMAT, "the JSON document is not an object");
	}
	return MODEL_OK;
}

ModelStatus json_file_load(const char *path, json_t **root, ModelError *err)
{
	*root = NULL;
	// Opened without blocking and checked before reading: a FIFO with no writer would
	// otherwise hang the caller (in the plugin, its worker thread) at open or at read.
	const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return model_error_set(err, MODEL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		close(fd);
		return model_error_set(err, MODEL_ERR_IO, "%s: is a directory, not a model file", path);
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return model_error_set(err, MODEL_ERR_IO,
		                       "%s: not a regular file (a FIFO, device or "
		                       "socket), not a model file",
		                       path);
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return model_error_set(err, MODEL_ERR_NOMEM, "%s: cannot open: %s", path, strerror(errno));
	}
	if (S_ISREG(sb.st_mode) && sb.st_size > MODEL_MAX_FILE_BYTES) {
		fclose(f);
		return model_error_set(err, MODEL_ERR_TOO_BIG, "%s: %lld bytes, over the limit of %d", path,
		                       (long long)sb.st_size, MODEL_MAX_FILE_BYTES);
	}
	// Read at most one byte past the limit so that non-regular files are bounded too.
	size_t cap = 1 << 16, size = 0;
	char *buf = malloc(cap);
	ModelStatus st = buf ? MODEL_OK : MODEL_ERR_NOMEM;
	while (!st) {
		if (size == cap) {
			if (cap > MODEL_MAX_FILE_BYTES) {
				st = model_error_set(err, MODEL_ERR_TOO_BIG, "over the limit of %d bytes",
				                     MODEL_MAX_FILE_BYTES);
				break;
			}
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				st = MODEL_ERR_NOMEM;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		size_t got = fread(buf + size, 1, cap - size, f);
		size += got;
		if (got == 0) {
			if (ferror(f))
				st = model_error_set(err, MODEL_ERR_IO, "read error: %s", strerror(errno));
			break;
		}
	}
	fclose(f);
	if (st == MODEL_ERR_NOMEM)
		model_error_set(err, st, "out of memory");
	if (!st)
		st = json_file_parse(buf, size, root, err);
	free(buf);
	if (st && st != MODEL_ERR_IO)
		model_error_prefix(err, path);
	return st;
}

// The temporary file goes in the destination's folder so that rename() is atomic.
static ModelStatus open_temp(const char *path, char *tmp, size_t len, int *fd, ModelError *err)
{
	int n = snprintf(tmp, len, "%s.tmp-XXXXXX", path);
	if (n < 0 || (size_t)n >= len)
		return model_error_set(err, MODEL_ERR_IO, "%s: path too long", path);
	*fd = mkstemp(tmp);
	if (*fd < 0)
		return model_error_set(err, MODEL_ERR_IO, "%s: cannot create a file there: %s", path,
		                       strerror(errno));
	return MODEL_OK;
}

static int dump_to_fd(const char *text, int fd)
{
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)w;
	}
	return fsync(fd);
}

ModelStatus json_file_write(const char *path, const json_t *doc, int force, ModelError *err)
{
	struct stat sb;
	mode_t mode = 0644; // mkstemp makes 0600; a model file is for sharing
	if (stat(path, &sb) == 0) {
		mode = sb.st_mode & 07777;
		if (S_ISDIR(sb.st_mode))
			return model_error_set(err, MODEL_ERR_IO, "%s: is a directory", path);
		// Renaming over a device or a pipe would replace it, not write to it.
		if (!S_ISREG(sb.st_mode))
			return model_error_set(err, MODEL_ERR_IO, "%s: not a regular file", path);
		if (!force)
			return model_error_set(err, MODEL_ERR_IO,
			                       "%s: already exists (use --force to replace it)", path);
	}
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_COMPACT | JSON_REAL_PRECISION(9)
	                                 | JSON_PRESERVE_ORDER);
	if (!text)
		return model_error_set(err, MODEL_ERR_NOMEM, "%s: out of memory", path);
	char tmp[4096];
	int fd = -1;
	ModelStatus st = open_temp(path, tmp, sizeof tmp, &fd, err);
	if (st) {
		free(text);
		return st;
	}
	int bad = fchmod(fd, mode) != 0 || dump_to_fd(text, fd);
	int saved = errno;
	free(text);
	if (close(fd) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (!bad) {
		// Without force, link() refuses to replace a file that appeared meanwhile.
		bad = force ? rename(tmp, path) : link(tmp, path);
		saved = errno;
	}
	if (bad) {
		unlink(tmp);
		return model_error_set(err, MODEL_ERR_IO, "%s: cannot write: %s", path, strerror(saved));
	}
	if (!force)
		unlink(tmp);
	return MODEL_OK;
}
