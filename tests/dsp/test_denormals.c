// SPDX-License-Identifier: ISC
// The flush-to-zero guard (dsp/denormals.h) in each of the four modes a caller may hold:
// whether it sees the caller's modes right from its two float operations, that inside it both
// modes hold, and that the caller gets every mode bit back.
#include "check.h"
#include "denormals.h"

#include <stdio.h>

#ifdef LSTM_HAVE_MXCSR
enum { FTZ = 0x8000, DAZ = 0x0040, STICKY_FLAGS = 0x3f, DEFAULT = 0x1f80 };

static void test_mode(unsigned int mode)
{
	const unsigned int saved = _mm_getcsr();
	_mm_setcsr(mode);
	const int flushed = denormals_already_flushed();
	const DenormalGuard guard = denormals_flush_begin();
	const unsigned int inside = _mm_getcsr();
	denormals_flush_end(guard);
	const unsigned int after = _mm_getcsr();
	_mm_setcsr(saved);

	const int both = (mode & (FTZ | DAZ)) == (FTZ | DAZ);
	CHECK(flushed == both, "MXCSR %#x: already flushed said %d", mode, flushed);
	CHECK((inside & (FTZ | DAZ)) == (FTZ | DAZ), "MXCSR %#x: %#x inside the guard", mode, inside);
	CHECK((after & ~STICKY_FLAGS) == mode, "MXCSR %#x came back as %#x", mode, after);
}
#endif

int main(void)
{
#ifdef LSTM_HAVE_MXCSR
	static const unsigned int modes[] = {DEFAULT, DEFAULT | FTZ, DEFAULT | DAZ, DEFAULT | FTZ | DAZ,
	                                     // round toward zero, every exception masked
	                                     DEFAULT | 0x6000 | FTZ | DAZ, DEFAULT | 0x6000};
	for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++)
		test_mode(modes[k]);
	printf("denormals: %zu modes\n", sizeof modes / sizeof modes[0]);
#else
	printf("denormals: no MXCSR on this machine; the guard does nothing\n");
#endif
	return check_result();
}
