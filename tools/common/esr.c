// SPDX-License-Identifier: ISC
// ESR in double precision with optional first-order pre-emphasis.
#include "esr.h"

#include <math.h>

double esr_compute(const float *output, const float *target, long n, double preemph)
{
	double err = 0.0, sig = 0.0;
	if (!output || !target)
		return NAN;
	if (preemph == 0.0) {
		if (n < 1)
			return NAN;
		for (long i = 0; i < n; ++i) {
			double t = target[i];
			double e = (double)output[i] - t;
			err += e * e;
			sig += t * t;
		}
	} else {
		if (n < 2)
			return NAN;
		for (long i = 1; i < n; ++i) {
			double t = (double)target[i] - preemph * (double)target[i - 1];
			double y = (double)output[i] - preemph * (double)output[i - 1];
			double e = y - t;
			err += e * e;
			sig += t * t;
		}
	}
	if (!(sig > 0.0))
		return NAN;
	return err / sig;
}
