// SPDX-License-Identifier: ISC
// Checkpoints (see trainer.h): the configuration, the schedule and generator state, the history,
// and the weights, both Adam moments and the best model, written atomically.
#include "trainer.h"
#include "trainer_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char ckpt_magic[16] = "LSTMTRAINCKPT04";

typedef struct {
	char magic[16];
	TrainConfig cfg;
	uint64_t np;
	int64_t step;
	double lr, best_valid, elapsed;
	int32_t epoch, since_best, since_lr, restarts;
	uint64_t rng;
	double grad_norm_avg;
	uint32_t args_bytes, args_count; // the command line that follows the header
	uint64_t checksum; // FNV-1a of everything after the header, so damage is found at load
} CkptHeader;

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

// The checksum of a checkpoint's body, in the order it is written.
static uint64_t body_checksum(const char *args, size_t args_bytes, const float *hl, const float *hv,
                              size_t ne, const real *const blocks[4], size_t np)
{
	uint64_t h = 0xcbf29ce484222325ull;
	h = fnv1a(h, args, args_bytes);
	h = fnv1a(h, hl, ne * sizeof(float));
	h = fnv1a(h, hv, ne * sizeof(float));
	for (int b = 0; b < 4; b++)
		h = fnv1a(h, blocks[b], np * sizeof(real));
	return h;
}

// Longest command line a checkpoint holds.
#define CKPT_MAX_ARGS_BYTES (1u << 20)

int trainer_save_checkpoint(const Trainer *tr, const char *path, char *err, size_t err_len)
{
	CkptHeader h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, ckpt_magic, sizeof h.magic);
	h.cfg = tr->cfg;
	h.np = tr->np;
	h.step = tr->step;
	h.lr = tr->lr;
	h.best_valid = tr->best_valid;
	h.elapsed = trainer_elapsed(tr);
	h.epoch = tr->epoch;
	h.since_best = tr->since_best;
	h.since_lr = tr->since_lr;
	h.restarts = tr->restarts;
	h.rng = tr->rng.state;
	h.grad_norm_avg = tr->grad_norm_avg;
	h.args_bytes = (uint32_t)tr->args_bytes;
	h.args_count = (uint32_t)tr->args_count;
	const real *const blocks[4] = {tr->params, tr->m, tr->v, tr->best};
	h.checksum = body_checksum(tr->args, tr->args_bytes, tr->hist_loss, tr->hist_valid,
	                           (size_t)tr->epoch, blocks, tr->np);
	// A temporary name of its own, so that two writers never share one.
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	if (!tmp)
		return snprintf(err, err_len, "out of memory"), -1;
	snprintf(tmp, len, "%s.tmp-XXXXXX", path);
	const int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		snprintf(err, err_len, "%s: cannot write checkpoint (%s)", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			remove(tmp);
		}
		free(tmp);
		return -1;
	}
	int ok = fwrite(&h, sizeof h, 1, f) == 1;
	ok = ok && (h.args_bytes == 0 || fwrite(tr->args, 1, h.args_bytes, f) == h.args_bytes);
	const size_t ne = (size_t)tr->epoch;
	ok = ok
	     && (ne == 0
	         || (fwrite(tr->hist_loss, sizeof(float), ne, f) == ne
	             && fwrite(tr->hist_valid, sizeof(float), ne, f) == ne));
	// params, m, v and best are consecutive in the block except for grad; write each.
	ok = ok && fwrite(tr->params, sizeof(real), tr->np, f) == tr->np;
	ok = ok && fwrite(tr->m, sizeof(real), tr->np, f) == tr->np;
	ok = ok && fwrite(tr->v, sizeof(real), tr->np, f) == tr->np;
	ok = ok && fwrite(tr->best, sizeof(real), tr->np, f) == tr->np;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, err_len, "%s: cannot write checkpoint (%s)", path, strerror(errno));
		remove(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static int read_header(FILE *f, const char *path, CkptHeader *h, char *err, size_t err_len)
{
	if (fread(h, sizeof *h, 1, f) != 1 || memcmp(h->magic, ckpt_magic, sizeof h->magic) != 0) {
		snprintf(err, err_len, "%s: not a checkpoint written by this lstm-train", path);
		return -1;
	}
	if (h->args_bytes > CKPT_MAX_ARGS_BYTES) {
		snprintf(err, err_len, "%s: checkpoint is damaged (a command line of %u bytes)", path,
		         (unsigned)h->args_bytes);
		return -1;
	}
	return 0;
}

// Opens a checkpoint and reads its header. Returns the file positioned after the header, or
// NULL with a message.
static FILE *open_checkpoint(const char *path, CkptHeader *h, char *err, size_t err_len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_len, "%s: cannot open (%s)", path, strerror(errno));
		return NULL;
	}
	if (read_header(f, path, h, err, err_len) != 0) {
		fclose(f);
		return NULL;
	}
	return f;
}

