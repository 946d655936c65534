// SPDX-License-Identifier: ISC
// Flush-to-zero and denormals-are-zero around real-time work: a recurrent state or a filter
// memory that decays after a note would otherwise crawl through denormals at a hundred times
// the cost. The engine, the rate paths and the plugin's core each guard their own calls; the
// guard writes the control register only when the caller has not set both modes already, so
// nested calls (the engine one frame at a time inside a guarded block) cost a read, not two
// writes. Any thread; no allocation or syscall.
#ifndef LSTM_DENORMALS_H
#define LSTM_DENORMALS_H

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define LSTM_HAVE_MXCSR 1
#endif

typedef struct {
	unsigned int saved; // the control register as found
	int changed;        // whether the guard wrote it
} DenormalGuard;

static inline DenormalGuard denormals_flush_begin(void)
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
