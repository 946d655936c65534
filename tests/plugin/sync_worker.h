// SPDX-License-Identifier: ISC
// A synchronous LV2 worker for tests that drive a plugin's descriptor by hand (the atom fuzzer,
// the lifecycle and real-time tests): a job runs inside schedule_work, its responses wait until
// sync_worker_deliver() is called after run(), as a real host delivers them. No thread, no lock.
#ifndef LSTM_TEST_SYNC_WORKER_H
#define LSTM_TEST_SYNC_WORKER_H

#include <lv2/core/lv2.h>
#include <lv2/worker/worker.h>

#include <stdint.h>

enum { SYNC_WORKER_RESPONSES = 16, SYNC_WORKER_RESPONSE_BYTES = 64 };

typedef struct {
	const LV2_Worker_Interface *iface; // NULL until sync_worker_attach()
	LV2_Handle handle;
	LV2_Worker_Schedule schedule; // the feature's data
	LV2_Feature feature;          // LV2_WORKER__schedule
	uint32_t jobs;                // jobs run so far
	uint32_t num_responses;
	uint32_t response_size[SYNC_WORKER_RESPONSES];
	uint8_t responses[SYNC_WORKER_RESPONSES][SYNC_WORKER_RESPONSE_BYTES];
} SyncWorker;

// Fills the schedule feature (w->feature), to pass at instantiation. Any thread.
void sync_worker_init(SyncWorker *w);

// Binds the worker to an instance (its LV2_Worker_Interface and handle). Until then jobs are
// refused with LV2_WORKER_ERR_UNKNOWN.
void sync_worker_attach(SyncWorker *w, const LV2_Worker_Interface *iface, LV2_Handle handle);

// Calls work_response() for each response queued since the last call. The audio side.
void sync_worker_deliver(SyncWorker *w);

#endif
