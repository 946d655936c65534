// SPDX-License-Identifier: ISC
// The pre-emphasis filters: first order is 1 - a z^-1 exactly; the A-weighting filter follows
// the IEC 61672 curve (times the 1 + 0.85 z^-1 low-pass) within 1 dB from 50 Hz to 4 kHz at
// 48 kHz and within 3.5 dB at 16 kHz, where the bilinear transform's zeros at Nyquist pull it
// down (tabulated A-weighting: -30.2 dB at 50 Hz, -19.1 at 100, 0 at 1k, +1.0 at 4k,
// -6.6 at 16k). And the loss of a perfect output is zero.
#undef NDEBUG
#include "train_loss.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>

static double response_db(const PreEmphasis *pe, double f, double rate)
{
	double re = 0, im = 0, w = 2 * 3.14159265358979323846 * f / rate;
	for (int j = 0; j < pe->taps; j++) {
		re += pe->h[j] * cos(w * j);
		im -= pe->h[j] * sin(w * j);
	}
	double g = re * re + im * im;
	for (int i = 0; i < pe->sections; i++) {
		double nr = 1 + pe->b1[i] * cos(w), ni = -pe->b1[i] * sin(w);
		double dr = 1 - pe->a1[i] * cos(w), di = pe->a1[i] * sin(w);
		g *= (nr * nr + ni * ni) / (dr * dr + di * di);
	}
	return 10 * log10(g);
}

static void test_preemph(void)
{
	PreEmphasis pe;
	preemph_design(&pe, PREEMPH_FIRST, 0.85, 48000);
	assert(pe.taps == 2 && pe.h[0] == 1.0 && pe.h[1] == -0.85);
	preemph_design(&pe, PREEMPH_AWEIGHT, 0.85, 48000);
	const double f[5] = {50, 100, 1000, 4000, 16000};
	const double a[5] = {-30.2, -19.1, 0.0, 1.0, -6.6};
	int ok = 1;
	for (int k = 0; k < 5; k++) {
		double w = 2 * 3.14159265358979323846 * f[k] / 48000;
		double lp = 10 * log10(pow(1 + 0.85 * cos(w), 2) + pow(0.85 * sin(w), 2));
		double got = response_db(&pe, f[k], 48000);
		printf("aweight %6.0f Hz: %7.2f dB, want %7.2f\n", f[k], got, a[k] + lp);
		ok &= fabs(got - (a[k] + lp)) < (f[k] < 10000 ? 1.0 : 3.5);
	}
	fflush(stdout);
	assert(ok);
}

static void test_perfect_output(void)
{
	float t[40], dy[40], e[40];
	for (int i = 0; i < 40; i++)
		t[i] = (float)sin(0.3 * i);
	PreEmphasis pe;
	preemph_design(&pe, PREEMPH_FIRST, 0.85, 48000);
	LossSums s = {0};
	train_loss_target_sums(&pe, t, 20, 2, &s);
	LossNorm n;
	train_loss_norm(&s, 20, 0.75, 0.25, &n);
	assert(train_loss_esr_dc_forward(&pe, &n, t, t, 2, NULL) == 0.0);
	train_loss_esr_dc_backward(&pe, &n, t, t, 2, e, dy);
	for (int i = 0; i < 40; i++)
		assert(dy[i] == 0.0f);
}

int main(void)
{
	test_preemph();
	test_perfect_output();
	return 0;
}
