// SPDX-License-Identifier: ISC
// The synchronous worker (see sync_worker.h).
#include "sync_worker.h"

#include <string.h>

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
	SyncWorker *w = handle;
	if (w->num_responses == SYNC_WORKER_RESPONSES || size > SYNC_WORKER_RESPONSE_BYTES)
		return LV2_WORKER_ERR_NO_SPACE;
	memcpy(w->responses[w->num_responses], data, size);
	w->response_size[w->num_responses++] = size;
	return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                       const void *data)
{
	SyncWorker *w = handle;
	if (!w->iface)
		return LV2_WORKER_ERR_UNKNOWN;
	w->jobs++;
	return w->iface->work(w->handle, respond, w, size, data);
}

void sync_worker_init(SyncWorker *w)
{
	memset(w, 0, sizeof(*w));
	w->schedule.handle = w;
	w->schedule.schedule_work = schedule_work;
	w->feature.URI = LV2_WORKER__schedule;
	w->feature.data = &w->schedule;
}

void sync_worker_attach(SyncWorker *w, const LV2_Worker_Interface *iface, LV2_Handle handle)
{
	w->iface = iface;
	w->handle = handle;
}

void sync_worker_deliver(SyncWorker *w)
{
	for (uint32_t k = 0; k < w->num_responses; k++)
		w->iface->work_response(w->handle, w->response_size[k], w->responses[k]);
	w->num_responses = 0;
}
