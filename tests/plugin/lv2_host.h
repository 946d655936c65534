// SPDX-License-Identifier: ISC
// A small LV2 host on lilv for the plugin's tests: URID map, log capture, a worker that runs
// either on its own thread (lock-free rings on the audio side) or synchronously inside
// schedule_work, patch messages in, notifications out, and state through lilv.
//
// Real-time check: run() and work_response() are bracketed by rt_section_begin() and
// rt_section_end(). Linking tests/common/rt_interposer.c into the test makes those the
// interposer's (which then counts allocations, locks, waits and syscalls inside); without it
// the weak no-op fallbacks here are used and host_rt_violations() returns 0. A synchronous
// worker's job, which runs inside run() but is worker work, is left out of the section.
#ifndef LSTM_TEST_LV2_HOST_H
#define LSTM_TEST_LV2_HOST_H

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/log/log.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	HOST_NO_FEATURES = 0, // lv2apply-like: nothing at all
	HOST_SYNC_WORKER,     // map, log, worker running jobs inside schedule_work
	HOST_THREAD_WORKER,   // map, log, worker on its own thread
} HostMode;

enum { HOST_MAX_PORTS = 16, HOST_ATOM_CAPACITY = 8192, HOST_PATH_MAX = 4096 };

typedef struct HostWorker HostWorker;

typedef struct {
	LilvWorld *world;
	const LilvPlugin *plugin;
	LV2_URID_Map map;
	LV2_URID_Unmap unmap;
	char bundle_dir[HOST_PATH_MAX]; // with a trailing slash
} HostWorld;

typedef struct {
	HostWorld *hw;
	HostMode mode;
	LilvInstance *instance;
	HostWorker *worker;
	HostWorker *state_worker; // restore()'s own, in HOST_THREAD_WORKER mode
	LV2_Feature sched_feature, state_sched_feature;
	const LV2_Feature *features[8];       // instantiate()'s
	const LV2_Feature *state_features[8]; // restore()'s: the same, with the state worker
	float controls[HOST_MAX_PORTS];
	// 8-byte aligned atom sequences for the control and notify ports.
	uint64_t control_buf[HOST_ATOM_CAPACITY / 8];
	uint64_t notify_buf[HOST_ATOM_CAPACITY / 8];
	LV2_Atom_Forge forge;
	char notified_model[HOST_PATH_MAX]; // last patch:Set lstm:model seen on notify
	char knob_names[3][64];             // last patch:Set lstm:knobNName seen
	char model_name[64];                // and of lstm:modelName, lstm:modelEsr and
	float model_esr, model_latency;     // lstm:modelLatency (0 until seen)
	uint32_t notifications;
} HostInstance;

// Loads the bundle in bundle_dir and finds the plugin; exits the test on failure.
HostWorld *host_world_new(const char *bundle_dir);
void host_world_free(HostWorld *hw);

// Instantiates at rate with the given features; connects every port (controls at their
// defaults); activates. Returns NULL when lilv cannot instantiate.
HostInstance *host_instance_new(HostWorld *hw, double rate, HostMode mode);
void host_instance_free(HostInstance *hi);

typedef enum {
	HOST_MSG_PATH = 0,    // patch:Set lstm:model <path> (atom:Path): well formed
	HOST_MSG_INT_VALUE,   // the value is an atom:Int
	HOST_MSG_NO_PROPERTY, // no patch:property
	HOST_MSG_EMPTY_PATH,  // an empty atom:Path
	HOST_MSG_NOT_OBJECT,  // the event is an atom:Int, not an object
} HostMessage;

// Queues a patch:Set of the model (or a malformed variant) for the next run.
void host_send_model(HostInstance *hi, const char *path, HostMessage kind);

// Queues a patch:Get (all properties) for the next run.
void host_send_get(HostInstance *hi);

// Runs n frames from in to out (they may be the same buffer) as one block, then delivers
// worker responses and reads notifications.
void host_run(HostInstance *hi, const float *in, float *out, uint32_t n);

// Waits until the threaded worker has nothing queued and delivers its responses (a no-op for
// the other modes).
void host_settle(HostInstance *hi);

// The next `calls` schedule_work() calls fail with LV2_WORKER_ERR_NO_SPACE, as a full queue
// does (Carla's, under a flood of model changes).
void host_worker_refuse(HostInstance *hi, uint32_t calls);

// While paused, the threaded worker takes no job (jobs queue up, as behind a slow load).
void host_worker_pause(HostInstance *hi, bool paused);

// Jobs run() and work_response() scheduled so far (HOST_THREAD_WORKER mode; else 0).
uint32_t host_worker_jobs(const HostInstance *hi);
// Jobs restore() scheduled on its own worker so far (HOST_THREAD_WORKER mode; else 0).
uint32_t host_state_worker_jobs(const HostInstance *hi);

// State through lilv: save into dir (a new folder), restore into another instance.
LilvState *host_state_save(HostInstance *hi, const char *dir);
void host_state_restore(HostInstance *hi, const LilvState *state);

// The host's log feature data: prints each message, and counts errors and warnings.
LV2_Log_Log *host_log(void);
// Log messages seen so far, by type.
uint32_t host_log_errors(void);
uint32_t host_log_warnings(void);
// rt_violations() of the interposer when linked in (printing its report when not 0), else 0.
unsigned long host_rt_violations(void);
// Whether the interposer is linked in and working (exits the test if linked but blind).
bool host_rt_checked(void);

#endif
