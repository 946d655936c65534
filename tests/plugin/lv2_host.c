// SPDX-License-Identifier: ISC
// The test host (see lv2_host.h). The audio side never locks: the threaded worker's queues are
// single-producer single-consumer rings of fixed slots with C11 atomics, and the worker thread
// polls them.
#include "lv2_host.h"

#include "lstm_uris.h"

#include <lv2/atom/util.h>
#include <lv2/log/log.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>
#include <lv2/worker/worker.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void fail(const char *what)
{
	fprintf(stderr, "lv2_host: %s\n", what);
	exit(1);
}

// Weak fallbacks for the real-time interposer (tests/common/rt_interposer.c).
void rt_section_begin(void) __attribute__((weak));
void rt_section_end(void) __attribute__((weak));
unsigned long rt_violations(void) __attribute__((weak));
const char *rt_violation_report(char *buf, size_t len) __attribute__((weak));
int rt_interposer_self_check(void) __attribute__((weak));

// Whether the audio side is inside a checked section: a synchronous worker steps out of it
// while it runs a job (which allocates, by design) from inside run().
static bool in_rt_section;

static void rt_begin(void)
{
	if (rt_section_begin)
		rt_section_begin();
	in_rt_section = true;
}

static void rt_end(void)
{
	if (rt_section_end)
		rt_section_end();
	in_rt_section = false;
}

unsigned long host_rt_violations(void)
{
	if (!rt_violations)
		return 0;
	const unsigned long n = rt_violations();
	if (n && rt_violation_report) {
		char buf[512];
		fprintf(stderr, "lv2_host: real-time violations in run()/work_response(): %s\n",
		        rt_violation_report(buf, sizeof(buf)));
	}
	return n;
}

bool host_rt_checked(void)
{
	if (!rt_section_begin || !rt_violations)
		return false;
	// The tripwire proves it sees calls in this process before the test relies on it.
	if (rt_interposer_self_check && rt_interposer_self_check() != 0)
		fail("the real-time interposer does not see calls in this process");
	return true;
}

// ---- URID map (not real-time: the plugin maps at instantiation only) ----

enum { MAP_MAX = 256 };
static char *map_uris[MAP_MAX];
static uint32_t map_count;
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	(void)handle;
	pthread_mutex_lock(&map_lock);
	LV2_URID id = 0;
	for (uint32_t k = 0; k < map_count && !id; k++)
		if (!strcmp(map_uris[k], uri))
			id = k + 1;
	if (!id && map_count < MAP_MAX) {
		map_uris[map_count] = strdup(uri);
		id = ++map_count;
	}
	pthread_mutex_unlock(&map_lock);
	return id;
}

static const char *unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
	(void)handle;
	pthread_mutex_lock(&map_lock);
	const char *uri = urid >= 1 && urid <= map_count ? map_uris[urid - 1] : NULL;
	pthread_mutex_unlock(&map_lock);
	return uri;
}

// ---- Log ----

static _Atomic uint32_t log_errors, log_warnings;

static int log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
	(void)handle;
	if (type == map_uri(NULL, LV2_LOG__Error))
		atomic_fetch_add(&log_errors, 1);
	else if (type == map_uri(NULL, LV2_LOG__Warning))
		atomic_fetch_add(&log_warnings, 1);
	fprintf(stderr, "[plugin log] ");
	return vfprintf(stderr, fmt, ap);
}

static int log_printf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const int r = log_vprintf(handle, type, fmt, ap);
	va_end(ap);
	return r;
}

static LV2_Log_Log host_logger = {NULL, log_printf, log_vprintf};

LV2_Log_Log *host_log(void) { return &host_logger; }

uint32_t host_log_errors(void) { return atomic_load(&log_errors); }
uint32_t host_log_warnings(void) { return atomic_load(&log_warnings); }

// ---- Worker ----

enum { RING_SLOTS = 64, SLOT_BYTES = 4096 };

typedef struct {
	uint32_t size;
	uint8_t data[SLOT_BYTES];
} Slot;

typedef struct {
	Slot slots[RING_SLOTS];
	_Atomic uint32_t head; // written by the producer
	_Atomic uint32_t tail; // written by the consumer
} Ring;

