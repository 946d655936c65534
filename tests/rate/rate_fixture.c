// SPDX-License-Identifier: ISC
// The shared test fixture of tests/rate/ (rate_fixture.h).
#include "rate_fixture.h"

#include "model_load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

const char *rate_fixture_data_dir = ".";

static void data_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", rate_fixture_data_dir, name);
}

void rate_fixture_model(ModelDesc *m) { rate_fixture_model_named(m, "model_lstm16_48k.json"); }

void rate_fixture_model_named(ModelDesc *m, const char *name)
{
	char path[4096];
	ModelError err;
	data_path(path, sizeof path, name);
	if (model_load_file(path, m, &err) != MODEL_OK) {
		fprintf(stderr, "cannot load the test model: %s\n", err.message);
		abort();
	}
}

void rate_fixture_identity_model(ModelDesc *m, double rate, int inputs)
{
	model_desc_init(m);
	m->inputs = inputs;
	m->skip = inputs;
	m->sample_rate = rate;
	m->num_layers = 1;
	m->layers[0].cell = CELL_LSTM;
	m->layers[0].inputs = inputs;
	m->layers[0].hidden = 1;
	m->num_dense = 1;
	m->dense[0].inputs = 1;
	m->dense[0].outputs = 1;
	m->dense[0].activation = ACT_LINEAR;
	ModelError err;
	if (model_desc_alloc_layer(&m->layers[0]) != 0 || model_desc_alloc_dense(&m->dense[0]) != 0
	    || model_desc_validate(m, &err) != MODEL_OK) {
		fprintf(stderr, "identity model: cannot build\n");
		abort();
	}
}

typedef struct {
	double start, attack, decay;
	int count;
	double f[256], a[256], ph[256];
} Partials;

static void read_partials(Partials *s)
{
	char path[4096], line[512];
	data_path(path, sizeof path, "signal.txt");
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "%s: cannot open\n", path);
		abort();
	}
	int got_env = 0;
	s->count = 0;
	while (fgets(line, sizeof line, fp)) {
		if (line[0] == '#')
			continue;
		double u, v, w;
		if (sscanf(line, "%lf %lf %lf", &u, &v, &w) != 3 || s->count >= 256) {
			fprintf(stderr, "%s: bad line: %s", path, line);
			abort();
		}
		if (!got_env) {
			s->start = u, s->attack = v, s->decay = w;
			got_env = 1;
		} else {
			s->f[s->count] = u, s->a[s->count] = v, s->ph[s->count] = w;
			s->count++;
		}
	}
	fclose(fp);
	if (s->count == 0) {
		fprintf(stderr, "%s: no partials\n", path);
		abort();
	}
}

float *rate_fixture_signal(double rate, size_t frames)
{
	return rate_fixture_signal_scaled(rate, frames, 1.0);
}

float *rate_fixture_signal_scaled(double rate, size_t frames, double gain)
{
	static Partials s;
	read_partials(&s);
	float *x = malloc(frames * sizeof *x + 1);
	if (!x)
		abort();
	for (size_t k = 0; k < frames; k++) {
		const double t = (double)k / rate;
		double v = 0.0;
		for (int i = 0; i < s.count; i++)
			v += s.a[i] * sin(2.0 * PI * s.f[i] * t + s.ph[i]);
		double u = (t - s.start) / s.attack;
		u = u < 0.0 ? 0.0 : u > 1.0 ? 1.0 : u;
		double e = 0.5 - 0.5 * cos(PI * u);
		e *= exp(-(t > s.start ? t - s.start : 0.0) / s.decay);
		x[k] = (float)(gain * (v * e));
	}
	return x;
}

float *rate_fixture_expected(int rate, size_t *frames)
{
	return rate_fixture_expected_named("expected_", rate, frames);
}

float *rate_fixture_expected_named(const char *prefix, int rate, size_t *frames)
{
	char name[256], path[4096];
	snprintf(name, sizeof name, "%s%d.f32", prefix, rate);
	data_path(path, sizeof path, name);
	FILE *fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) != 0) {
		fprintf(stderr, "%s: cannot open\n", path);
		abort();
	}
	const long bytes = ftell(fp);
	rewind(fp);
	*frames = (size_t)bytes / 4;
	float *y = malloc((size_t)bytes + 4);
	unsigned char *raw = malloc((size_t)bytes + 4);
	if (!y || !raw || fread(raw, 1, (size_t)bytes, fp) != (size_t)bytes) {
		fprintf(stderr, "%s: cannot read\n", path);
		abort();
	}
	fclose(fp);
	for (size_t k = 0; k < *frames; k++) {
		const uint32_t b = (uint32_t)raw[4 * k] | (uint32_t)raw[4 * k + 1] << 8
		                   | (uint32_t)raw[4 * k + 2] << 16 | (uint32_t)raw[4 * k + 3] << 24;
		memcpy(&y[k], &b, 4);
	}
	free(raw);
	return y;
}

double rate_fixture_esr(const float *y, const float *ref, size_t n)
{
	double mean = 0.0;
	for (size_t k = 0; k < n; k++)
		mean += ref[k];
	mean /= (double)n;
	double e = 0.0, s = 0.0;
	for (size_t k = 0; k < n; k++) {
		const double d = (double)y[k] - ref[k];
		e += d * d;
		s += (ref[k] - mean) * (ref[k] - mean);
	}
	return e / s;
}

void rate_fixture_render(RatePlayer *p, const float *x, float *y, size_t frames, size_t block)
{
	for (size_t done = 0; done < frames;) {
		const size_t k = frames - done < block ? frames - done : block;
		const float *in[1] = {x + done};
		rate_player_process(p, in, y + done, (uint32_t)k);
		done += k;
	}
}
