// SPDX-License-Identifier: ISC
// lstm-train's output checks and lock (train_outputs.h).
#define _DEFAULT_SOURCE 1 // realpath
#include "train_outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

// Whether the folder that will hold path exists and is writable, so a long run does not end
// in a refused write.
static int folder_writable(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == dir)
		slash[1] = 0;
	else
		*slash = 0;
	return access(dir, W_OK) == 0;
}

// The file path names, as far as it can tell: the real path when it exists, else the real
// path of its folder and its name. Empty when neither resolves.
static void canonical(const char *path, char *out, size_t n)
{
	char buf[PATH_MAX];
	out[0] = 0;
	if (realpath(path, buf)) {
		snprintf(out, n, "%s", buf);
		return;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? slash + 1 : path;
	if (slash)
		*slash = 0;
	if (realpath(slash ? (dir[0] ? dir : "/") : ".", buf))
		snprintf(out, n, "%s/%s", buf, name);
}

static int same_file(const char *a, const char *b)
{
	char ca[2 * PATH_MAX], cb[2 * PATH_MAX];
	canonical(a, ca, sizeof ca);
	canonical(b, cb, sizeof cb);
	return ca[0] && strcmp(ca, cb) == 0;
}

// Every file the run will write, checked before any training: none may be an input or another
// output, none may exist without --force (the run's own checkpoint may, when --resume names
// it, and so may the log a resumed run appends to), and every folder must be writable.
// Returns 0, or an exit status after a message.
int train_check_outputs(const TrainOptions *o, const char *ckpt)
{
	const char *what[4] = {"-o", "--log", "--plot", "--checkpoint"};
	const char *out[4] = {o->output, o->log_path, o->plot_path, ckpt};
	for (int i = 0; i < 4; i++) {
		if (!out[i])
			continue;
		for (int k = 0; k < o->npairs; k++)
			if (same_file(out[i], o->pairs[k].input) || same_file(out[i], o->pairs[k].target)) {
				train_fail("%s %s is one of the recordings: it would be overwritten", what[i],
				           out[i]);
				return EXIT_USAGE;
			}
		for (int j = 0; j < i; j++)
			if (out[j] && same_file(out[i], out[j])) {
				train_fail("%s %s is also the file of %s: give each output its own file", what[i],
				           out[i], what[j]);
				return EXIT_USAGE;
			}
		const int resumed_own =
			o->resume_path && (i == 3 ? same_file(out[i], o->resume_path) : i == 1);
		if (!o->force && !resumed_own && file_exists(out[i])) {
			train_fail("%s exists; use --force to replace it", out[i]);
			return EXIT_OUTPUT;
		}
		if (!folder_writable(out[i])) {
			train_fail("%s: cannot write there (%s)", out[i], strerror(errno));
			return EXIT_OUTPUT;
		}
	}
	return 0;
}

// Holds OUTPUT.lock for the run, so that a second lstm-train on the same output is refused at
// start instead of the two overwriting each other's checkpoints. flock is released by the
// kernel when the process ends, however it ends, so a crash leaves no stale lock behind.
// Returns the descriptor, or -1 after a message.
int train_lock_output(const char *output, char *lock, size_t n)
{
	snprintf(lock, n, "%s.lock", output);
	const int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		train_fail("%s: cannot create the run's lock (%s)", lock, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		train_fail("%s is being trained by another lstm-train (it holds %s)", output, lock);
		close(fd);
		return -1;
	}
	return fd;
}
