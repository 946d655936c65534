// SPDX-License-Identifier: ISC
// A tripwire for real-time code. Linking rt_interposer_dep (tests/common/meson.build) into a
// test executable replaces malloc and its family, the pthread lock and wait calls, semaphores,
// read/write/open, stdio output, sleeps and syscall() with versions that forward to libc but
// count every call made by a thread while it is inside a "real-time section". A test wraps the
// code that must be real-time safe (an engine's process call, a plugin's run()) in
// rt_section_begin()/rt_section_end() and then asserts rt_violations() == 0.
//
// The section flag is per thread, so a worker thread may allocate while the audio thread is
// inside its section. Nothing here allocates, locks or prints.
//
// Sanitizer builds replace malloc themselves; tests/common/meson.build does not build the
// real-time tests there.
#ifndef LSTM_RT_INTERPOSER_H
#define LSTM_RT_INTERPOSER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Enters and leaves a real-time section on the calling thread. Sections nest. Any thread.
void rt_section_begin(void);
void rt_section_end(void);
int rt_in_section(void);

// Forbidden calls counted (all threads) since the last rt_violations_reset().
unsigned long rt_violations(void);
// The count for one function by name ("malloc"); 0 for a name that is not watched.
unsigned long rt_violation_count(const char *function);
// The first function called inside a section since the last reset, or NULL.
const char *rt_first_violation(void);
// Writes "malloc x2, write x1" (or "none") into buf; returns buf.
const char *rt_violation_report(char *buf, size_t len);
void rt_violations_reset(void);

// Proves the tripwire works in this process: inside a section it calls malloc, free,
// pthread_mutex_lock, write and nanosleep, and checks each was counted. Returns the number of
// those calls that went unseen (0 when the interposer works), then resets the counts. Call it
// outside any section.
int rt_interposer_self_check(void);

#ifdef __cplusplus
}
#endif

#endif
