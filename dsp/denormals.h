// SPDX-License-Identifier: ISC
// Flush-to-zero and denormals-are-zero around real-time work: a recurrent state or a filter
// memory that decays after a note would otherwise crawl through denormals at a hundred times
// the cost. The engine, the rate paths and the plugin's core each guard their own calls; the
// guard touches the control register only when the caller has not set both modes already, so
// nested calls (the engine one frame at a time inside a guarded block) cost two float
// operations, not a read and two writes. Any thread; no allocation or syscall. Like any float
// arithmetic, a guarded call may raise the caller's sticky exception flags; it restores every
// mode bit.
#ifndef LSTM_DENORMALS_H
#define LSTM_DENORMALS_H

#include <float.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define LSTM_HAVE_MXCSR 1
#endif

typedef struct {
	unsigned int saved; // the control register as found
	int changed;        // whether the guard wrote it
} DenormalGuard;

// Whether this thread already flushes both ways (always, where the guard has nothing to set).
// Asked of two float operations rather than of the control register: reading that (stmxcsr)
// is microcoded on AMD's cores: with it a one-frame call of an LSTM at H = 8 took up to 1.35
// times a frame of a 64-frame call, without it 1.10 (bench_engine on a Zen 3 core; the stall
// shows when the core is shared). A tiny, inexact product is zero only under flush-to-zero; a
// denormal operand counts as zero only under denormals-are-zero.
static inline int denormals_already_flushed(void)
{
#ifdef LSTM_HAVE_MXCSR
	float min_normal = FLT_MIN, third = 1.0f / 3.0f, denormal = FLT_MIN / 8.0f;
	__asm__("" : "+x"(min_normal), "+x"(third), "+x"(denormal)); // computed here, not folded
	// The product's bits, not a float compare: under denormals-are-zero alone a compare would
	// read the unflushed denormal product as zero.
	const float product = min_normal * third;
	uint32_t product_bits;
	memcpy(&product_bits, &product, sizeof product_bits);
	return product_bits == 0 && min_normal + denormal == min_normal;
#else
	return 1;
#endif
}

// The guard's register half, for a caller that has just seen denormals_already_flushed() say
// no: sets both modes unless the register holds them already.
static inline DenormalGuard denormals_flush_set(void)
{
	DenormalGuard g = {0, 0};
#ifdef LSTM_HAVE_MXCSR
	enum { FTZ_DAZ = 0x8040 }; // flush-to-zero (bit 15), denormals-are-zero (bit 6)
	g.saved = _mm_getcsr();
	g.changed = (g.saved & FTZ_DAZ) != FTZ_DAZ;
	if (g.changed)
		_mm_setcsr(g.saved | FTZ_DAZ);
#endif
	return g;
}

static inline DenormalGuard denormals_flush_begin(void)
{
	if (denormals_already_flushed())
		return (DenormalGuard){0, 0};
	return denormals_flush_set();
}

static inline void denormals_flush_end(DenormalGuard g)
{
#ifdef LSTM_HAVE_MXCSR
	if (g.changed)
		_mm_setcsr(g.saved);
#else
	(void)g;
#endif
}

#endif
