// SPDX-License-Identifier: ISC
// AtomicFile: a committed file has the full content and usual permissions; an existing file is
// refused without force and kept intact; a directory, a missing folder and /dev/full fail with a
// message; a failed or aborted write leaves nothing behind.
#undef NDEBUG
#include "atomic_file.h"
#include "tools_test_util.h"

#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static void test_commit_writes_file(void)
{
	char err[256] = "";
	const char *p = tt_path(dir, "a.txt");
	AtomicFile *f = atomic_file_open(p, 0, err, sizeof err);
	assert(f);
	assert(strcmp(atomic_file_path(f), p) == 0);
	fputs("hello\n", atomic_file_stream(f));
	// Before the commit the destination does not exist yet: only the hidden temp file does.
	assert(access(p, F_OK) != 0);
	assert(tt_count_entries(dir) == 1);
	assert(atomic_file_commit(f, err, sizeof err) == 0);
	assert(strcmp(tt_read_text(p), "hello\n") == 0);
	assert(tt_count_entries(dir) == 1);
	struct stat st;
	assert(stat(p, &st) == 0);
	mode_t um = umask(022);
	umask(um);
	assert((st.st_mode & 0777) == (0666 & ~um));
}

static void test_existing_refused_without_force(void)
{
	char err[256] = "";
	const char *p = tt_path(dir, "a.txt");
	assert(atomic_file_open(p, 0, err, sizeof err) == NULL);
	assert(strstr(err, "a.txt: already exists"));
	assert(strcmp(tt_read_text(p), "hello\n") == 0);

	chmod(p, 0640);
	AtomicFile *f = atomic_file_open(p, 1, err, sizeof err);
	assert(f);
	fputs("replaced\n", atomic_file_stream(f));
	assert(atomic_file_commit(f, err, sizeof err) == 0);
	assert(strcmp(tt_read_text(p), "replaced\n") == 0);
	struct stat st;
	assert(stat(p, &st) == 0 && (st.st_mode & 0777) == 0640);
	assert(tt_count_entries(dir) == 1);
}

static void test_abort_leaves_nothing(void)
{
	char err[256] = "";
	const char *p = tt_path(dir, "b.txt");
	AtomicFile *f = atomic_file_open(p, 0, err, sizeof err);
	assert(f);
	fputs("half", atomic_file_stream(f));
	atomic_file_abort(f);
	atomic_file_abort(NULL);
	assert(access(p, F_OK) != 0);
	assert(tt_count_entries(dir) == 1);
}

static void test_directory_and_missing_folder(void)
{
	char err[256] = "";
	assert(atomic_file_open(dir, 1, err, sizeof err) == NULL);
	assert(strstr(err, "is a directory"));
	err[0] = '\0';
	assert(atomic_file_open(tt_path(dir, "sub/"), 1, err, sizeof err) == NULL);
	assert(strstr(err, "is a directory"));
	err[0] = '\0';
	assert(atomic_file_open(tt_path(dir, "nowhere/x.txt"), 1, err, sizeof err) == NULL);
	assert(strstr(err, "nowhere/x.txt: cannot create a file in folder"));
	assert(strstr(err, "No such file or directory"));
	err[0] = '\0';
	// A FIFO: refused, not opened (opening it would hand its reader an end of file).
	assert(mkfifo(tt_path(dir, "out.fifo"), 0600) == 0);
	alarm(10);
	assert(atomic_file_open(tt_path(dir, "out.fifo"), 1, err, sizeof err) == NULL);
	alarm(0);
	assert(strstr(err, "out.fifo: is a FIFO"));
	remove(tt_path(dir, "out.fifo"));
	err[0] = '\0';
	assert(atomic_file_open("", 1, err, sizeof err) == NULL);
	assert(strstr(err, "no output file name"));
	assert(tt_count_entries(dir) == 1);
}

static void test_dev_full_fails_cleanly(void)
{
	char err[256] = "";
	AtomicFile *f = atomic_file_open("/dev/full", 0, err, sizeof err);
	assert(f);
	fputs("data that cannot be stored\n", atomic_file_stream(f));
	assert(atomic_file_commit(f, err, sizeof err) == -1);
	assert(strstr(err, "/dev/full: write failed: No space left on device"));
	// The device node is still a character device, not a renamed regular file.
	struct stat st;
	assert(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
}

// A write error on a regular file (the file size limit stands in for a full disk): the commit
// fails and removes the temp file, and the previous content survives.
static void test_write_error_removes_temp(void)
{
	char err[256] = "";
	const char *p = tt_path(dir, "a.txt");
	struct rlimit old, lim;
	assert(getrlimit(RLIMIT_FSIZE, &old) == 0);
	lim = old;
	lim.rlim_cur = 1000;
	signal(SIGXFSZ, SIG_IGN);
	assert(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	AtomicFile *f = atomic_file_open(p, 1, err, sizeof err);
	assert(f);
	for (int i = 0; i < 1000; ++i)
		fputs("0123456789", atomic_file_stream(f));
	int rc = atomic_file_commit(f, err, sizeof err);
	assert(setrlimit(RLIMIT_FSIZE, &old) == 0);
	assert(rc == -1);
	assert(strstr(err, "a.txt: write failed: File too large"));
	assert(strcmp(tt_read_text(p), "replaced\n") == 0);
	assert(tt_count_entries(dir) == 1);
}

int main(void)
{
	dir = tt_tmpdir();
	test_commit_writes_file();
	test_existing_refused_without_force();
	test_abort_leaves_nothing();
	test_directory_and_missing_folder();
	test_dev_full_fails_cleanly();
	test_write_error_removes_temp();
	tt_rmtree(dir);
	return 0;
}
