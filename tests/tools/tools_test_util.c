// SPDX-License-Identifier: ISC
// Test helpers: temp folders, raw WAV writing, tiny models, running programs.
#undef NDEBUG
#include "tools_test_util.h"

#include <assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *tt_tmpdir(void)
{
	static char buf[512];
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	snprintf(buf, sizeof buf, "%s/lstm-tools-test-XXXXXX", base);
	// mkdtemp is POSIX.1-2008; declared by <stdlib.h> under _POSIX_C_SOURCE 200809L.
	assert(mkdtemp(buf) != NULL);
	return buf;
}

void tt_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char p[1024];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			tt_rmtree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int tt_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			++n;
	closedir(d);
	return n;
}

const char *tt_path(const char *dir, const char *name)
{
	static char ring[16][1024];
	static int next;
	char *p = ring[next++ % 16];
	snprintf(p, 1024, "%s/%s", dir, name);
	return p;
}

void tt_write_wav(const char *path, const float *data, long frames, int channels, int rate,
                  int format)
{
	SF_INFO info = {0};
	info.samplerate = rate;
	info.channels = channels;
	info.format = format;
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	assert(sf);
	// Keep integer formats from clipping silently: tests choose their own levels.
	sf_command(sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
	assert(sf_writef_float(sf, data, frames) == frames);
	assert(sf_close(sf) == 0);
}

void tt_load_pair(const char *dir, const char *input, const char *target,
                  const CapturePairOptions *o, CapturePair *p)
{
	char err[512] = "";
	if (capture_pair_load(tt_path(dir, input), tt_path(dir, target), o, p, err, sizeof err) != 0) {
		fprintf(stderr, "%s + %s: %s\n", input, target, err);
		assert(0);
	}
}

void tt_write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert(f);
	fputs(text, f);
	assert(fclose(f) == 0);
}

float tt_noise(unsigned *state)
{
	*state = *state * 1664525u + 1013904223u;
	return (float)((*state >> 8) / 16777216.0 * 2.0 - 1.0);
}

static void fill(float *v, size_t n, unsigned *seed, float scale)
{
	for (size_t i = 0; i < n; ++i)
		v[i] = tt_noise(seed) * scale;
}

void tt_make_model(ModelDesc *m, int inputs, int hidden, unsigned seed)
{
	model_desc_init(m);
	m->inputs = inputs;
	m->skip = 1;
	m->sample_rate = 48000.0;
	m->num_layers = 1;
	RecurrentLayerDesc *l = &m->layers[0];
	*l = (RecurrentLayerDesc){.cell = CELL_LSTM, .inputs = inputs, .hidden = hidden};
	assert(model_desc_alloc_layer(l) == 0);
	fill(l->w_ih, (size_t)4 * hidden * inputs, &seed, 0.8f);
	fill(l->w_hh, (size_t)4 * hidden * hidden, &seed, 0.3f);
	fill(l->b_ih, (size_t)4 * hidden, &seed, 0.2f);
	fill(l->b_hh, (size_t)4 * hidden, &seed, 0.2f);
	m->num_dense = 1;
	m->dense[0] = (DenseLayerDesc){.inputs = hidden, .outputs = 1, .activation = ACT_LINEAR};
	assert(model_desc_alloc_dense(&m->dense[0]) == 0);
	fill(m->dense[0].w, (size_t)hidden, &seed, 0.5f);
	fill(m->dense[0].b, 1, &seed, 0.05f);
	static const ControlDesc knobs[] = {
		{"Gain", 0.0f, 1.0f, 0.5f}, {"Tone", -1.0f, 1.0f, 0.0f}, {"Mix", 0.0f, 1.0f, 0.5f}};
	m->num_controls = inputs - 1;
	for (int k = 0; k < inputs - 1; ++k)
		m->controls[k] = knobs[k];
	ModelError err;
	assert(model_desc_validate(m, &err) == MODEL_OK);
}

int tt_run(const char *const *argv, const char *out_path, const char *err_path)
{
	fflush(NULL);
	pid_t pid = fork();
	assert(pid >= 0);
	if (pid == 0) {
		int o = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err_path ? err_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status = 0;
	assert(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *tt_read_text(const char *path)
{
	static char buf[65536];
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return buf;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}
