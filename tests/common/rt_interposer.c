// SPDX-License-Identifier: ISC
// The real-time tripwire (see rt_interposer.h). Every watched libc function is defined here,
// counts the call when the calling thread is inside a real-time section, and forwards to the
// next definition (libc's) found with dlsym(RTLD_NEXT). dlsym itself may allocate before the
// real allocator is known, so early allocations come from a small static buffer whose blocks
// are never freed. Compiled with -fno-builtin so the compiler cannot turn the code of one
// allocator into a call to another.
#define _GNU_SOURCE
// glibc defines putchar and vprintf as extern inline wrappers in optimised builds; this file
// defines the real ones, so it asks for the plain declarations.
#include <features.h>
#undef __USE_EXTERN_INLINES

#include "rt_interposer.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

// clang-format off
#define RT_WATCHED(X)                                                                           \
	X(malloc) X(calloc) X(realloc) X(reallocarray) X(free) X(posix_memalign) X(aligned_alloc)   \
	X(memalign) X(valloc) X(pvalloc)                                                            \
	X(pthread_mutex_lock) X(pthread_mutex_trylock) X(pthread_mutex_timedlock)                   \
	X(pthread_mutex_unlock) X(pthread_cond_wait) X(pthread_cond_timedwait)                      \
	X(pthread_cond_signal) X(pthread_cond_broadcast) X(pthread_rwlock_rdlock)                   \
	X(pthread_rwlock_wrlock) X(pthread_rwlock_unlock) X(pthread_spin_lock)                      \
	X(sem_wait) X(sem_timedwait) X(sem_trywait) X(sem_post)                                     \
	X(read) X(write) X(open) X(openat) X(close) X(fopen) X(fclose) X(fread) X(fwrite)           \
	X(fflush) X(fputs) X(puts) X(fputc) X(putc) X(putchar) X(printf) X(fprintf) X(vprintf)      \
	X(vfprintf) X(perror)                                                                       \
	X(usleep) X(nanosleep) X(clock_nanosleep) X(sleep) X(sched_yield) X(syscall) X(mmap)        \
	X(munmap) X(poll)
// clang-format on

enum {
#define X(f) RT_FN_##f,
	RT_WATCHED(X)
#undef X
		RT_FN_COUNT
};

static const char *const rt_names[RT_FN_COUNT] = {
#define X(f) #f,
	RT_WATCHED(X)
#undef X
};

#define X(f) static __typeof__(f) *real_##f;
RT_WATCHED(X)
#undef X

static _Thread_local int rt_depth;
static _Thread_local int rt_resolving;
static atomic_ulong rt_counts[RT_FN_COUNT];
static atomic_int rt_first = -1;

static void note(int fn)
{
	if (rt_depth > 0) {
		atomic_fetch_add_explicit(&rt_counts[fn], 1, memory_order_relaxed);
		int none = -1;
		atomic_compare_exchange_strong(&rt_first, &none, fn);
	}
}

static void *resolve(const char *name)
{
	rt_resolving++;
	void *p = dlsym(RTLD_NEXT, name);
	rt_resolving--;
	return p;
}

