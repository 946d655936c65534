// SPDX-License-Identifier: ISC
// Denormals and timing in silence. The calling thread runs with flush-to-zero and
// denormals-are-zero OFF (as many hosts leave it); for each bundled model an impulse is followed by
// 10 s of silence, and after every block no value in the network's state may be subnormal, and the
// caller's MXCSR must come back unchanged. Meanwhile a second instance plays noise, its blocks
// interleaved with the silent one's: the CPU time per block in silence (median) must stay within
// 1.5 times that in noise (median); the first model named gets 3 rounds and the median ratio
// (LSTM_TIMING_ROUNDS=1 for sanitizer builds, where meson also names only the default model), the
// others one round each; every ratio is printed. CPU time of this thread is used, and the two
// conditions alternate block by block, so load from other processes affects both alike.
//
// The plugin's sources are compiled into this test (the #include below) so that its private
// instance struct, and through it the network's state, can be inspected.
#undef NDEBUG
#include "lstm_plugin.c"

#include "sync_worker.h"

#include <assert.h>
#include <math.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
#endif

enum {
	BLOCK = 256,
	SECONDS = 10,
	ROUNDS = 3,
	NUM_PORTS_CTL = LSTM_PORT_RATE_MODE - LSTM_PORT_IN_GAIN + 1
};
static const double RATE = 48000.0;

typedef struct {
	LV2_Handle h;
	SyncWorker worker;
	float in[BLOCK], out[BLOCK];
	float controls[NUM_PORTS_CTL];
	float latency;
	float *state;
	size_t state_size;
} Inst;

static const LV2_Descriptor *d;
static LV2_URID_Map map;

enum { MAP_MAX = 64 };
static const char *mapped[MAP_MAX];
static uint32_t num_mapped;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	(void)handle;
	for (uint32_t k = 0; k < num_mapped; k++)
		if (!strcmp(mapped[k], uri))
			return k + 1;
	assert(num_mapped < MAP_MAX);
	mapped[num_mapped] = uri; // the plugin's URI strings are static
	return ++num_mapped;
}

static void inst_init(Inst *in, const char *bundle, const char *model_path)
{
	memset(in, 0, sizeof(*in));
	sync_worker_init(&in->worker);
	const LV2_Feature map_f = {LV2_URID__map, &map};
	const LV2_Feature *features[] = {&map_f, &in->worker.feature, NULL};
	in->h = d->instantiate(d, RATE, bundle, features);
	assert(in->h);
	sync_worker_attach(&in->worker, d->extension_data(LV2_WORKER__interface), in->h);
	Plugin *self = in->h;
	// The model under test is installed directly, as a restore on an inactive plugin does.
	LoadedModel *lm = model_open(self, model_path, false);
	assert(lm);
	install_now(self, lm);
	d->connect_port(in->h, LSTM_PORT_IN, in->in);
	d->connect_port(in->h, LSTM_PORT_OUT, in->out);
	const float defaults[NUM_PORTS_CTL] = {0, 0, 1, 1, 0.5f, 0.5f, 0.5f, 0};
	memcpy(in->controls, defaults, sizeof(defaults));
	for (uint32_t p = 0; p < NUM_PORTS_CTL; p++)
		d->connect_port(in->h, LSTM_PORT_IN_GAIN + p, &in->controls[p]);
	d->connect_port(in->h, LSTM_PORT_LATENCY, &in->latency);
	in->state_size = lstm_net_state_size(rate_player_net(self->fx.cur->player));
	in->state = malloc(in->state_size * sizeof(float));
	assert(in->state);
	d->activate(in->h);
}