static bool ring_push(Ring *r, uint32_t size, const void *data)
{
	const uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	const uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	if (head - tail >= RING_SLOTS || size > SLOT_BYTES)
		return false;
	Slot *s = &r->slots[head % RING_SLOTS];
	s->size = size;
	memcpy(s->data, data, size);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

static const Slot *ring_peek(Ring *r)
{
	const uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	const uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	return head == tail ? NULL : &r->slots[tail % RING_SLOTS];
}

static void ring_pop(Ring *r) { atomic_fetch_add_explicit(&r->tail, 1, memory_order_release); }

struct HostWorker {
	const LV2_Worker_Interface *iface;
	LV2_Handle handle;
	bool threaded;
	Ring requests, responses;
	_Atomic uint32_t scheduled, done;
	_Atomic uint32_t refuse; // schedule_work calls still to refuse as if the queue were full
	_Atomic bool paused;     // the thread takes no job, as a busy worker would not
	_Atomic bool running;
	pthread_t thread;
	LV2_Worker_Schedule schedule;
};

static void nap(long ns)
{
	const struct timespec ts = {0, ns};
	nanosleep(&ts, NULL);
}

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
	HostWorker *w = handle;
	while (!ring_push(&w->responses, size, data)) {
		if (!w->threaded)
			return LV2_WORKER_ERR_NO_SPACE;
		nap(100000); // the audio side drains responses after each block
	}
	return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                       const void *data)
{
	HostWorker *w = handle;
	if (!w->iface)
		return LV2_WORKER_ERR_UNKNOWN;
	if (atomic_load(&w->refuse) > 0) {
		atomic_fetch_sub(&w->refuse, 1);
		return LV2_WORKER_ERR_NO_SPACE;
	}
	if (!w->threaded) {
		const bool from_run = in_rt_section;
		if (from_run)
			rt_end();
		const LV2_Worker_Status st = w->iface->work(w->handle, respond, w, size, data);
		if (from_run)
			rt_begin();
		return st;
	}
	if (!ring_push(&w->requests, size, data))
		return LV2_WORKER_ERR_NO_SPACE;
	atomic_fetch_add(&w->scheduled, 1);
	return LV2_WORKER_SUCCESS;
}

static void *worker_main(void *arg)
{
	HostWorker *w = arg;
	while (atomic_load(&w->running)) {
		const Slot *s = atomic_load(&w->paused) ? NULL : ring_peek(&w->requests);
		if (!s) {
			nap(50000);
			continue;
		}
		w->iface->work(w->handle, respond, w, s->size, s->data);
		ring_pop(&w->requests);
		atomic_fetch_add(&w->done, 1);
	}
	return NULL;
}

// Audio thread: hands every response to the plugin.
static void deliver_responses(HostWorker *w)
{
	const Slot *s;
	while ((s = ring_peek(&w->responses))) {
		rt_begin();
		w->iface->work_response(w->handle, s->size, s->data);
		rt_end();
		ring_pop(&w->responses);
	}
}

static HostWorker *worker_new(bool threaded)
{
	HostWorker *w = calloc(1, sizeof(*w));
	w->threaded = threaded;
	w->schedule = (LV2_Worker_Schedule){w, schedule_work};
	return w;
}

static void worker_attach(HostWorker *w, LilvInstance *instance)
{
	w->iface = lilv_instance_get_extension_data(instance, LV2_WORKER__interface);
	w->handle = lilv_instance_get_handle(instance);
	if (w->threaded) {
		atomic_store(&w->running, true);
		pthread_create(&w->thread, NULL, worker_main, w);
	}
}

static bool worker_idle(HostWorker *w)
{
	return !w || !w->threaded
	       || (atomic_load(&w->done) == atomic_load(&w->scheduled) && !ring_peek(&w->responses));
}

static void worker_free(HostWorker *w)
{
	if (w && w->threaded && atomic_load(&w->running)) {
		atomic_store(&w->running, false);
		pthread_join(w->thread, NULL);
	}
	free(w);
}

// ---- World ----

HostWorld *host_world_new(const char *bundle_dir)
{
	HostWorld *hw = calloc(1, sizeof(*hw));
	hw->map = (LV2_URID_Map){NULL, map_uri};
	hw->unmap = (LV2_URID_Unmap){NULL, unmap_uri};
	snprintf(hw->bundle_dir, sizeof(hw->bundle_dir), "%s%s", bundle_dir,
	         bundle_dir[strlen(bundle_dir) - 1] == '/' ? "" : "/");
	hw->world = lilv_world_new();
	LilvNode *bundle = lilv_new_file_uri(hw->world, NULL, hw->bundle_dir);
	lilv_world_load_specifications(hw->world);
	lilv_world_load_plugin_classes(hw->world);
	lilv_world_load_bundle(hw->world, bundle);
	lilv_node_free(bundle);
	LilvNode *plugin_uri = lilv_new_uri(hw->world, LSTM_URI);
	hw->plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(hw->world), plugin_uri);
	lilv_node_free(plugin_uri);
	if (!hw->plugin)
		fail("the plugin is not in the bundle");
	return hw;
}

