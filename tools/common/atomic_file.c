// SPDX-License-Identifier: ISC
// AtomicFile: temp file in the destination's folder, then fflush + fsync + rename.
#include "atomic_file.h"
#include "tool_error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct AtomicFile {
	char *path;
	char *tmp_path; // NULL when writing a special file directly
	char *dir;
	FILE *fp;
	int keep_mode; // replace an existing file: give the new one its permissions
	mode_t mode;
};

static char *str_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static void free_file(AtomicFile *f)
{
	free(f->path);
	free(f->tmp_path);
	free(f->dir);
	free(f);
}

// Folder part of path ("." when there is none); the base name starts at *base.
static char *split_dir(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*base = path;
		return str_dup(".");
	}
	*base = slash + 1;
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

// Creates ".base.XXXXXX" with O_EXCL and mode 0666 so that the kernel applies the umask;
// mkstemp() would force 0600 and reading the umask back is not thread-safe.
static int create_temp(AtomicFile *f, const char *base, char *err, size_t err_len)
{
	static unsigned counter;
	size_t n = strlen(f->dir) + strlen(base) + 16;
	f->tmp_path = malloc(n);
	if (!f->tmp_path) {
		tool_error_set(err, err_len, "%s: out of memory", f->path);
		return -1;
	}
	uint32_t seed = (uint32_t)getpid() * 2654435761u ^ (uint32_t)time(NULL);
	for (int attempt = 0; attempt < 100; ++attempt) {
		seed = seed * 1664525u + 1013904223u + ++counter;
		snprintf(f->tmp_path, n, "%s/.%s.%06x", f->dir, base, (unsigned)(seed >> 8) & 0xffffffu);
		int fd = open(f->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0) {
			tool_error_set(err, err_len, "%s: cannot create a file in folder '%s': %s", f->path,
			               f->dir, strerror(errno));
			return -1;
		}
		f->fp = fdopen(fd, "wb");
		if (!f->fp) {
			tool_error_set(err, err_len, "%s: %s", f->path, strerror(errno));
			close(fd);
			unlink(f->tmp_path);
			return -1;
		}
		return 0;
	}
	tool_error_set(err, err_len, "%s: cannot find a free temporary name in '%s'", f->path, f->dir);
	return -1;
}

AtomicFile *atomic_file_open(const char *path, int force, char *err, size_t err_len)
{
	if (!path || !*path) {
		tool_error_set(err, err_len, "no output file name given");
		return NULL;
	}
	AtomicFile *f = calloc(1, sizeof *f);
	const char *base = NULL;
	if (!f || !(f->path = str_dup(path)) || !(f->dir = split_dir(path, &base))) {
		tool_error_set(err, err_len, "%s: out of memory", path);
		if (f)
			free_file(f);
		return NULL;
	}
	if (!*base) {
		tool_error_set(err, err_len, "%s: is a directory", path);
		free_file(f);
		return NULL;
	}

	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			tool_error_set(err, err_len, "%s: is a directory", path);
			free_file(f);
			return NULL;
		}
		if (S_ISFIFO(st.st_mode)) {
			// Opening it to check it would hand the reader an end of file, and the real write
			// would then wait for a reader that is gone.
			tool_error_set(err, err_len, "%s: is a FIFO; write to a regular file", path);
			free_file(f);
			return NULL;
		}
		if (S_ISCHR(st.st_mode)) {
			// A device (/dev/null): renaming over it would replace the node itself.
			f->fp = fopen(path, "wb");
			if (!f->fp) {
				tool_error_set(err, err_len, "%s: cannot open for writing: %s", path,
				               strerror(errno));
				free_file(f);
				return NULL;
			}
			return f;
		}
		if (!S_ISREG(st.st_mode)) {
			tool_error_set(err, err_len, "%s: exists and is not a regular file", path);
			free_file(f);
			return NULL;
		}
		if (!force) {
			tool_error_set(err, err_len, "%s: already exists (use --force to replace it)", path);
			free_file(f);
			return NULL;
		}
		f->keep_mode = 1;
		f->mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		tool_error_set(err, err_len, "%s: %s", path, strerror(errno));
		free_file(f);
		return NULL;
	}

	if (create_temp(f, base, err, err_len) != 0) {
		free_file(f);
		return NULL;
	}
	return f;
}

FILE *atomic_file_stream(AtomicFile *f) { return f ? f->fp : NULL; }

const char *atomic_file_path(const AtomicFile *f) { return f ? f->path : NULL; }

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		// Best effort: some file systems refuse fsync on a folder; the data itself is synced.
		(void)fsync(fd);
		close(fd);
	}
}

int atomic_file_commit(AtomicFile *f, char *err, size_t err_len)
{
	if (!f) {
		tool_error_set(err, err_len, "no file to commit");
		return -1;
	}
	int failed = 0;
	int saved = 0;
	// A failing fflush sets errno (ENOSPC on /dev/full). When an earlier write already failed,
	// only the stream's error flag is left and the reason is lost: report EIO then; writers
	// that want the exact reason keep the errno of their own failed write.
	errno = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp)) {
		failed = 1;
		saved = errno ? errno : EIO;
	}
	if (!failed && f->tmp_path) {
		int fd = fileno(f->fp);
		if (f->keep_mode && fchmod(fd, f->mode) != 0) {
			failed = 1;
			saved = errno;
		} else if (fsync(fd) != 0) {
			failed = 1;
			saved = errno;
		}
	}
	if (fclose(f->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	f->fp = NULL;
	if (failed) {
		tool_error_set(err, err_len, "%s: write failed: %s", f->path, strerror(saved));
		if (f->tmp_path)
			unlink(f->tmp_path);
		free_file(f);
		return -1;
	}
	if (f->tmp_path) {
		if (rename(f->tmp_path, f->path) != 0) {
			tool_error_set(err, err_len, "%s: cannot rename the temporary file into place: %s",
			               f->path, strerror(errno));
			unlink(f->tmp_path);
			free_file(f);
			return -1;
		}
		sync_dir(f->dir);
	}
	free_file(f);
	return 0;
}

void atomic_file_abort(AtomicFile *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->tmp_path)
		unlink(f->tmp_path);
	free_file(f);
}
