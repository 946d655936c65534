// SPDX-License-Identifier: ISC
// Output modes and input calibration against NAM's formulas. calibrated_lstm.nam (written by
// data/make_calibrated_nam.py) states loudness -23.5 dB, input_level_dbu 16.5 and
// output_level_dbu 9.25. For each setting of the three level controls, the plugin must play
// exactly what the plain gain controls give at the gains NAM's plugin applies, worked out here
// from those figures and not by the plugin's code:
//   Auto (a NAM file, as NAM plays it by default) and Normalized: out -18 - loudness;
//   Raw: out 0; Calibrated: out output_level_dbu - interface; calibrated input:
//   in interface - input_level_dbu.
// A second instance in Raw mode with in_gain/out_gain set to those dB is the reference. The
// bundle's own crunch model (an lstm-train file: a loudness_db, no dBu levels) plays Auto at its
// file's gain, Normalized at -18 - loudness_db, and Calibrated and the input calibration raw.
// A control changed while the plugin runs reloads the model at the new gains; one that changes
// nothing for the model (the interface level in Raw mode) reloads nothing.
//
//   test_plugin_levels BUNDLE_DIR CALIBRATED_NAM
#undef NDEBUG
#include "lstm_uris.h"
#include "lv2_host.h"
#include "model_info.h"
#include "model_load.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { BLOCK = 256, FRAMES = 8192 };

static HostWorld *hw;
static char crunch[HOST_PATH_MAX + 32];
static const char *nam;

typedef struct {
	float mode, calibrate, interface_dbu; // the three controls
	float in_db, out_db;                  // NAM's gains for them
} Case;

static uint32_t rng_state = 99u;

static float noise(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return ((float)(rng_state >> 8) / 8388608.0f - 1.0f) * 0.3f;
}

static void run_silence(HostInstance *hi, int blocks)
{
	float buf[BLOCK];
	for (int b = 0; b < blocks; b++) {
		memset(buf, 0, sizeof buf);
		host_run(hi, buf, buf, BLOCK);
		host_settle(hi);
	}
}

// An instance with the controls set, playing path once its load and fade are over.
static HostInstance *instance(const char *path, const Case *c, float in_gain, float out_gain)
{
	HostInstance *hi = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	hi->controls[LSTM_PORT_OUTPUT_MODE] = c->mode;
	hi->controls[LSTM_PORT_CALIBRATE_INPUT] = c->calibrate;
	hi->controls[LSTM_PORT_INTERFACE_DBU] = c->interface_dbu;
	hi->controls[LSTM_PORT_IN_GAIN] = in_gain;
	hi->controls[LSTM_PORT_OUT_GAIN] = out_gain;
	host_send_model(hi, path, HOST_MSG_PATH);
	run_silence(hi, 40);
	assert(!strcmp(hi->notified_model, path));
	return hi;
}

// Largest difference between the two instances on the same noise, relative to the peak.
static double compare(HostInstance *a, HostInstance *b, double *peak_out)
{
	static float x[FRAMES], ya[FRAMES], yb[FRAMES];
	for (int i = 0; i < FRAMES; i++)
		x[i] = noise();
	for (int done = 0; done < FRAMES; done += BLOCK) {
		host_run(a, x + done, ya + done, BLOCK);
		host_run(b, x + done, yb + done, BLOCK);
	}
	double diff = 0.0, peak = 0.0;
	for (int i = 0; i < FRAMES; i++) {
		diff = fmax(diff, fabs((double)ya[i] - yb[i]));
		peak = fmax(peak, fabs((double)yb[i]));
	}
	*peak_out = peak;
	return diff / fmax(peak, 1e-12);
}

static void check_case(const char *path, const char *what, const Case *c)
{
	const Case raw = {1, 0, 12, 0, 0};
	HostInstance *a = instance(path, c, 0.0f, 0.0f);
	HostInstance *b = instance(path, &raw, c->in_db, c->out_db);
	double peak;
	const double rel = compare(a, b, &peak);
	printf("%-28s in %+6.2f dB, out %+6.2f dB: largest difference %.2e of the peak %.3f\n", what,
	       (double)c->in_db, (double)c->out_db, rel, peak);
	assert(peak > 1e-3 && rel < 1e-5);
	host_instance_free(a);
	host_instance_free(b);
}