void host_world_free(HostWorld *hw)
{
	if (!hw)
		return;
	lilv_world_free(hw->world);
	free(hw);
}

// ---- Instance ----

static void reset_sequences(HostInstance *hi)
{
	LV2_Atom_Sequence *control = (LV2_Atom_Sequence *)hi->control_buf;
	control->atom.type = hi->hw->map.map(NULL, LV2_ATOM__Sequence);
	control->atom.size = sizeof(LV2_Atom_Sequence_Body);
	control->body.unit = 0;
	control->body.pad = 0;
	LV2_Atom_Sequence *notify = (LV2_Atom_Sequence *)hi->notify_buf;
	notify->atom.type = hi->hw->map.map(NULL, LV2_ATOM__Chunk);
	notify->atom.size = HOST_ATOM_CAPACITY - sizeof(LV2_Atom);
}

HostInstance *host_instance_new(HostWorld *hw, double rate, HostMode mode)
{
	HostInstance *hi = calloc(1, sizeof(*hi));
	hi->hw = hw;
	hi->mode = mode;
	int nf = 0;
	static LV2_Feature map_f, unmap_f, log_f;
	map_f = (LV2_Feature){LV2_URID__map, &hw->map};
	unmap_f = (LV2_Feature){LV2_URID__unmap, &hw->unmap};
	log_f = (LV2_Feature){LV2_LOG__log, host_log()};
	if (mode != HOST_NO_FEATURES) {
		hi->worker = worker_new(mode == HOST_THREAD_WORKER);
		hi->sched_feature = (LV2_Feature){LV2_WORKER__schedule, &hi->worker->schedule};
		hi->features[nf++] = &map_f;
		hi->features[nf++] = &unmap_f;
		hi->features[nf++] = &log_f;
		hi->features[nf++] = &hi->sched_feature;
	}
	hi->features[nf] = NULL;
	// restore() gets the same features, but a threaded host gives it a worker of its own, as
	// jalv does: restore may run beside run(), and one worker's queue has one writer.
	memcpy(hi->state_features, hi->features, sizeof hi->features);
	if (mode == HOST_THREAD_WORKER) {
		hi->state_worker = worker_new(true);
		hi->state_sched_feature = (LV2_Feature){LV2_WORKER__schedule, &hi->state_worker->schedule};
		hi->state_features[nf - 1] = &hi->state_sched_feature;
	}
	hi->instance = lilv_plugin_instantiate(hw->plugin, rate, hi->features);
	if (!hi->instance) {
		worker_free(hi->worker);
		worker_free(hi->state_worker);
		free(hi);
		return NULL;
	}
	lv2_atom_forge_init(&hi->forge, &hw->map);
	if (hi->worker)
		worker_attach(hi->worker, hi->instance);
	if (hi->state_worker)
		worker_attach(hi->state_worker, hi->instance);

	const uint32_t ports = lilv_plugin_get_num_ports(hw->plugin);
	if (ports > HOST_MAX_PORTS)
		fail("too many ports");
	float defaults[HOST_MAX_PORTS];
	lilv_plugin_get_port_ranges_float(hw->plugin, NULL, NULL, defaults);
	LilvNode *control_class = lilv_new_uri(hw->world, LV2_CORE__ControlPort);
	LilvNode *atom_class = lilv_new_uri(hw->world, LV2_ATOM__AtomPort);
	LilvNode *input_class = lilv_new_uri(hw->world, LV2_CORE__InputPort);
	reset_sequences(hi);
	for (uint32_t p = 0; p < ports; p++) {
		const LilvPort *port = lilv_plugin_get_port_by_index(hw->plugin, p);
		if (lilv_port_is_a(hw->plugin, port, control_class)) {
			hi->controls[p] = defaults[p];
			lilv_instance_connect_port(hi->instance, p, &hi->controls[p]);
		} else if (lilv_port_is_a(hw->plugin, port, atom_class)) {
			// lv2apply leaves atom ports unconnected; so does the no-feature mode.
			void *buf = NULL;
			if (mode != HOST_NO_FEATURES)
				buf = lilv_port_is_a(hw->plugin, port, input_class) ? (void *)hi->control_buf
				                                                    : (void *)hi->notify_buf;
			lilv_instance_connect_port(hi->instance, p, buf);
		}
	}
	lilv_node_free(control_class);
	lilv_node_free(atom_class);
	lilv_node_free(input_class);
	lilv_instance_activate(hi->instance);
	return hi;
}

