// SPDX-License-Identifier: ISC
// The model is right at every host rate. For two 48 kHz test models and a band-limited signal,
// gen_reference.py made the reference at each host rate independently (the signal at 48 kHz,
// PyTorch float64, scipy's resample_poly to the host rate). The RatePlayer renders the same
// signal at the host rate in both modes; its output, shifted back by the latency it reports, is
// compared with the reference after the first 10 ms. Models: a seeded random LSTM-16 (no skip,
// saturating) at 22.05, 44.1, 88.2, 96 and 192 kHz, and an LSTM-16 trained on a Tube Screamer
// capture (train_demo_model.py; residual) at 44.1, 88.2 and 96 kHz.
//
// Bounds (docs/sample-rates.md has the measured figures, all far below): the resample path at
// most 1e-3 at every rate, as the issue asks. The correction path is an approximation, exact
// only in the limit of whole ratios; it is held to 1e-2 (measured: 4e-4 at 88.2 kHz, 1e-6 at
// 96 and 192 kHz). Both must also beat the uncorrected network (the model run as if the host
// rate were its own) by a factor of ten, so that a path that did nothing would fail.
#undef NDEBUG
#include "rate_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *file;   // in data/
	const char *prefix; // of its expected_<rate>.f32 files
	double gain;        // of the test signal (gen_reference.py's TS9_GAIN)
	int rates[5];       // 0-terminated
} EsrCase;

static const EsrCase cases[] = {
	{"model_lstm16_48k.json", "expected_", 1.0, {22050, 44100, 88200, 96000, 192000}},
	{"model_ts9_lstm16_48k.json", "expected_ts9_", 0.3, {44100, 88200, 96000, 0, 0}},
};
enum { BLOCK = 256, SKIP_MS = 10 };

// ESR of the player at rate in mode, with the path it took and the latency it reported.
static double esr_at(const EsrCase *ec, const ModelDesc *m, int rate, RateMode mode, RatePath *path,
                     uint32_t *latency)
{
	size_t n_ref;
	float *ref = rate_fixture_expected_named(ec->prefix, rate, &n_ref);
	ModelError err;
	RatePlayer *p = rate_player_create(m, rate, mode, BLOCK, &err);
	if (!p) {
		fprintf(stderr, "%d Hz %s: %s\n", rate, rate_mode_name(mode), err.message);
		abort();
	}
	*path = rate_player_path(p);
	*latency = rate_player_latency(p);
	const size_t frames = n_ref + *latency;
	float *x = rate_fixture_signal_scaled(rate, frames, ec->gain);
	float *y = malloc(frames * sizeof *y);
	rate_fixture_render(p, x, y, frames, BLOCK);
	CHECK(rate_player_underruns(p) == 0, "%d Hz: %lu underruns", rate, rate_player_underruns(p));
	const size_t skip = (size_t)rate * SKIP_MS / 1000;
	const double esr = rate_fixture_esr(y + *latency + skip, ref + skip, n_ref - skip);
	rate_player_destroy(p);
	free(x);
	free(y);
	free(ref);
	return esr;
}

// The network run at the host rate with no correction: how wrong the plain players are.
static double esr_uncorrected(const EsrCase *ec, ModelDesc *m, int rate)
{
	const double saved = m->sample_rate;
	m->sample_rate = rate;
	RatePath path;
	uint32_t latency;
	const double esr = esr_at(ec, m, rate, RATE_MODE_AUTO, &path, &latency);
	m->sample_rate = saved;
	return esr;
}

static void test_esr_table(const EsrCase *ec)
{
	ModelDesc m;
	rate_fixture_model_named(&m, ec->file);
	printf("%s\n%8s %12s %8s %12s %14s\n", ec->file, "rate", "resample", "latency", "correct",
	       "uncorrected");
	for (const int *r = ec->rates; r < ec->rates + 5 && *r; r++) {
		const int rate = *r;
		RatePath pr, pc;
		uint32_t lr, lc;
		const double er = esr_at(ec, &m, rate, RATE_MODE_RESAMPLE, &pr, &lr);
		const double ecorr = esr_at(ec, &m, rate, RATE_MODE_CORRECT, &pc, &lc);
		const double eu = esr_uncorrected(ec, &m, rate);
		printf("%8d %12.3g %8u %12.3g%s %14.3g\n", rate, er, (unsigned)lr, ecorr,
		       pc == RATE_PATH_CORRECT ? "" : "(R)", eu);
		CHECK(pr == RATE_PATH_RESAMPLE, "%d Hz: resample mode ran %s", rate, rate_path_name(pr));
		CHECK(er <= 1e-3, "%s %d Hz: resample ESR %.3g", ec->file, rate, er);
		if (rate > 48000) {
			CHECK(pc == RATE_PATH_CORRECT && lc == 0, "%d Hz: correct mode ran %s, latency %u",
			      rate, rate_path_name(pc), (unsigned)lc);
			CHECK(ecorr <= 1e-2, "%s %d Hz: correction ESR %.3g", ec->file, rate, ecorr);
			CHECK(eu > 10 * ecorr,
			      "%s %d Hz: uncorrected ESR %.3g is not far above corrected "
			      "%.3g",
			      ec->file, rate, eu, ecorr);
		} else {
			CHECK(pc == RATE_PATH_RESAMPLE && ecorr == er,
			      "%d Hz: correct mode below the model's rate must resample (ran %s, ESR %.3g)",
			      rate, rate_path_name(pc), ecorr);
		}
		CHECK(eu > 10 * er, "%s %d Hz: uncorrected ESR %.3g is not far above resampled %.3g",
		      ec->file, rate, eu, er);
	}
	model_desc_free(&m);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rate_fixture_data_dir = argv[1];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		test_esr_table(&cases[k]);
	return check_result();
}
