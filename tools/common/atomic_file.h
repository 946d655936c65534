// SPDX-License-Identifier: ISC
// Writing a file so that readers see either the old content or the complete new content, never
// a half-written file: the data goes to a temporary file in the same folder, which is flushed,
// synced and renamed over the destination only when every write succeeded.
//
// Special files (character devices such as /dev/null or /dev/full, FIFOs) cannot be replaced
// by a rename; they are opened and written directly, so that a write error there (ENOSPC on
// /dev/full) is still reported by atomic_file_commit().
#ifndef LSTM_TOOLS_ATOMIC_FILE_H
#define LSTM_TOOLS_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct AtomicFile AtomicFile;

// Opens a temporary file next to path (".name.XXXXXX", created exclusively), or path itself
// when it is a character device or a FIFO. Fails with NULL and a one-line message in err when
// path exists as a regular file and !force, when path is a directory or another kind of
// special file, or when the folder does not exist or is not writable. Any thread; allocates.
AtomicFile *atomic_file_open(const char *path, int force, char *err, size_t err_len);

// The stream to write to. Valid until commit or abort. Any thread; no allocation.
FILE *atomic_file_stream(AtomicFile *f);

// The path being written (the final name, not the temporary one). Any thread.
const char *atomic_file_path(const AtomicFile *f);

// Flushes, fsyncs, gives the file the usual permissions (those of the file it replaces, or
// 0666 less the umask) and renames it over path, then syncs the folder. Always frees f. On any
// error (including an earlier write error on the stream) removes the temporary file and returns
// -1 with a message naming path and the reason; 0 on success. Any thread.
int atomic_file_commit(AtomicFile *f, char *err, size_t err_len);

// Closes and removes the temporary file and frees f. NULL is a no-op. Any thread.
void atomic_file_abort(AtomicFile *f);

#ifdef __cplusplus
}
#endif

#endif
