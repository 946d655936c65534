// SPDX-License-Identifier: ISC
// The plugin through lilv, as a host sees it: the bundle and its presets load; at 44.1, 48 and
// 96 kHz, with and without host features, noise, silence and impulses in blocks of 0, 1, 3, 64,
// 4096 and random sizes, in place or not, give exactly the engine's output for the default
// model; state saved to disk and restored into a new instance gives identical output; a
// thousand model switches (threaded and synchronous worker) with bad files and malformed
// messages mixed in never crash, log each problem, keep the current model, and never jump
// more than the stated bound.
// Usage: test_plugin <bundle-dir> <default-model> <model-a> <model-b> <model-c>
//   (models as file names inside the bundle)
// LSTM_TEST_QUICK=1 (lv2_valgrind, under valgrind): 48 kHz only, blocks of random sizes only,
// 60 switches with a bad request every 8th, which still sends every kind of bad request, and
// without the rate-control and non-finite-log tests (seconds of audio each).
#undef NDEBUG
#include "lstm_uris.h"
#include "lv2_host.h"
#include "lstm_net.h"
#include "model_file.h"
#include "model_info.h"
#include "model_load.h"
#include "model_selftest.h"
#include "rate_player.h"

#include <lv2/atom/atom.h>
#include <lv2/presets/presets.h>
#include <lv2/state/state.h>

#include <assert.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SIG_LEN = 5000, FADE_48K = 1440 };
static bool quick; // LSTM_TEST_QUICK

static HostWorld *hw;
static char default_model[HOST_PATH_MAX];
static char models[3][HOST_PATH_MAX];       // the bundle's
static char small_models[3][HOST_PATH_MAX]; // for the switch test, written by write_small_models
static char small_dir[] = "/tmp/lstm-switch-XXXXXX";
static uint32_t rng_state = 4242u;

static uint32_t rnd(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return rng_state >> 8;
}