void host_instance_free(HostInstance *hi)
{
	if (!hi)
		return;
	lilv_instance_deactivate(hi->instance);
	host_settle(hi);
	worker_free(hi->worker);
	worker_free(hi->state_worker);
	lilv_instance_free(hi->instance);
	free(hi);
}

void host_send_model(HostInstance *hi, const char *path, HostMessage kind)
{
	LV2_URID_Map *map = &hi->hw->map;
	LV2_Atom_Forge *forge = &hi->forge;
	LV2_Atom_Forge_Frame seq, obj;
	lv2_atom_forge_set_buffer(forge, (uint8_t *)hi->control_buf, HOST_ATOM_CAPACITY);
	lv2_atom_forge_sequence_head(forge, &seq, 0);
	lv2_atom_forge_frame_time(forge, 0);
	if (kind == HOST_MSG_NOT_OBJECT) {
		lv2_atom_forge_int(forge, 7);
		lv2_atom_forge_pop(forge, &seq);
		return;
	}
	lv2_atom_forge_object(forge, &obj, 0, map->map(NULL, LV2_PATCH__Set));
	if (kind != HOST_MSG_NO_PROPERTY) {
		lv2_atom_forge_key(forge, map->map(NULL, LV2_PATCH__property));
		lv2_atom_forge_urid(forge, map->map(NULL, LSTM__model));
	}
	lv2_atom_forge_key(forge, map->map(NULL, LV2_PATCH__value));
	if (kind == HOST_MSG_INT_VALUE)
		lv2_atom_forge_int(forge, 42);
	else if (kind == HOST_MSG_EMPTY_PATH)
		lv2_atom_forge_path(forge, "", 0);
	else
		lv2_atom_forge_path(forge, path, (uint32_t)strlen(path));
	lv2_atom_forge_pop(forge, &obj);
	lv2_atom_forge_pop(forge, &seq);
}

void host_send_get(HostInstance *hi)
{
	LV2_URID_Map *map = &hi->hw->map;
	LV2_Atom_Forge *forge = &hi->forge;
	LV2_Atom_Forge_Frame seq, obj;
	lv2_atom_forge_set_buffer(forge, (uint8_t *)hi->control_buf, HOST_ATOM_CAPACITY);
	lv2_atom_forge_sequence_head(forge, &seq, 0);
	lv2_atom_forge_frame_time(forge, 0);
	lv2_atom_forge_object(forge, &obj, 0, map->map(NULL, LV2_PATCH__Get));
	lv2_atom_forge_pop(forge, &obj);
	lv2_atom_forge_pop(forge, &seq);
}

static void read_notifications(HostInstance *hi)
{
	LV2_URID_Map *map = &hi->hw->map;
	const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)hi->notify_buf;
	if (seq->atom.type != map->map(NULL, LV2_ATOM__Sequence))
		return;
	LV2_ATOM_SEQUENCE_FOREACH(seq, ev)
	{
		if (ev->body.type != map->map(NULL, LV2_ATOM__Object))
			continue;
		const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
		if (obj->body.otype != map->map(NULL, LV2_PATCH__Set))
			continue;
		const LV2_Atom *value = NULL, *property = NULL;
		lv2_atom_object_get(obj, map->map(NULL, LV2_PATCH__value), &value,
		                    map->map(NULL, LV2_PATCH__property), &property, 0);
		if (!value || !property || property->type != map->map(NULL, LV2_ATOM__URID))
			continue;
		const LV2_URID key = ((const LV2_Atom_URID *)property)->body;
		const char *names[3] = {LSTM__knob1Name, LSTM__knob2Name, LSTM__knob3Name};
		for (int k = 0; k < 3; k++)
			if (key == map->map(NULL, names[k]) && value->type == map->map(NULL, LV2_ATOM__String)
			    && value->size < sizeof(hi->knob_names[k]))
				memcpy(hi->knob_names[k], LV2_ATOM_BODY_CONST(value), value->size);
		if (key == map->map(NULL, LSTM__modelName)
		    && value->type == map->map(NULL, LV2_ATOM__String)
		    && value->size < sizeof(hi->model_name))
			memcpy(hi->model_name, LV2_ATOM_BODY_CONST(value), value->size);
		const bool is_float = value->type == map->map(NULL, LV2_ATOM__Float);
		if (key == map->map(NULL, LSTM__modelEsr) && is_float)
			hi->model_esr = ((const LV2_Atom_Float *)value)->body;
		if (key == map->map(NULL, LSTM__modelLatency) && is_float)
			hi->model_latency = ((const LV2_Atom_Float *)value)->body;
		if (key == map->map(NULL, LSTM__model) && value->type == map->map(NULL, LV2_ATOM__Path)
		    && value->size < HOST_PATH_MAX) {
			memcpy(hi->notified_model, LV2_ATOM_BODY_CONST(value), value->size);
			hi->notified_model[value->size] = '\0';
			hi->notifications++;
		}
	}
}