static void inst_done(Inst *in)
{
	d->deactivate(in->h);
	d->cleanup(in->h);
	free(in->state);
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

// Runs one block with FTZ/DAZ off in this thread; returns its CPU time.
static double timed_run(Inst *in)
{
#ifdef HAVE_MXCSR
	const unsigned int csr = _mm_getcsr() & ~0x8040u;
	_mm_setcsr(csr);
#endif
	const double t0 = cpu_now();
	d->run(in->h, BLOCK);
	const double t1 = cpu_now();
#ifdef HAVE_MXCSR
	// The host's floating-point modes are restored; the sticky exception flags may gain bits.
	assert((_mm_getcsr() & ~0x3fu) == (csr & ~0x3fu));
#endif
	return t1 - t0;
}

// Subnormals in the network's state; the output's too.
static uint32_t subnormals(Inst *in)
{
	Plugin *self = in->h;
	lstm_net_get_state(rate_player_net(self->fx.cur->player), in->state);
	uint32_t n = 0;
	for (size_t k = 0; k < in->state_size; k++)
		n += fpclassify(in->state[k]) == FP_SUBNORMAL;
	for (uint32_t t = 0; t < BLOCK; t++)
		n += fpclassify(in->out[t]) == FP_SUBNORMAL;
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// One round on one model: returns median(silence) / median(noise).
static double round_ratio(const char *bundle, const char *model_path, uint64_t *seed)
{
	Inst quiet, loud;
	inst_init(&quiet, bundle, model_path);
	inst_init(&loud, bundle, model_path);
	const uint32_t blocks = (uint32_t)(SECONDS * RATE / BLOCK);
	double *t_quiet = malloc(blocks * sizeof(double)), *t_loud = malloc(blocks * sizeof(double));
	assert(t_quiet && t_loud);
	uint32_t bad = 0;
	for (uint32_t b = 0; b < blocks; b++) {
		memset(quiet.in, 0, sizeof(quiet.in));
		if (b == 0)
			quiet.in[0] = 1.0f; // the impulse
		for (uint32_t t = 0; t < BLOCK; t++) {
			*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
			loud.in[t] = (float)((double)(*seed >> 40) / 16777216.0 - 0.5);
		}
		// Alternate which condition goes first, so neither always runs with a warm cache.
		if (b % 2) {
			t_quiet[b] = timed_run(&quiet);
			t_loud[b] = timed_run(&loud);
		} else {
			t_loud[b] = timed_run(&loud);
			t_quiet[b] = timed_run(&quiet);
		}
		bad += subnormals(&quiet);
	}
	if (bad) {
		fprintf(stderr, "FAIL: %s: %u subnormal values in state or output during silence\n",
		        model_path, bad);
		exit(1);
	}
	const double ratio = median(t_quiet, blocks) / median(t_loud, blocks);
	free(t_quiet);
	free(t_loud);
	inst_done(&quiet);
	inst_done(&loud);
	return ratio;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s <bundle-dir> <model file name>...\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	map = (LV2_URID_Map){NULL, map_uri};
	d = lv2_descriptor(0);
	const char *bundle = argv[1];
	uint64_t seed = 12345;
	const char *env_rounds = getenv("LSTM_TIMING_ROUNDS");
	int max_rounds = env_rounds ? atoi(env_rounds) : ROUNDS;
	if (max_rounds < 1 || max_rounds > ROUNDS)
		max_rounds = ROUNDS;
	double worst = 0.0;
	for (int m = 2; m < argc; m++) {
		if (m > 2 && !strcmp(argv[m], argv[2]))
			continue; // the first model, named again in the list, had its rounds
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", bundle, argv[m]);
		const int rounds = m == 2 ? max_rounds : 1;
		double ratios[ROUNDS];
		for (int r = 0; r < rounds; r++)
			ratios[r] = round_ratio(bundle, path, &seed);
		const double ratio = median(ratios, (size_t)rounds);
		printf("%s: impulse + %d s of silence with FTZ/DAZ off in the caller: 0 subnormals; "
		       "CPU per block silence/noise = %.3f (median of %d round(s))\n",
		       argv[m], SECONDS, ratio, rounds);
		worst = fmax(worst, ratio);
	}
	printf("silence/noise timing ratio, worst model: %.3f (limit 1.5)\n", worst);
	assert(worst <= 1.5);
	return 0;
}