static void nap_us(long us)
{
	const struct timespec ts = {0, us * 1000};
	nanosleep(&ts, NULL);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static float noise(void) { return (float)(rnd() / 16777216.0 * 2.0 - 1.0) * 0.5f; }

// The engine alone on a model file with every knob at the model's default (what the plugin's
// knob ports mean at their default, 0.5) and the model's own levels around it, as the plugin
// applies them: the reference. At another rate than the model's, the network plays through a
// RatePlayer in auto mode, as the plugin's does (at the model's rate that is the network
// itself, bit for bit).
static void engine_render_at(const char *path, double rate, const float *in, float *out, uint32_t n)
{
	ModelDesc m;
	ModelError err;
	if (model_load_file(path, &m, &err) != MODEL_OK) {
		fprintf(stderr, "%s\n", err.message);
		exit(1);
	}
	RatePlayer *player = rate_player_create(&m, rate, RATE_MODE_AUTO, 64, &err);
	assert(player);
	float *buf = malloc((size_t)n * 4 * sizeof(float));
	float *x = buf + (size_t)n * 3;
	const float level_in = m.input_gain_db == 0.0f ? 1.0f : powf(10.0f, m.input_gain_db / 20.0f);
	const float level_out = m.output_gain_db == 0.0f ? 1.0f : powf(10.0f, m.output_gain_db / 20.0f);
	for (uint32_t t = 0; t < n; t++)
		x[t] = level_in == 1.0f ? in[t] : in[t] * level_in;
	const float *inputs[4] = {x};
	for (int k = 0; k < m.inputs - 1; k++) {
		const float def = k < m.num_controls ? m.controls[k].def : 0.5f;
		for (uint32_t t = 0; t < n; t++)
			buf[(size_t)k * n + t] = def;
		inputs[1 + k] = buf + (size_t)k * n;
	}
	rate_player_process(player, inputs, out, n);
	if (level_out != 1.0f)
		for (uint32_t t = 0; t < n; t++)
			out[t] *= level_out;
	free(buf);
	rate_player_destroy(player);
	model_desc_free(&m);
}

static void engine_render(const char *path, const float *in, float *out, uint32_t n)
{
	engine_render_at(path, 48000.0, in, out, n);
}

// What the plugin calls knob k of a model file: its control name, "Knob N" or "(unused)".
static void expected_knob_name(const char *path, int k, char *name, size_t len)
{
	ModelDesc m;
	ModelError err;
	assert(model_load_file(path, &m, &err) == MODEL_OK);
	if (k < m.num_controls && m.controls[k].name[0])
		snprintf(name, len, "%s", m.controls[k].name);
	else
		snprintf(name, len, k < m.inputs - 1 ? "Knob %d" : "(unused)", k + 1);
	model_desc_free(&m);
}

static void test_bundle_and_presets(void)
{
	assert(lilv_plugin_get_num_ports(hw->plugin) == LSTM_NUM_PORTS);
	LilvNode *pset = lilv_new_uri(hw->world, LV2_PRESETS__Preset);
	LilvNodes *presets = lilv_plugin_get_related(hw->plugin, pset);
	assert(lilv_nodes_size(presets) >= 3);
	int checked = 0;
	static char seen[8][HOST_PATH_MAX];
	LILV_FOREACH(nodes, it, presets)
	{
		const LilvNode *preset = lilv_nodes_get(presets, it);
		assert(lilv_world_load_resource(hw->world, preset) >= 0);
		LilvState *state = lilv_state_new_from_world(hw->world, &hw->map, preset);
		assert(state);
		assert(lilv_state_get_label(state));
		HostInstance *hi = host_instance_new(hw, 48000, HOST_SYNC_WORKER);
		assert(hi);
		lilv_instance_deactivate(hi->instance);
		host_state_restore(hi, state);
		lilv_instance_activate(hi->instance);
		float buf[64] = {0};
		host_run(hi, buf, buf, 64);
		// The preset names a model file inside the bundle, and that is what now plays.
		printf("preset %s -> %s\n", lilv_state_get_label(state), hi->notified_model);
		assert(!strncmp(hi->notified_model, hw->bundle_dir, strlen(hw->bundle_dir)));
		assert(access(hi->notified_model, R_OK) == 0);
		for (int k = 0; k < checked && k < 8; k++)
			assert(strcmp(seen[k], hi->notified_model) != 0); // each preset its own model
		if (checked < 8)
			snprintf(seen[checked], sizeof(seen[checked]), "%s", hi->notified_model);
		host_instance_free(hi);
		lilv_state_free(state);
		checked++;
	}
	assert(checked >= 3);
	lilv_nodes_free(presets);
	lilv_node_free(pset);
}

typedef enum { SIG_NOISE, SIG_SILENCE, SIG_IMPULSES, NUM_SIGNALS } Signal;

static void make_signal(Signal s, float *v, uint32_t n)
{
	for (uint32_t t = 0; t < n; t++)
		v[t] = s == SIG_NOISE ? noise() : (s == SIG_IMPULSES && t % 1500 == 7) ? 0.9f : 0.0f;
}

// Runs the whole signal through hi in blocks of block (0: zero-length runs between random
// ones; -1: random sizes).
static void render(HostInstance *hi, const float *in, float *out, uint32_t n, int block,
                   int in_place)
{
	if (in_place)
		memcpy(out, in, n * sizeof(float));
	const float *src = in_place ? out : in;
	for (uint32_t done = 0; done < n;) {
		uint32_t len = block > 0 ? (uint32_t)block : 1 + rnd() % 700;
		if (len > n - done)
			len = n - done;
		if (block == 0)
			host_run(hi, src + done, out + done, 0);
		host_run(hi, src + done, out + done, len);
		done += len;
	}
}

static void test_rates_blocks_and_features(void)
{
	static float in[SIG_LEN], out[SIG_LEN], ref[NUM_SIGNALS][SIG_LEN], sig[NUM_SIGNALS][SIG_LEN];
	for (int s = 0; s < NUM_SIGNALS; s++)
		make_signal((Signal)s, sig[s], SIG_LEN);
	const double rates[] = {44100, 48000, 96000};
	const int blocks[] = {0, 1, 3, 64, 4096, -1};
	const HostMode modes[] = {HOST_NO_FEATURES, HOST_SYNC_WORKER};
	int runs = 0;
	for (int r = 0; r < 3; r++) {
		if (quick && rates[r] != 48000)
			continue;
		for (int s = 0; s < NUM_SIGNALS; s++)
			engine_render_at(default_model, rates[r], sig[s], ref[s], SIG_LEN);
		// Without host features only at 48 kHz: the rate changes nothing on that path.
		for (int md = rates[r] == 48000 ? 0 : 1; md < 2; md++) {
			const uint32_t warnings = host_log_warnings();
			HostInstance *hi = host_instance_new(hw, rates[r], modes[md]);
			assert(hi);
			// A model of another rate is converted (rate/), not warned about.
			assert(host_log_warnings() == warnings);
			for (int s = 0; s < NUM_SIGNALS; s++)
				for (int b = 0; b < 6; b++)
					for (int ip = 0; ip < 2; ip++) {
						if (quick && blocks[b] != -1)
							continue;
						lilv_instance_deactivate(hi->instance);
						lilv_instance_activate(hi->instance);
						memcpy(in, sig[s], sizeof(in));
						render(hi, in, out, SIG_LEN, blocks[b], ip);
						if (memcmp(out, ref[s], sizeof(out)) != 0) {
							fprintf(stderr,
							        "rate %g mode %d signal %d block %d in-place %d: "
							        "differs from the engine\n",
							        rates[r], md, s, blocks[b], ip);
							abort();
						}
						runs++;
					}
			host_instance_free(hi);
		}
	}
	printf("%d renders bit-identical to the engine\n", runs);
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[HOST_PATH_MAX];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

// Whether two names lead to the same file (a restored state may name a link to the model).
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// Runs blocks of silence until the notify port reports path (or gives up).
static void wait_for_model(HostInstance *hi, const char *path)
{
	float buf[256];
	for (int k = 0; k < 20000; k++) {
		memset(buf, 0, sizeof(buf));
		host_run(hi, buf, buf, 256);
		if (same_file(hi->notified_model, path))
			break;
		host_settle(hi);
	}
	assert(same_file(hi->notified_model, path));
}

static void test_state_round_trip(void)
{
	HostInstance *a = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	a->controls[LSTM_PORT_IN_GAIN] = 3.0f;
	a->controls[LSTM_PORT_OUT_GAIN] = -2.0f;
	a->controls[LSTM_PORT_MIX] = 0.8f;
	a->controls[LSTM_PORT_KNOB1] = 0.3f;
	host_send_model(a, models[2], HOST_MSG_PATH);
	wait_for_model(a, models[2]);

	char dir[] = "/tmp/lstm-state-XXXXXX";
	assert(mkdtemp(dir));
	LilvState *saved = host_state_save(a, dir);
	assert(saved);
	assert(lilv_state_save(hw->world, &hw->map, &hw->unmap, saved, NULL, dir, "state.ttl") == 0);
	lilv_state_free(saved);
	char file[HOST_PATH_MAX];
	snprintf(file, sizeof(file), "%s/state.ttl", dir);
	LilvState *loaded = lilv_state_new_from_file(hw->world, &hw->map, NULL, file);
	assert(loaded);

	// Restored while inactive: loads directly.
	HostInstance *b = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	lilv_instance_deactivate(b->instance);
	host_state_restore(b, loaded);
	lilv_instance_activate(b->instance);
	assert(b->controls[LSTM_PORT_IN_GAIN] == 3.0f && b->controls[LSTM_PORT_MIX] == 0.8f);
	assert(b->controls[LSTM_PORT_KNOB1] == 0.3f && b->controls[LSTM_PORT_OUT_GAIN] == -2.0f);
	// The original, reset to its initial state, and the restored copy play the same bits.
	lilv_instance_deactivate(a->instance);
	lilv_instance_activate(a->instance);
	static float in[SIG_LEN], out_a[SIG_LEN], out_b[SIG_LEN], out_default[SIG_LEN];
	make_signal(SIG_NOISE, in, SIG_LEN);
	render(a, in, out_a, SIG_LEN, 256, 0);
	render(b, in, out_b, SIG_LEN, 256, 0);
	assert(same_file(b->notified_model, models[2]));
	// The knob names come from the model file; the plugin sends them when asked.
	assert(!b->knob_names[0][0]);
	host_send_get(b);
	float silence[64] = {0};
	host_run(b, silence, silence, 64);
	for (int k = 0; k < 3; k++) {
		char name[64];
		expected_knob_name(models[2], k, name, sizeof(name));
		assert(!strcmp(b->knob_names[k], name));
	}
	// And what plays: the name, ESR and latency its file states.
	{
		ModelDesc d;
		ModelError e;
		assert(model_load_file(models[2], &d, &e) == MODEL_OK);
		ModelSummary sum;
		model_summary(&d, &sum);
		assert(sum.name[0] && sum.esr > 0); // a bundled model names itself and its ESR
		assert(!strcmp(b->model_name, sum.name) && b->model_esr == (float)sum.esr);
		assert(b->model_latency == d.latency_samples);
		printf("state: after a patch:Get the host hears the model's name \"%s\", ESR %g and "
		       "latency %g\n",
		       b->model_name, (double)b->model_esr, (double)b->model_latency);
		model_desc_free(&d);
	}
	assert(memcmp(out_a, out_b, sizeof(out_a)) == 0);
	engine_render(default_model, in, out_default, SIG_LEN);
	assert(memcmp(out_a, out_default, sizeof(out_a)) != 0);

	// Restored while running: through the worker, then announced.
	HostInstance *c = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	host_state_restore(c, loaded);
	wait_for_model(c, models[2]);

	lilv_state_free(loaded);
	host_instance_free(a);
	host_instance_free(b);
	host_instance_free(c);
	remove_dir(dir);
}

// What restore() is handed back for the model: a path of `size` bytes, typed atom:Path.
typedef struct {
	const char *value;
	size_t size;
	uint32_t key, type;
} StoredPath;

static const void *retrieve_path(LV2_State_Handle handle, uint32_t key, size_t *size,
                                 uint32_t *type, uint32_t *flags)
{
	const StoredPath *sp = handle;
	if (key != sp->key)
		return NULL;
	*size = sp->size;
	*type = sp->type;
	*flags = LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE;
	return sp->value;
}

// Carla hands a saved path back to restore() without its terminating NUL (size = strlen):
// the chosen model is restored all the same, as it is with the NUL; a path with a NUL inside,
// or that is not an atom:Path, is refused with BAD_TYPE and the model kept.
static void test_state_restore_without_nul(void)
{
	HostInstance *hi = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	const LV2_State_Interface *st =
		lilv_instance_get_extension_data(hi->instance, LV2_STATE__interface);
	assert(st && st->restore);
	LV2_Handle h = lilv_instance_get_handle(hi->instance);
	const LV2_Feature *none[] = {NULL};
	const uint32_t key = hw->map.map(hw->map.handle, LSTM__model);
	const uint32_t path_type = hw->map.map(hw->map.handle, LV2_ATOM__Path);
	const uint32_t string_type = hw->map.map(hw->map.handle, LV2_ATOM__String);
	const size_t len = strlen(models[1]);
	for (int with_nul = 0; with_nul < 2; with_nul++) {
		const char *want = models[with_nul ? 2 : 1];
		StoredPath sp = {want, strlen(want) + (size_t)with_nul, key, path_type};
		lilv_instance_deactivate(hi->instance);
		assert(st->restore(h, retrieve_path, &sp, 0, none) == LV2_STATE_SUCCESS);
		lilv_instance_activate(hi->instance);
		wait_for_model(hi, want);
	}
	char inner[HOST_PATH_MAX + 8];
	memcpy(inner, models[1], len + 1);
	inner[len / 2] = '\0';
	StoredPath bad[] = {{inner, len + 1, key, path_type},
	                    {models[1], len + 1, key, string_type},
	                    {"", 0, key, path_type}};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		lilv_instance_deactivate(hi->instance);
		assert(st->restore(h, retrieve_path, &bad[k], 0, none) == LV2_STATE_ERR_BAD_TYPE);
		lilv_instance_activate(hi->instance);
	}
	float buf[256] = {0};
	host_run(hi, buf, buf, 256);
	assert(same_file(hi->notified_model, models[2]));
	printf("state: a path without its NUL (Carla) and with it both restore; bad ones refused\n");
	host_instance_free(hi);
}

typedef struct {
	const LV2_State_Interface *st;
	LV2_Handle handle;
	StoredPath path;
	const LV2_Feature *const *features;
	_Atomic int status; // -1 until restore() returns
} RestoreCall;

static void *restore_thread(void *arg)
{
	RestoreCall *c = arg;
	nap_us(2000); // let run() get going first
	atomic_store(&c->status,
	             (int)c->st->restore(c->handle, retrieve_path, &c->path, 0, c->features));
	return NULL;
}

// A session restored while the plugin plays (state:threadSafeRestore), with a model path of
// more than 3000 bytes: restore() hands the load to the worker the host gave it, whatever the
// length, and run() crossfades the model in. Nothing is installed, or freed, under run()'s feet
// (ASan watches the frees in the sanitizer build).
static void test_state_restore_long_path_while_running(void)
{
	char dir[HOST_PATH_MAX] = "/tmp/lstm-long-XXXXXX";
	assert(mkdtemp(dir));
	char path[HOST_PATH_MAX];
	snprintf(path, sizeof path, "%s", dir);
	while (strlen(path) < 3000) {
		const size_t at = strlen(path);
		snprintf(path + at, sizeof path - at, "/%0200d", 0);
		assert(mkdir(path, 0700) == 0);
	}
	strcat(path, "/model.json");
	assert(symlink(models[2], path) == 0);
	assert(strlen(path) > 3000);

	HostInstance *hi = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	RestoreCall call = {
		.st = lilv_instance_get_extension_data(hi->instance, LV2_STATE__interface),
		.handle = lilv_instance_get_handle(hi->instance),
		.path = {path, strlen(path) + 1, hw->map.map(hw->map.handle, LSTM__model),
	             hw->map.map(hw->map.handle, LV2_ATOM__Path)},
		.features = hi->state_features,
	};
	atomic_store(&call.status, -1);
	assert(call.st && call.st->restore);
	const uint32_t jobs = host_state_worker_jobs(hi);
	pthread_t t;
	assert(pthread_create(&t, NULL, restore_thread, &call) == 0);
	float buf[64];
	uint32_t blocks = 0;
	for (; atomic_load(&call.status) < 0; blocks++) {
		for (int i = 0; i < 64; i++)
			buf[i] = noise();
		host_run(hi, buf, buf, 64);
		for (int i = 0; i < 64; i++)
			assert(isfinite(buf[i]));
	}
	pthread_join(t, NULL);
	assert(atomic_load(&call.status) == LV2_STATE_SUCCESS);
	assert(host_state_worker_jobs(hi) == jobs + 1); // the load went through restore's worker
	wait_for_model(hi, path);
	printf("state: a %zu-byte path restored through the worker while run() played (%u blocks "
	       "beside restore)\n",
	       strlen(path), blocks);
	host_instance_free(hi);
	unlink(path);
	for (char *slash; strlen(path) > strlen(dir) && (slash = strrchr(path, '/'));) {
		*slash = '\0';
		rmdir(path);
	}
}

// Runs `blocks` blocks of 256 frames of noise (or NaN) and waits for the worker.
static void run_blocks(HostInstance *hi, int blocks, bool nan_input)
{
	float buf[256];
	for (int b = 0; b < blocks; b++) {
		for (int i = 0; i < 256; i++)
			buf[i] = nan_input ? NAN : noise();
		host_run(hi, buf, buf, 256);
	}
	host_settle(hi);
}

// A model chosen while the worker's queue is full (Carla's fills under a flood of changes) is
// not lost: the plugin retries the newest request each block until the queue takes it.
static void test_load_survives_full_queue(void)
{
	HostInstance *hi = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	run_blocks(hi, 4, false);
	host_worker_refuse(hi, 3); // the patch:Set's own try and two retries
	host_send_model(hi, models[2], HOST_MSG_PATH);
	wait_for_model(hi, models[2]);
	printf("full queue: the model chosen while it refused 3 jobs still loads\n");
	host_instance_free(hi);
}

// A flood of model changes while the worker is busy (a host scrolling through files) costs
// one load, not one per change: the worker skips the loads whose choice was superseded, and
// the last choice plays. Without the skip, each queued model would load, play for a moment
// and be freed: a job for each.
static void test_flood_of_changes(void)
{
	enum { CHANGES = 41 }; // the last is models[1], not the default
	HostInstance *hi = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	run_blocks(hi, 4, false);
	const uint32_t jobs = host_worker_jobs(hi);
	host_worker_pause(hi, true);
	float buf[256] = {0};
	for (int i = 0; i < CHANGES; i++) {
		host_send_model(hi, models[i % 3], HOST_MSG_PATH);
		host_run(hi, buf, buf, 256);
	}
	host_worker_pause(hi, false);
	const char *last = models[(CHANGES - 1) % 3];
	assert(!same_file(last, default_model));
	wait_for_model(hi, last);
	run_blocks(hi, 20, false); // the crossfade ends and the replaced model is freed
	const uint32_t extra = host_worker_jobs(hi) - jobs - CHANGES;
	printf("flood: %d changes queued behind a busy worker: %u jobs beyond the %d loads, the "
	       "last choice plays\n",
	       CHANGES, extra, CHANGES);
	assert(same_file(hi->notified_model, last));
	assert(extra <= 2);
	host_instance_free(hi);
}

// The rate-mode control rebuilds the model only when the path it plays through changes: at
// the model's own rate every mode plays it the same, so switching the mode loads nothing;
// at 96 kHz resample and correct differ, and each switch loads it once.
static void test_rate_mode_reload(void)
{
	const double rates[] = {48000, 96000};
	const uint32_t want[] = {0, 2};
	for (int r = 0; r < 2; r++) {
		HostInstance *hi = host_instance_new(hw, rates[r], HOST_THREAD_WORKER);
		run_blocks(hi, 4, false);
		const uint32_t jobs = host_worker_jobs(hi);
		// Each load is delivered when the worker is done; its 30 ms crossfade then runs in the
		// next blocks, and the free of the model it replaced is scheduled after it.
		hi->controls[LSTM_PORT_RATE_MODE] = 2.0f; // correct
		run_blocks(hi, 20, false);
		hi->controls[LSTM_PORT_RATE_MODE] = 1.0f; // resample
		run_blocks(hi, 20, false);
		run_blocks(hi, 20, false);
		assert(host_worker_jobs(hi) - jobs == 2 * want[r]);
		const uint32_t loads = want[r];
		assert(same_file(hi->notified_model, default_model));
		printf("rate mode: %u reloads at %.0f Hz for two mode changes\n", loads, rates[r]);
		host_instance_free(hi);
	}
}

// Non-finite input is silenced in run(); the worker, not run(), logs it: once when it starts,
// then at most once a second while blocks keep being silenced, and not at all once the audio
// is clean and the last ones were reported.
static void test_nonfinite_logged_by_worker(void)
{
	HostInstance *hi = host_instance_new(hw, 48000, HOST_THREAD_WORKER);
	run_blocks(hi, 20, false);
	const uint32_t w0 = host_log_warnings();
	run_blocks(hi, 20, true); // 0.1 s of NaN: one line
	const uint32_t w1 = host_log_warnings();
	run_blocks(hi, 200, true); // a further 1.07 s: one more, a second after the first
	const uint32_t w2 = host_log_warnings();
	run_blocks(hi, 200, false); // clean audio: the blocks since then, once the second is up
	const uint32_t w3 = host_log_warnings();
	run_blocks(hi, 400, false); // and then nothing
	const uint32_t w4 = host_log_warnings();
	assert(w1 - w0 == 1 && w2 - w1 == 1 && w3 - w2 == 1 && w4 == w3);
	printf("non-finite input: logged by the worker, %u lines for 1.2 s of NaN\n", w3 - w0);
	host_instance_free(hi);
}

// Largest sample-to-sample step of a model alone on the input, after its start; its output.
static float steady_jump(const char *path, const float *in, float *out, uint32_t n, float *peak)
{
	engine_render(path, in, out, n);
	float j = 0.0f;
	for (uint32_t t = 2000; t < n; t++) {
		j = fmaxf(j, fabsf(out[t] - out[t - 1]));
		*peak = fmaxf(*peak, fabsf(out[t]));
	}
	return j;
}

// Three small seeded models (hidden 3, 5, 7; 1 or 2 inputs; a 64-frame self-test each) so that
// a thousand loads stay quick whatever size the bundle's trained models have.
static void write_small_models(void)
{
	assert(mkdtemp(small_dir));
	for (int k = 0; k < 3; k++) {
		ModelDesc m;
		model_desc_init(&m);
		m.inputs = k == 2 ? 2 : 1;
		m.skip = k == 1 ? 0 : 1;
		m.sample_rate = 48000.0;
		m.num_layers = 1;
		const int h = 3 + 2 * k;
		m.layers[0] = (RecurrentLayerDesc){.cell = CELL_LSTM, .inputs = m.inputs, .hidden = h};
		m.num_dense = 1;
		m.dense[0] = (DenseLayerDesc){.inputs = h, .outputs = 1, .activation = ACT_LINEAR};
		assert(model_desc_alloc_layer(&m.layers[0]) == 0);
		assert(model_desc_alloc_dense(&m.dense[0]) == 0);
		const int g = 4 * h;
		for (int i = 0; i < g * m.inputs; i++)
			m.layers[0].w_ih[i] = noise() * 3.0f;
		for (int i = 0; i < g * h; i++)
			m.layers[0].w_hh[i] = noise() * 0.5f;
		for (int i = 0; i < h; i++)
			m.dense[0].w[i] = noise() * (k == 1 ? 2.0f : 0.6f);
		float input[64 * 2];
		for (int i = 0; i < 64 * m.inputs; i++)
			input[i] = noise();
		ModelError err;
		assert(model_selftest_fill(&m, input, 64, &err) == MODEL_OK);
		snprintf(small_models[k], sizeof(small_models[k]), "%s/small%d.lstm.json", small_dir, k);
		assert(model_write_file(small_models[k], &m, 0, &err) == MODEL_OK);
		model_desc_free(&m);
	}
}

static void remove_small_models(void)
{
	for (int k = 0; k < 3; k++)
		unlink(small_models[k]);
	rmdir(small_dir);
}

static void test_thousand_switches(HostMode mode)
{
	enum { BLOCK = 64, SINE_LEN = 48000 };
	const int switches = quick ? 60 : 1000, bad_every = quick ? 8 : 40;
	static float sine[SINE_LEN];
	for (int t = 0; t < SINE_LEN; t++)
		sine[t] = 0.5f * sinf(2.0f * 3.14159265f * 200.0f * (float)t / 48000.0f);
	static float alone[3][SINE_LEN];
	float peak = 0.0f, steady = 0.0f, hard_cut = 0.0f;
	for (int m = 0; m < 3; m++)
		steady = fmaxf(steady, steady_jump(small_models[m], sine, alone[m], SINE_LEN, &peak));
	// What switching without a crossfade could do: the largest gap between two models' outputs.
	for (int t = 2000; t < SINE_LEN; t++)
		for (int m = 0; m < 3; m++)
			hard_cut = fmaxf(hard_cut, fabsf(alone[m][t] - alone[(m + 1) % 3][t]));
	// The bound: the models' own largest step, plus the crossfade's slope across the largest
	// difference two outputs can have, plus 0.02 for a model fading in from its prewarmed
	// (silent-input) state.
	const float bound = steady + 2.0f * peak / FADE_48K + 0.02f;
	assert(bound < 0.5f * hard_cut); // so a click would fail the test

	char bad_file[] = "/tmp/lstm-bad-XXXXXX";
	const int fd = mkstemp(bad_file);
	assert(fd >= 0);
	assert(write(fd, "{\"format\": \"lstm-lv2\", \"version\": 1, \"layers\": [", 48) == 48);
	close(fd);

	HostInstance *hi = host_instance_new(hw, 48000, mode);
	const uint32_t errors = host_log_errors();
	uint32_t bad_sent = 0, phase = 0;
	float buf[BLOCK], prev = 0.0f, jump = 0.0f;
	uint64_t frames = 0;
	// The model the plugin last said it plays. A good request normally names its model; a
	// threaded worker that falls far behind (valgrind) may make the plugin refuse a job, and
	// the plugin then truthfully reports the model it keeps, so that is what is tracked.
	// The notice every activation sends comes first: take it before counting answers.
	for (int k = 0; k < 100 && hi->notifications == 0; k++) {
		memset(buf, 0, sizeof(buf));
		host_run(hi, buf, buf, BLOCK);
	}
	assert(hi->notifications > 0);
	char current[HOST_PATH_MAX];
	snprintf(current, sizeof(current), "%s", default_model);
	int good_sent = 0, good_taken = 0;
	for (int s = 0; s < switches; s++) {
		const char *path = small_models[s % 3];
		HostMessage kind = HOST_MSG_PATH;
		if (s % bad_every == bad_every / 2 - 3) {
			// Every kind of bad request in turn: a missing file, a broken file, then each
			// malformed message.
			const int bad = (s / bad_every) % 6;
			path = bad == 0 ? "/nonexistent/model.json" : bad_file;
			kind = bad < 2 ? HOST_MSG_PATH : (HostMessage)(bad - 1);
			bad_sent++;
		}
		const uint32_t seen = hi->notifications;
		host_send_model(hi, path, kind);
		// Play until the plugin answers (at once for the synchronous worker). A message that is
		// not a patch:Set of the model gets no answer, only a log line: play one block.
		// A good request is answered when the plugin names its model (or, refused, another).
		const int answers = kind != HOST_MSG_NO_PROPERTY && kind != HOST_MSG_NOT_OBJECT;
		const int good = path == small_models[s % 3];
		const uint32_t errors_before = host_log_errors();
		for (int k = 0; k < (good ? 20000 : 100000)
		                && (!answers ? k < 1
		                             : hi->notifications == seen
		                                   || (good && strcmp(hi->notified_model, path)));
		     k++) {
			for (int t = 0; t < BLOCK; t++, phase++)
				buf[t] = sine[phase % SINE_LEN];
			host_run(hi, buf, buf, BLOCK);
			if (mode == HOST_THREAD_WORKER && hi->notifications == seen)
				nap_us(200); // let the worker thread load
			for (int t = 0; t < BLOCK; t++, frames++) {
				assert(isfinite(buf[t]));
				if (frames > 4096)
					jump = fmaxf(jump, fabsf(buf[t] - prev));
				prev = buf[t];
			}
		}
		if (!answers) {
			host_settle(hi); // the log line comes from the worker
			for (int k = 0; k < 1000 && host_log_errors() == errors_before; k++) {
				for (int t = 0; t < BLOCK; t++, phase++)
					buf[t] = sine[phase % SINE_LEN];
				host_run(hi, buf, buf, BLOCK);
				for (int t = 0; t < BLOCK; t++, frames++) {
					jump = fmaxf(jump, fabsf(buf[t] - prev));
					prev = buf[t];
				}
				host_settle(hi);
			}
			assert(host_log_errors() > errors_before);
			continue;
		}
		assert(hi->notifications > seen);
		if (path != small_models[s % 3]) {
			assert(!strcmp(hi->notified_model, current)); // a bad request keeps the model
		} else {
			good_sent++;
			good_taken += !strcmp(hi->notified_model, path);
			snprintf(current, sizeof(current), "%s", hi->notified_model);
		}
	}
	host_settle(hi);
	assert(host_log_errors() - errors == bad_sent);
	printf("%d of %d good requests answered with their model\n", good_taken, good_sent);
	assert(mode == HOST_THREAD_WORKER ? good_taken * 2 > good_sent : good_taken == good_sent);
	printf("%s worker: %d switches over %.1f s of audio; largest step %.5f, bound %.5f "
	       "(models alone: %.5f; a hard cut: up to %.5f)\n",
	       mode == HOST_THREAD_WORKER ? "threaded" : "synchronous", switches,
	       (double)frames / 48000.0, jump, bound, steady, hard_cut);
	assert(jump <= bound);
	host_instance_free(hi);
	unlink(bad_file);
}

// A copy of the bundle without its models: the plugin instantiates, logs that it has no
// default model, and passes audio through untouched.
static void test_no_model_passes_through(void)
{
	char dir[] = "/tmp/lstm-nomodel-XXXXXX";
	assert(mkdtemp(dir));
	const char *files[] = {"lstm.so", "manifest.ttl", "lstm.ttl", "presets.ttl"};
	char from[HOST_PATH_MAX], to[HOST_PATH_MAX];
	for (int k = 0; k < 4; k++) {
		snprintf(from, sizeof(from), "%s%s", hw->bundle_dir, files[k]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[k]);
		assert(symlink(from, to) == 0);
	}
	HostWorld *bare = host_world_new(dir);
	const uint32_t errors = host_log_errors();
	HostInstance *hi = host_instance_new(bare, 48000, HOST_SYNC_WORKER);
	assert(hi);
	assert(host_log_errors() > errors);
	static float in[SIG_LEN], out[SIG_LEN];
	make_signal(SIG_NOISE, in, SIG_LEN);
	render(hi, in, out, SIG_LEN, -1, 0);
	assert(memcmp(in, out, sizeof(in)) == 0);
	host_run(hi, in, out, 64);
	assert(hi->notified_model[0] == '\0'); // the host hears that no model plays
	host_instance_free(hi);
	host_world_free(bare);
	remove_dir(dir);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s <bundle-dir> <default-model> <model> <model> <model>\n",
		        argv[0]);
		return 1;
	}
	quick = getenv("LSTM_TEST_QUICK") != NULL;
	hw = host_world_new(argv[1]);
	snprintf(default_model, sizeof(default_model), "%s%s", hw->bundle_dir, argv[2]);
	for (int k = 0; k < 3; k++)
		snprintf(models[k], sizeof(models[k]), "%s%s", hw->bundle_dir, argv[3 + k]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	const bool rt = host_rt_checked();
	printf("real-time tripwire: %s\n", rt ? "linked, checking run() and work_response()"
	                                      : "not in this build (sanitizers): not checked");
	double t0 = now();
	test_bundle_and_presets();
	test_rates_blocks_and_features();
	printf("(%.1f s)\n", now() - t0);
	test_state_round_trip();
	test_state_restore_without_nul();
	test_state_restore_long_path_while_running();
	test_load_survives_full_queue();
	test_flood_of_changes();
	// Plugin logic over seconds of audio, checked in the plain and sanitizer builds; under
	// valgrind (quick mode) they would cost minutes and add no memory check the others lack.
	if (!quick) {
		test_rate_mode_reload();
		test_nonfinite_logged_by_worker();
	}
	test_no_model_passes_through();
	printf("(%.1f s)\n", now() - t0);
	write_small_models();
	test_thousand_switches(HOST_SYNC_WORKER);
	printf("(%.1f s)\n", now() - t0);
	test_thousand_switches(HOST_THREAD_WORKER);
	printf("(%.1f s)\n", now() - t0);
	remove_small_models();
	assert(host_rt_violations() == 0);
	host_world_free(hw);
	return 0;
}