// POSIX guarantees a dlsym result converts to a function pointer; memcpy says so in ISO C.
#define LOAD(f)                                                                                    \
	do {                                                                                           \
		if (!real_##f) {                                                                           \
			void *p_ = resolve(#f);                                                                \
			memcpy(&real_##f, &p_, sizeof p_);                                                     \
		}                                                                                          \
	} while (0)

__attribute__((constructor)) static void rt_interposer_init(void)
{
#define X(f) LOAD(f);
	RT_WATCHED(X)
#undef X
}

// --- the bootstrap allocator, for dlsym's own allocations before the real one is known ---

enum { BOOT_BYTES = 1 << 16, BOOT_HEADER = 16 };
static _Alignas(16) unsigned char boot_buf[BOOT_BYTES];
static atomic_size_t boot_used;

static void *boot_alloc(size_t n)
{
	size_t need = (n + BOOT_HEADER + 15) & ~(size_t)15;
	size_t at = atomic_fetch_add(&boot_used, need);
	if (need < n || at + need > BOOT_BYTES)
		return NULL;
	memcpy(boot_buf + at, &n, sizeof n);
	return boot_buf + at + BOOT_HEADER;
}

static int is_boot(const void *p)
{
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)boot_buf;
	return a >= lo && a < lo + BOOT_BYTES;
}

// --- allocation ---

void *malloc(size_t n)
{
	note(RT_FN_malloc);
	if (!real_malloc && !rt_resolving)
		LOAD(malloc);
	return real_malloc ? real_malloc(n) : boot_alloc(n);
}

void *calloc(size_t count, size_t size)
{
	note(RT_FN_calloc);
	if (!real_calloc && !rt_resolving)
		LOAD(calloc);
	if (real_calloc)
		return real_calloc(count, size);
	if (size && count > SIZE_MAX / size)
		return NULL;
	return boot_alloc(count * size); // static memory is zero
}

void *realloc(void *p, size_t n)
{
	note(RT_FN_realloc);
	if (is_boot(p)) {
		size_t old;
		memcpy(&old, (unsigned char *)p - BOOT_HEADER, sizeof old);
		LOAD(malloc);
		void *q = real_malloc ? real_malloc(n) : boot_alloc(n);
		if (q)
			memcpy(q, p, old < n ? old : n);
		return q;
	}
	LOAD(realloc);
	return real_realloc(p, n);
}

void *reallocarray(void *p, size_t count, size_t size)
{
	note(RT_FN_reallocarray);
	LOAD(reallocarray);
	return real_reallocarray(p, count, size);
}

void free(void *p)
{
	note(RT_FN_free);
	if (!p || is_boot(p))
		return;
	LOAD(free);
	real_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	note(RT_FN_posix_memalign);
	LOAD(posix_memalign);
	return real_posix_memalign ? real_posix_memalign(out, align, n) : ENOMEM;
}

#define FORWARD(ret, f, params, args)                                                              \
	ret f params                                                                                   \
	{                                                                                              \
		note(RT_FN_##f);                                                                           \
		LOAD(f);                                                                                   \
		return real_##f args;                                                                      \
	}

FORWARD(void *, aligned_alloc, (size_t align, size_t n), (align, n))
FORWARD(void *, memalign, (size_t align, size_t n), (align, n))
FORWARD(void *, valloc, (size_t n), (n))
FORWARD(void *, pvalloc, (size_t n), (n))

// --- locks and waits ---

FORWARD(int, pthread_mutex_lock, (pthread_mutex_t * m), (m))
FORWARD(int, pthread_mutex_trylock, (pthread_mutex_t * m), (m))
FORWARD(int, pthread_mutex_timedlock,
        (pthread_mutex_t *restrict m, const struct timespec *restrict t), (m, t))
FORWARD(int, pthread_mutex_unlock, (pthread_mutex_t * m), (m))
FORWARD(int, pthread_cond_wait, (pthread_cond_t *restrict c, pthread_mutex_t *restrict m), (c, m))
FORWARD(int, pthread_cond_timedwait,
        (pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
         const struct timespec *restrict t),
        (c, m, t))
FORWARD(int, pthread_cond_signal, (pthread_cond_t * c), (c))
FORWARD(int, pthread_cond_broadcast, (pthread_cond_t * c), (c))
FORWARD(int, pthread_rwlock_rdlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_rwlock_wrlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_rwlock_unlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_spin_lock, (pthread_spinlock_t * l), (l))
FORWARD(int, sem_wait, (sem_t * s), (s))
FORWARD(int, sem_timedwait, (sem_t *restrict s, const struct timespec *restrict t), (s, t))
FORWARD(int, sem_trywait, (sem_t * s), (s))
FORWARD(int, sem_post, (sem_t * s), (s))

// --- I/O ---

FORWARD(ssize_t, read, (int fd, void *buf, size_t n), (fd, buf, n))
FORWARD(ssize_t, write, (int fd, const void *buf, size_t n), (fd, buf, n))
FORWARD(int, close, (int fd), (fd))
FORWARD(FILE *, fopen, (const char *restrict path, const char *restrict mode), (path, mode))
FORWARD(int, fclose, (FILE * f), (f))
FORWARD(size_t, fread, (void *restrict p, size_t size, size_t n, FILE *restrict f), (p, size, n, f))
FORWARD(size_t, fwrite, (const void *restrict p, size_t size, size_t n, FILE *restrict f),
        (p, size, n, f))
FORWARD(int, fflush, (FILE * f), (f))
FORWARD(int, fputs, (const char *restrict s, FILE *restrict f), (s, f))
FORWARD(int, puts, (const char *s), (s))
FORWARD(int, fputc, (int c, FILE *f), (c, f))
FORWARD(int, putc, (int c, FILE *f), (c, f))
FORWARD(int, putchar, (int c), (c))
FORWARD(int, vprintf, (const char *restrict fmt, va_list ap), (fmt, ap))
FORWARD(int, vfprintf, (FILE *restrict f, const char *restrict fmt, va_list ap), (f, fmt, ap))

void perror(const char *s)
{
	note(RT_FN_perror);
	LOAD(perror);
	real_perror(s);
}

// Variadic ones hand their arguments to the va_list versions or read them explicitly.
int printf(const char *restrict fmt, ...)
{
	note(RT_FN_printf);
	LOAD(vfprintf);
	va_list ap;
	va_start(ap, fmt);
	int r = real_vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	note(RT_FN_fprintf);
	LOAD(vfprintf);
	va_list ap;
	va_start(ap, fmt);
	int r = real_vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
	note(RT_FN_open);
	LOAD(open);
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	return real_open(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
	note(RT_FN_openat);
	LOAD(openat);
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	return real_openat(dir, path, flags, mode);
}

// syscall() takes up to six register arguments; passing six whatever the number is what the
// kernel ABI does anyway.
long syscall(long number, ...)
{
	note(RT_FN_syscall);
	LOAD(syscall);
	va_list ap;
	va_start(ap, number);
	long a[6];
	for (int k = 0; k < 6; k++)
		a[k] = va_arg(ap, long);
	va_end(ap);
	return real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

// --- sleeping, yielding, mapping memory, polling ---

FORWARD(int, usleep, (useconds_t us), (us))
FORWARD(int, nanosleep, (const struct timespec *t, struct timespec *rem), (t, rem))
FORWARD(int, clock_nanosleep,
        (clockid_t clock, int flags, const struct timespec *t, struct timespec *rem),
        (clock, flags, t, rem))
FORWARD(unsigned int, sleep, (unsigned int s), (s))
FORWARD(int, sched_yield, (void), ())
FORWARD(void *, mmap, (void *addr, size_t n, int prot, int flags, int fd, off_t off),
        (addr, n, prot, flags, fd, off))
FORWARD(int, munmap, (void *addr, size_t n), (addr, n))
FORWARD(int, poll, (struct pollfd * fds, nfds_t n, int timeout), (fds, n, timeout))

// --- the API ---

void rt_section_begin(void) { rt_depth++; }

void rt_section_end(void)
{
	if (rt_depth > 0)
		rt_depth--;
}

int rt_in_section(void) { return rt_depth > 0; }

unsigned long rt_violations(void)
{
	unsigned long n = 0;
	for (int k = 0; k < RT_FN_COUNT; k++)
		n += atomic_load(&rt_counts[k]);
	return n;
}

unsigned long rt_violation_count(const char *function)
{
	for (int k = 0; k < RT_FN_COUNT; k++)
		if (strcmp(rt_names[k], function) == 0)
			return atomic_load(&rt_counts[k]);
	return 0;
}

const char *rt_first_violation(void)
{
	int k = atomic_load(&rt_first);
	return k < 0 ? NULL : rt_names[k];
}

// Appends without snprintf: the report may be built while a section is open.
static size_t append(char *buf, size_t len, size_t at, const char *s)
{
	while (*s && at + 1 < len)
		buf[at++] = *s++;
	if (len)
		buf[at < len ? at : len - 1] = '\0';
	return at;
}

const char *rt_violation_report(char *buf, size_t len)
{
	size_t at = append(buf, len, 0, "");
	for (int k = 0; k < RT_FN_COUNT; k++) {
		unsigned long n = atomic_load(&rt_counts[k]);
		if (!n)
			continue;
		char num[24], *p = num + sizeof num - 1;
		*p = '\0';
		do
			*--p = (char)('0' + n % 10);
		while (n /= 10);
		at = append(buf, len, at, at ? ", " : "");
		at = append(buf, len, at, rt_names[k]);
		at = append(buf, len, at, " x");
		at = append(buf, len, at, p);
	}
	if (!at)
		append(buf, len, 0, "none");
	return buf;
}

void rt_violations_reset(void)
{
	for (int k = 0; k < RT_FN_COUNT; k++)
		atomic_store(&rt_counts[k], 0);
	atomic_store(&rt_first, -1);
}

int rt_interposer_self_check(void)
{
	// Called through volatile pointers so that no compiler can remove or fold the calls.
	void *(*volatile do_malloc)(size_t) = malloc;
	void (*volatile do_free)(void *) = free;
	int (*volatile do_lock)(pthread_mutex_t *) = pthread_mutex_lock;
	int (*volatile do_unlock)(pthread_mutex_t *) = pthread_mutex_unlock;
	ssize_t (*volatile do_write)(int, const void *, size_t) = write;
	int (*volatile do_nanosleep)(const struct timespec *, struct timespec *) = nanosleep;
	static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
	static const struct timespec zero = {0, 0};

	rt_violations_reset();
	rt_section_begin();
	do_free(do_malloc(24));
	do_lock(&mutex);
	do_unlock(&mutex);
	(void)do_write(-1, "", 0);
	do_nanosleep(&zero, NULL);
	rt_section_end();
	static const int expect[] = {RT_FN_malloc, RT_FN_free, RT_FN_pthread_mutex_lock, RT_FN_write,
	                             RT_FN_nanosleep};
	int missed = 0;
	for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++)
		missed += atomic_load(&rt_counts[expect[k]]) == 0;
	missed += atomic_load(&rt_first) != RT_FN_malloc;
	rt_violations_reset();
	return missed;
}
