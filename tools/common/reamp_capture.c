// SPDX-License-Identifier: ISC
// Blip latency and replicate ESR of a standard-signal recording: see reamp_capture.h.
#include "reamp_capture.h"

#include "delay_estimate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void reamp_blip_latency(const float *t, long n, const ReampLayout *l, int max_lead, int max_delay,
                        ReampLatency *out)
{
	memset(out, 0, sizeof *out);
	if (max_delay > l->blip_spacing - max_lead - 1)
		max_delay = (int)(l->blip_spacing - max_lead - 1);
	if (l->blip[REAMP_BLIPS - 1] + max_delay >= n || l->noise_to > n) {
		snprintf(out->why, sizeof out->why, "the recording is shorter than its blips");
		return;
	}
	double dc = 0.0, noise = 0.0;
	for (long i = l->noise_from; i < l->noise_to; i++)
		dc += t[i];
	dc /= (double)(l->noise_to - l->noise_from);
	for (long i = l->noise_from; i < l->noise_to; i++)
		noise = fmax(noise, fabs(t[i] - dc));
	out->noise_db = 20.0 * log10(fmax(noise, 1e-12));
	int lo = 0, hi = 0;
	for (int k = 0; k < REAMP_BLIPS; k++) {
		const long from = l->blip[k] - max_lead, to = l->blip[k] + max_delay;
		double peak = 0.0;
		long at = from;
		for (long i = from; i < to; i++)
			if (fabs(t[i] - dc) > peak) {
				peak = fabs(t[i] - dc);
				at = i;
			}
		if (peak < 4.0 * noise || peak <= 1e-9)
			continue;
		const double thr = fmax(3.0 * noise, DELAY_ONSET_RATIO * peak);
		long i = at - DELAY_ONSET_WINDOW > from ? at - DELAY_ONSET_WINDOW : from;
		while (fabs(t[i] - dc) <= thr)
			i++;
		const int lat = (int)(i - l->blip[k]);
		if (out->answered == 0 || lat < lo)
			lo = lat;
		if (out->answered == 0 || lat > hi)
			hi = lat;
		out->answered++;
	}
	out->latency = lo;
	out->spread = hi - lo;
	if (out->answered < 3)
		snprintf(out->why, sizeof out->why,
		         "only %d of %d blips rose above the noise floor "
		         "(%.1f dBFS)",
		         out->answered, REAMP_BLIPS, out->noise_db);
	else if (out->spread > 2)
		snprintf(out->why, sizeof out->why, "the blips' responses disagree by %d samples",
		         out->spread);
	else
		out->ok = 1;
}

double reamp_replicate_esr(const float *t, long n, const ReampLayout *l)
{
	if (l->clip_b_to > n)
		return -1.0;
	const long len = l->clip_a_to - l->clip_a_from;
	double e = 0.0, s = 0.0;
	for (long i = 0; i < len; i++) {
		const double a = t[l->clip_a_from + i], b = t[l->clip_b_from + i];
		e += (b - a) * (b - a);
		s += b * b;
	}
	return s > 0 ? e / s : -1.0;
}
