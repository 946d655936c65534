// SPDX-License-Identifier: ISC
// Offline rendering through LstmNet in blocks, with the model's levels and knob inputs.
#include "model_render.h"
#include "tool_error.h"

#include "rate_player.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RENDER_BLOCK = 4096 };

int render_knob_parse(const char *arg, KnobSetting *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	const char *eq = arg ? strchr(arg, '=') : NULL;
	if (!eq || eq == arg) {
		tool_error_set(err, err_len, "--knob %s: expected NAME=VALUE, e.g. --knob Gain=0.5",
		               arg ? arg : "");
		return -1;
	}
	size_t len = (size_t)(eq - arg);
	if (len >= sizeof out->name) {
		tool_error_set(err, err_len, "--knob %s: the name is too long", arg);
		return -1;
	}
	memcpy(out->name, arg, len);
	out->name[len] = '\0';
	const char *num = eq + 1;
	char *end = NULL;
	errno = 0;
	double v = strtod(num, &end);
	if (!*num || end == num || *end != '\0' || errno == ERANGE || !isfinite(v)) {
		tool_error_set(err, err_len, "--knob %s: '%s' is not a number", arg, num);
		return -1;
	}
	out->value = v;
	return 0;
}

int render_knob_add(const char *arg, KnobSetting *knobs, int *count, int max, char *err,
                    size_t err_len)
{
	if (*count >= max)
		return tool_error_set(err, err_len, "--knob %s: more than %d knobs", arg, max), -1;
	KnobSetting k;
	if (render_knob_parse(arg, &k, err, err_len) != 0)
		return -1;
	for (int i = 0; i < *count; i++)
		if (strcmp(knobs[i].name, k.name) == 0)
			return tool_error_set(err, err_len, "--knob %s: %s given twice (first %.9g)", arg,
			                      k.name, knobs[i].value),
			       -1;
	knobs[(*count)++] = k;
	return 0;
}

int render_isa_parse(const char *s, LstmIsa *out, char *err, size_t err_len)
{
	static const LstmIsa all[] = {LSTM_ISA_AUTO, LSTM_ISA_SCALAR, LSTM_ISA_AVX2, LSTM_ISA_AVX512};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) {
		if (s && strcmp(s, lstm_isa_name(all[i])) == 0) {
			if (!lstm_isa_supported(all[i])) {
				tool_error_set(err, err_len, "--isa %s: this CPU (or this build) cannot run it", s);
				return -1;
			}
			*out = all[i];
			return 0;
		}
	}
	tool_error_set(err, err_len, "--isa %s: unknown (use auto, scalar, avx2 or avx512)",
	               s ? s : "");
	return -1;
}

