// SPDX-License-Identifier: ISC
// The training loop: the same seed with one thread gives a bit-identical model run to run (and
// so does a fixed thread count above one); a checkpoint taken after one epoch and resumed in a
// new trainer continues bit-identically to an uninterrupted run; training lowers the loss.
#undef NDEBUG
#include "trainer.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { N = 48000 };
static float xs[N], ts[N];

static void make_data(void)
{
	float lp = 0;
	unsigned s = 7;
	for (int i = 0; i < N; i++) {
		s = s * 1664525u + 1013904223u;
		xs[i] = 0.5f * sinf(0.02f * (float)i) * sinf(0.0011f * (float)i)
		        + 0.05f * ((float)(s >> 8) / 16777216.0f - 0.5f);
		lp += 0.3f * (tanhf(3.0f * xs[i]) - lp);
		ts[i] = lp;
	}
}

static TrainConfig small_config(int threads)
{
	TrainConfig c = train_config_default();
	c.shape.hidden = 12;
	c.segment = 2400;
	c.batch = 6;
	c.warmup = 200;
	c.tbptt = 512;
	c.threads = threads;
	c.seed = 1234;
	return c;
}

static const TrainSeries series = {xs, ts, N, 40000, N, NULL, 0};

static float *train(int threads, int epochs, double *loss_first, double *loss_last)
{
	TrainConfig c = small_config(threads);
	char err[256];
	Trainer *tr = trainer_create(&c, &series, 1, err, sizeof err);
	assert(tr);
	for (int e = 0; e < epochs; e++) {
		TrainEpochReport rep;
		trainer_run_epoch(tr, NULL, NULL, NULL, &rep);
		if (e == 0 && loss_first)
			*loss_first = rep.train_loss;
		if (loss_last)
			*loss_last = rep.train_loss;
	}
	size_t n = trainer_param_count(tr);
	float *p = malloc(n * sizeof(float));
	assert(p);
	memcpy(p, trainer_params(tr), n * sizeof(float));
	trainer_free(tr);
	return p;
}

static size_t param_count(void)
{
	TrainConfig c = small_config(1);
	return train_shape_param_count(&c.shape);
}

static void test_determinism(void)
{
	const size_t n = param_count();
	double l0, l1;
	float *a = train(1, 3, &l0, &l1);
	float *b = train(1, 3, NULL, NULL);
	assert(memcmp(a, b, n * sizeof(float)) == 0);
	float *c = train(2, 3, NULL, NULL);
	float *d = train(2, 3, NULL, NULL);
	assert(memcmp(c, d, n * sizeof(float)) == 0);
	printf("determinism: 1 thread and 2 threads each bit-identical; loss %.4f -> %.4f\n", l0, l1);
	assert(l1 < 0.5 * l0);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void test_resume(void)
{
	const size_t n = param_count();
	float *whole = train(1, 2, NULL, NULL);
	char path[] = "/tmp/test_trainer_ckptXXXXXX";
	int fd = mkstemp(path);
	assert(fd >= 0);
	close(fd);
	TrainConfig c = small_config(1);
	char err[256];
	Trainer *tr = trainer_create(&c, &series, 1, err, sizeof err);
	TrainEpochReport rep;
	trainer_run_epoch(tr, NULL, NULL, NULL, &rep);
	assert(trainer_save_checkpoint(tr, path, err, sizeof err) == 0);
	trainer_free(tr);
	TrainConfig c2;
	assert(trainer_checkpoint_config(path, &c2, err, sizeof err) == 0);
	assert(c2.shape.hidden == c.shape.hidden && c2.seed == c.seed);
	tr = trainer_create(&c, &series, 1, err, sizeof err);
	assert(trainer_load_checkpoint(tr, path, err, sizeof err) == 0);
	assert(trainer_epochs_done(tr) == 1);
	trainer_run_epoch(tr, NULL, NULL, NULL, &rep);
	assert(memcmp(trainer_params(tr), whole, n * sizeof(float)) == 0);
	trainer_free(tr);
	// A checkpoint of another shape is refused.
	c.shape.hidden = 8;
	tr = trainer_create(&c, &series, 1, err, sizeof err);
	assert(trainer_load_checkpoint(tr, path, err, sizeof err) != 0);
	assert(strstr(err, "shape"));
	trainer_free(tr);
	// A damaged byte, a cut file and non-finite weights are each refused with the reason.
	c.shape.hidden = 4;
	tr = trainer_create(&c, &series, 1, err, sizeof err);
	assert(trainer_save_checkpoint(tr, path, err, sizeof err) == 0);
	FILE *f = fopen(path, "r+b");
	assert(f && fseek(f, -5, SEEK_END) == 0);
	int byte = fgetc(f);
	assert(fseek(f, -5, SEEK_END) == 0 && fputc(byte ^ 0x40, f) != EOF && fclose(f) == 0);
	assert(trainer_load_checkpoint(tr, path, err, sizeof err) != 0 && strstr(err, "checksum"));
	assert(trainer_save_checkpoint(tr, path, err, sizeof err) == 0);
	assert(truncate(path, 600) == 0);
	assert(trainer_load_checkpoint(tr, path, err, sizeof err) != 0 && strstr(err, "truncated"));
	((real *)trainer_params(tr))[0] = NAN;
	assert(trainer_save_checkpoint(tr, path, err, sizeof err) == 0);
	assert(trainer_load_checkpoint(tr, path, err, sizeof err) != 0 && strstr(err, "not finite"));
	trainer_free(tr);
	remove(path);
	free(whole);
	printf("resume: continued run bit-identical to an uninterrupted one\n");
}

int main(void)
{
	make_data();
	test_determinism();
	test_resume();
	return 0;
}