int trainer_set_args(Trainer *tr, int argc, char *const *argv)
{
	size_t bytes = 0;
	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	if (bytes > CKPT_MAX_ARGS_BYTES)
		return -1;
	char *a = malloc(bytes ? bytes : 1);
	if (!a)
		return -1;
	size_t at = 0;
	for (int i = 0; i < argc; i++) {
		const size_t n = strlen(argv[i]) + 1;
		memcpy(a + at, argv[i], n);
		at += n;
	}
	free(tr->args);
	tr->args = a;
	tr->args_bytes = bytes;
	tr->args_count = argc;
	return 0;
}

int trainer_checkpoint_args(const char *path, char ***argv_out, int *argc_out, char *err,
                            size_t err_len)
{
	*argv_out = NULL;
	*argc_out = 0;
	CkptHeader h;
	FILE *f = open_checkpoint(path, &h, err, err_len);
	if (!f)
		return -1;
	// One block: the pointer array, then the strings.
	const size_t count = h.args_count;
	char **v = malloc((count + 1) * sizeof *v + h.args_bytes + 1);
	if (!v) {
		fclose(f);
		return snprintf(err, err_len, "out of memory"), -1;
	}
	char *text = (char *)(v + count + 1);
	const int ok = fread(text, 1, h.args_bytes, f) == h.args_bytes;
	fclose(f);
	text[h.args_bytes] = 0;
	size_t at = 0, i = 0;
	while (ok && i < count && at < h.args_bytes) {
		v[i++] = text + at;
		at += strlen(text + at) + 1;
	}
	if (!ok || i != count || at != h.args_bytes) {
		free(v);
		return snprintf(err, err_len, "%s: checkpoint is truncated or damaged", path), -1;
	}
	v[count] = NULL;
	*argv_out = v;
	*argc_out = (int)count;
	return 0;
}

int trainer_checkpoint_config(const char *path, TrainConfig *cfg, char *err, size_t err_len)
{
	CkptHeader h;
	FILE *f = open_checkpoint(path, &h, err, err_len);
	if (!f)
		return -1;
	fclose(f);
	*cfg = h.cfg;
	return 0;
}

int trainer_load_checkpoint(Trainer *tr, const char *path, char *err, size_t err_len)
{
	CkptHeader h;
	FILE *f = open_checkpoint(path, &h, err, err_len);
	if (!f)
		return -1;
	if (h.np != tr->np || memcmp(&h.cfg.shape, &tr->cfg.shape, sizeof h.cfg.shape) != 0) {
		fclose(f);
		return snprintf(err, err_len, "%s: checkpoint is for another network shape", path), -1;
	}
	char *args = malloc((size_t)h.args_bytes + 1);
	int ok = args && fread(args, 1, h.args_bytes, f) == h.args_bytes;
	const size_t ne = (size_t)(h.epoch > 0 ? h.epoch : 0);
	float *hl = ne ? malloc(ne * sizeof(float)) : NULL,
		  *hv = ne ? malloc(ne * sizeof(float)) : NULL;
	ok = ok
	     && (ne == 0
	         || (hl && hv && fread(hl, sizeof(float), ne, f) == ne
	             && fread(hv, sizeof(float), ne, f) == ne));
	ok = ok && fread(tr->params, sizeof(real), tr->np, f) == tr->np;
	ok = ok && fread(tr->m, sizeof(real), tr->np, f) == tr->np;
	ok = ok && fread(tr->v, sizeof(real), tr->np, f) == tr->np;
	ok = ok && fread(tr->best, sizeof(real), tr->np, f) == tr->np;
	fclose(f);
	const real *const blocks[4] = {tr->params, tr->m, tr->v, tr->best};
	const char *damage =
		!ok ? "truncated"
		: body_checksum(args, h.args_bytes, hl, hv, ne, blocks, tr->np) != h.checksum
			? "damaged (its checksum does not match)"
			: NULL;
	// A run that diverged must not be resumed: its weights would train nothing.
	for (int b = 0; b < 4 && !damage; b++)
		for (size_t i = 0; i < tr->np; i++)
			if (!isfinite(blocks[b][i])) {
				damage = "unusable: it holds weights that are not finite";
				break;
			}
	free(args);
	if (damage) {
		free(hl);
		free(hv);
		return snprintf(err, err_len, "%s: checkpoint is %s", path, damage), -1;
	}
	free(tr->hist_loss);
	free(tr->hist_valid);
	tr->hist_loss = hl;
	tr->hist_valid = hv;
	tr->step = h.step;
	tr->lr = h.lr;
	tr->best_valid = h.best_valid;
	tr->elapsed_before = h.elapsed;
	tr->t_start = trainer_now_seconds();
	tr->epoch = h.epoch;
	tr->since_best = h.since_best;
	tr->since_lr = h.since_lr;
	tr->restarts = h.restarts;
	tr->rng.state = h.rng;
	tr->grad_norm_avg = h.grad_norm_avg;
	train_forward_weights_update(&tr->fw, &tr->P);
	return 0;
}