void host_run(HostInstance *hi, const float *in, float *out, uint32_t n)
{
	lilv_instance_connect_port(hi->instance, LSTM_PORT_IN, (void *)in);
	lilv_instance_connect_port(hi->instance, LSTM_PORT_OUT, out);
	rt_begin();
	lilv_instance_run(hi->instance, n);
	rt_end();
	if (hi->worker)
		deliver_responses(hi->worker);
	if (hi->state_worker)
		deliver_responses(hi->state_worker);
	read_notifications(hi);
	reset_sequences(hi);
}

void host_settle(HostInstance *hi)
{
	for (int round = 0; round < 100000; round++) {
		if (worker_idle(hi->worker) && worker_idle(hi->state_worker))
			return;
		if (hi->worker)
			deliver_responses(hi->worker);
		if (hi->state_worker)
			deliver_responses(hi->state_worker);
		nap(100000);
	}
	fail("the worker never settled");
}

void host_worker_refuse(HostInstance *hi, uint32_t calls)
{
	if (hi->worker)
		atomic_store(&hi->worker->refuse, calls);
}

void host_worker_pause(HostInstance *hi, bool paused)
{
	if (hi->worker)
		atomic_store(&hi->worker->paused, paused);
}

uint32_t host_worker_jobs(const HostInstance *hi)
{
	return hi->worker && hi->worker->threaded ? atomic_load(&hi->worker->scheduled) : 0;
}

uint32_t host_state_worker_jobs(const HostInstance *hi)
{
	return hi->state_worker ? atomic_load(&hi->state_worker->scheduled) : 0;
}

// ---- State ----

static uint32_t port_index(HostInstance *hi, const char *symbol)
{
	LilvNode *sym = lilv_new_string(hi->hw->world, symbol);
	const LilvPort *port = lilv_plugin_get_port_by_symbol(hi->hw->plugin, sym);
	lilv_node_free(sym);
	return port ? lilv_port_get_index(hi->hw->plugin, port) : UINT32_MAX;
}

static const void *get_port_value(const char *symbol, void *user_data, uint32_t *size,
                                  uint32_t *type)
{
	HostInstance *hi = user_data;
	const uint32_t p = port_index(hi, symbol);
	if (p >= HOST_MAX_PORTS)
		return NULL;
	*size = sizeof(float);
	*type = hi->hw->map.map(NULL, LV2_ATOM__Float);
	return &hi->controls[p];
}

static void set_port_value(const char *symbol, void *user_data, const void *value, uint32_t size,
                           uint32_t type)
{
	HostInstance *hi = user_data;
	const uint32_t p = port_index(hi, symbol);
	if (p < HOST_MAX_PORTS && size == sizeof(float)
	    && type == hi->hw->map.map(NULL, LV2_ATOM__Float))
		memcpy(&hi->controls[p], value, sizeof(float));
}

LilvState *host_state_save(HostInstance *hi, const char *dir)
{
	// As jalv does: files the plugin names are linked from the state folder. (With no link
	// folder, lilv 0.24.14 removes the plugin's file while trying to link it: never do that.)
	return lilv_state_new_from_instance(hi->hw->plugin, hi->instance, &hi->hw->map, NULL, dir, dir,
	                                    dir, get_port_value, hi,
	                                    LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, hi->features);
}

void host_state_restore(HostInstance *hi, const LilvState *state)
{
	lilv_state_restore(state, hi->instance, set_port_value, hi, 0, hi->state_features);
}