int main(int argc, char **argv)
{
	assert(argc == 3);
	hw = host_world_new(argv[1]);
	nam = argv[2];
	snprintf(crunch, sizeof crunch, "%scrunch.lstm.json", hw->bundle_dir);
	setvbuf(stdout, NULL, _IOLBF, 0);

	// NAM's formulas on the NAM file's stated figures.
	const float loud = -23.5f, in_dbu = 16.5f, out_dbu = 9.25f, norm = -18.0f - loud;
	const Case nam_cases[] = {
		{0, 0, 12, 0, norm},                   // Auto: NAM's default, Normalized
		{1, 0, 12, 0, 0},                      // Raw
		{2, 0, 12, 0, norm},                   // Normalized
		{3, 0, 12, 0, out_dbu - 12},           // Calibrated at 12 dBu
		{3, 1, 12, 12 - in_dbu, out_dbu - 12}, // and the input calibrated
		{2, 1, 20, 20 - in_dbu, norm},         // Normalized, input at a 20 dBu interface
		{1, 1, 6, 6 - in_dbu, 0},              // Raw, input at a 6 dBu interface
		{3, 1, -3, -3 - in_dbu, out_dbu + 3},  // a -3 dBu interface
	};
	const char *nam_what[] = {"NAM, Auto",
	                          "NAM, Raw",
	                          "NAM, Normalized",
	                          "NAM, Calibrated",
	                          "NAM, Calibrated + input",
	                          "NAM, Normalized + input 20",
	                          "NAM, Raw + input 6",
	                          "NAM, Calibrated + input -3"};
	for (size_t k = 0; k < sizeof nam_cases / sizeof nam_cases[0]; k++)
		check_case(nam, nam_what[k], &nam_cases[k]);

	// The bundle's crunch: its loudness_db from its file; no dBu levels, so Calibrated and the
	// input calibration leave it raw.
	ModelDesc d;
	ModelError e;
	assert(model_load_file(crunch, &d, &e) == MODEL_OK);
	ModelSummary s;
	model_summary(&d, &s);
	assert(isfinite(s.loudness_db) && !isfinite(s.input_level_dbu) && d.output_gain_db == 0.0f);
	model_desc_free(&d);
	const Case lstm_cases[] = {
		{0, 0, 12, 0, 0},
		{2, 0, 12, 0, -18.0f - (float)s.loudness_db},
		{3, 1, 12, 0, 0},
	};
	const char *lstm_what[] = {"crunch, Auto", "crunch, Normalized", "crunch, Calibrated + input"};
	for (size_t k = 0; k < sizeof lstm_cases / sizeof lstm_cases[0]; k++)
		check_case(crunch, lstm_what[k], &lstm_cases[k]);

	// While running: Auto -> Calibrated with the input calibrated reloads once and lands on the
	// reference; the interface level in Raw mode does nothing to the crunch model.
	{
		const Case from = {0, 0, 12, 0, 0}, to = nam_cases[4], raw = {1, 0, 12, 0, 0};
		HostInstance *a = instance(nam, &from, 0, 0);
		HostInstance *b = instance(nam, &raw, to.in_db, to.out_db);
		const uint32_t jobs = host_worker_jobs(a);
		a->controls[LSTM_PORT_OUTPUT_MODE] = to.mode;
		a->controls[LSTM_PORT_CALIBRATE_INPUT] = to.calibrate;
		run_silence(a, 60); // reload, crossfade, and the free of the model it replaced
		run_silence(b, 60);
		assert(host_worker_jobs(a) - jobs == 2);
		double peak;
		const double rel = compare(a, b, &peak);
		assert(rel < 1e-5);
		HostInstance *c = instance(crunch, &raw, 0, 0);
		const uint32_t cj = host_worker_jobs(c);
		c->controls[LSTM_PORT_INTERFACE_DBU] = 0.0f;
		run_silence(c, 20);
		assert(host_worker_jobs(c) == cj);
		printf("while running: a mode change reloads once and plays the new gains (%.2e); the "
		       "interface level reloads nothing in Raw mode\n",
		       rel);
		host_instance_free(a);
		host_instance_free(b);
		host_instance_free(c);
	}
	host_world_free(hw);
	return 0;
}