static int name_equal(const char *a, const char *b)
{
	for (; *a && *b; ++a, ++b)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

// Index of the control a knob name refers to, or -1.
static int find_control(const ModelDesc *m, int controls, const char *name)
{
	for (int k = 0; k < m->num_controls; ++k)
		if (name_equal(m->controls[k].name, name))
			return k;
	const char *digits = name;
	if (tolower((unsigned char)name[0]) == 'k' && strlen(name) > 4) {
		char head[5];
		for (int i = 0; i < 4; ++i)
			head[i] = (char)tolower((unsigned char)name[i]);
		head[4] = '\0';
		if (strcmp(head, "knob") == 0)
			digits = name + 4;
		while (*digits == ' ' || *digits == '_')
			++digits;
	}
	if (digits[0] >= '1' && digits[0] <= '9' && digits[1] == '\0' && digits[0] - '1' < controls)
		return digits[0] - '1';
	return -1;
}

static void control_range(const ModelDesc *m, int k, double *lo, double *hi, double *def)
{
	if (k < m->num_controls) {
		*lo = m->controls[k].min;
		*hi = m->controls[k].max;
		*def = m->controls[k].def;
	} else {
		*lo = 0.0;
		*hi = 1.0;
		*def = 0.5;
	}
}

// Fills value[k] for each conditioning input k (input k + 1) from the knobs and defaults.
static int resolve_knobs(const ModelDesc *m, const RenderOptions *opt, float *value, char *err,
                         size_t err_len)
{
	int controls = m->inputs - 1;
	for (int k = 0; k < controls; ++k) {
		double lo, hi, def;
		control_range(m, k, &lo, &hi, &def);
		value[k] = (float)def;
	}
	for (int i = 0; i < opt->num_knobs; ++i) {
		const KnobSetting *ks = &opt->knobs[i];
		if (controls == 0) {
			tool_error_set(err, err_len, "--knob %s: this model has no knobs (it takes audio only)",
			               ks->name);
			return -1;
		}
		int k = find_control(m, controls, ks->name);
		if (k < 0) {
			char names[256] = "";
			for (int c = 0; c < controls; ++c) {
				size_t u = strlen(names);
				if (c < m->num_controls)
					snprintf(names + u, sizeof names - u, "%s'%s'", c ? ", " : "",
					         m->controls[c].name);
				else
					snprintf(names + u, sizeof names - u, "%s'knob%d'", c ? ", " : "", c + 1);
			}
			tool_error_set(err, err_len,
			               "--knob %s: the model has no knob of that name (knobs: %s)", ks->name,
			               names);
			return -1;
		}
		double lo, hi, def;
		control_range(m, k, &lo, &hi, &def);
		if (ks->value < lo || ks->value > hi) {
			tool_error_set(err, err_len, "--knob %s=%.9g: outside the knob's range %.9g..%.9g",
			               ks->name, ks->value, lo, hi);
			return -1;
		}
		value[k] = (float)ks->value;
	}
	return 0;
}

int model_render(const ModelDesc *m, const RenderOptions *opt, const AudioBuffer *in,
                 const char *in_name, AudioBuffer *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	RenderOptions defaults = {lstm_net_default_options(), NULL, 0, 0, 0, 0};
	if (!opt)
		opt = &defaults;
	if (!in_name)
		in_name = "input";
	int inputs = m->inputs;
	int from_file = in->channels;
	if (from_file != inputs && !(from_file == 1 && inputs > 1)) {
		tool_error_set(
			err, err_len, "%s: %d channels, but the model takes %d input%s%s", in_name,
			in->channels, inputs, inputs == 1 ? " (mono audio)" : "s",
			inputs > 1 ? " (give a mono file and --knob values, or one channel per input)" : "");
		return -1;
	}
	if (from_file == inputs && inputs > 1 && opt->num_knobs > 0) {
		tool_error_set(err, err_len,
		               "%s: the file has a channel for every model input, so --knob "
		               "would have no effect",
		               in_name);
		return -1;
	}
	const int convert = opt->rate_mode != 0 && in->sample_rate != m->sample_rate;
	if (!opt->ignore_rate && !convert && in->sample_rate != m->sample_rate) {
		tool_error_set(err, err_len,
		               "%s: %.0f Hz, but the model was trained at %.0f Hz (resample the "
		               "file, e.g. with sox, or pass --ignore-rate)",
		               in_name, in->sample_rate, m->sample_rate);
		return -1;
	}
	float knob[MODEL_MAX_INPUTS] = {0};
	if (resolve_knobs(m, opt, knob, err, err_len) != 0)
		return -1;

	ModelError merr;
	// Played through the rate path: converted to the file's rate, or the bit-exact bypass when
	// the file plays at the model's rate (or as if it were).
	RatePlayer *player = rate_player_create_opt(
		m, convert ? in->sample_rate : m->sample_rate,
		convert ? (RateMode)(opt->rate_mode - 1) : RATE_MODE_AUTO, RENDER_BLOCK, &opt->net, &merr);
	if (!player) {
		tool_error_set(err, err_len, "cannot build the network: %s", merr.message);
		return -1;
	}
	// The rate player delays its output, and so, when asked, does the model itself: run
	// `latency` frames of silence past the end and drop as many from the start. Without
	// conversion the file plays at the model's rate (or as if it were), so its latency is in
	// frames of that rate.
	long latency = (long)rate_player_latency(player);
	if (opt->remove_latency)
		latency += (long)model_latency_frames(m, convert ? in->sample_rate : m->sample_rate);
	const long total = in->frames + latency;
	float *chan = malloc((size_t)RENDER_BLOCK * (size_t)inputs * sizeof *chan);
	float *raw = malloc(((size_t)total + 1) * sizeof *raw);
	if (!chan || !raw || audio_buffer_alloc(out, in->frames, 1, in->sample_rate) != 0) {
		tool_error_set(err, err_len, "%s: out of memory for %ld frames", in_name, in->frames);
		free(chan);
		free(raw);
		rate_player_destroy(player);
		return -1;
	}
	const float in_gain = powf(10.0f, m->input_gain_db / 20.0f);
	const float out_gain = powf(10.0f, m->output_gain_db / 20.0f);
	const float *ptr[MODEL_MAX_INPUTS];
	for (int c = 0; c < inputs; ++c)
		ptr[c] = chan + (size_t)c * RENDER_BLOCK;
	int rc = 0;
	for (long s = 0; s < total; s += RENDER_BLOCK) {
		long n = total - s < RENDER_BLOCK ? total - s : RENDER_BLOCK;
		for (long t = 0; t < n; ++t) {
			// Past the end (the latency tail): silence, with the knobs held at their last value.
			const long frame = s + t < in->frames ? s + t : in->frames - 1;
			const float *src = frame >= 0 ? in->data + (size_t)frame * (size_t)from_file : NULL;
			chan[t] = s + t < in->frames ? src[0] * in_gain : 0.0f;
			for (int c = 1; c < inputs; ++c)
				chan[(size_t)c * RENDER_BLOCK + (size_t)t] =
					from_file == inputs && src ? src[c] : knob[c - 1];
		}
		rate_player_process(player, ptr, raw + s, (uint32_t)n);
	}
	for (long t = 0; t < in->frames; ++t) {
		float *y = out->data + t;
		*y = raw[t + latency] * out_gain;
		if (!isfinite(*y)) {
			tool_error_set(err, err_len,
			               "%s: the model's output is not finite at frame %ld (the "
			               "network is unstable on this input)",
			               in_name, t);
			rc = -1;
			break;
		}
	}
	free(raw);
	rate_player_destroy(player);
	free(chan);
	if (rc != 0)
		audio_buffer_free(out);
	return rc;
}
