// SPDX-License-Identifier: ISC
// libFuzzer harness for the plugin's control port: any bytes become the body of the atom
// sequence on the control port (events, objects, patch:Set/Get with any property and value,
// truncated atoms, huge sizes, paths to missing or garbage files), then the plugin runs a few
// blocks with a synchronous worker (tests/plugin/sync_worker.c), so loads, crossfades and
// frees all happen.
//
// The plugin's sources are linked in (lv2_descriptor() is called directly). URIDs are small
// fixed numbers (see uris[]), so random bytes name real properties and types often. The working
// directory is the bundle in the build tree, so a relative path such as "drive.lstm.json"
// loads a real model. Inputs naming /dev, /proc or /sys are skipped: a FIFO or /dev/zero would
// only block or stall the worker, which is the host's business, not the plugin's.
#include "lstm_uris.h"
#include "sync_worker.h"

#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/patch/patch.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_BUNDLE_DIR
#error "FUZZ_BUNDLE_DIR (the bundle in the build tree) must be defined"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// URID k + 1 is uris[k]; make_atom_seeds.py uses the same numbering.
static const char *const uris[] = {
	LV2_ATOM__Path,   LV2_ATOM__URID,  LV2_ATOM__String,    LV2_ATOM__Int,      LV2_ATOM__Float,
	LV2_ATOM__Object, LV2_ATOM__Blank, LV2_ATOM__Resource,  LV2_ATOM__Sequence, LV2_ATOM__Tuple,
	LV2_PATCH__Set,   LV2_PATCH__Get,  LV2_PATCH__property, LV2_PATCH__value,   LSTM__model,
	LSTM__knob1Name,  LSTM__knob2Name, LSTM__knob3Name,     LV2_LOG__Error,     LV2_LOG__Warning,
	LV2_LOG__Note,    LV2_LOG__Trace,  LV2_ATOM__Chunk,     LV2_PATCH__subject,
};
enum { NUM_URIS = sizeof(uris) / sizeof(uris[0]), CONTROL_BYTES = 16384, NOTIFY_BYTES = 4096 };

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	(void)handle;
	for (uint32_t k = 0; k < NUM_URIS; k++)
		if (!strcmp(uris[k], uri))
			return k + 1;
	return NUM_URIS + 1; // anything else: one shared "unknown" URID
}

static int log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
	(void)handle;
	(void)type;
	(void)fmt;
	(void)ap;
	return 0; // the plugin's messages are expected here; only crashes matter
}

static int log_printf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, ...)
{
	(void)handle;
	(void)type;
	(void)fmt;
	return 0;
}

// Whether the input mentions dev, proc or sys anywhere: such inputs are skipped (see above).
static int guarded(const uint8_t *data, size_t size)
{
	static const char *const words[] = {"dev", "proc", "sys"};
	for (size_t w = 0; w < 3; w++) {
		const size_t len = strlen(words[w]);
		for (size_t k = 0; k + len <= size; k++)
			if (!memcmp(data + k, words[w], len))
				return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int in_bundle;
	if (!in_bundle) {
		if (chdir(FUZZ_BUNDLE_DIR) != 0) {
			perror(FUZZ_BUNDLE_DIR);
			abort();
		}
		in_bundle = 1;
	}
	if (guarded(data, size))
		return 0;

	// One instance for the whole run (instantiating loads the default model, which is slow
	// under the sanitizers); activate() brings it back to its initial state for each input.
	static uint64_t empty_control[CONTROL_BYTES / 8], notify[NOTIFY_BYTES / 8];
	static float in[64], out[64];
	static float controls[LSTM_NUM_PORTS - LSTM_PORT_IN_GAIN]; // then the latency output
	static LV2_URID_Map map = {NULL, map_uri};
	static LV2_Log_Log log = {NULL, log_printf, log_vprintf};
	static SyncWorker worker;
	static const LV2_Feature map_f = {LV2_URID__map, &map}, log_f = {LV2_LOG__log, &log};
	static const LV2_Feature *features[] = {&map_f, &log_f, &worker.feature, NULL};
	static const LV2_Descriptor *d;
	static LV2_Handle h;
	if (!h) {
		d = lv2_descriptor(0);
		sync_worker_init(&worker);
		h = d->instantiate(d, 48000.0, FUZZ_BUNDLE_DIR, features);
		if (!h)
			abort(); // the default model is in the bundle: instantiation cannot fail here
		sync_worker_attach(&worker, d->extension_data(LV2_WORKER__interface), h);
		d->connect_port(h, LSTM_PORT_IN, in);
		d->connect_port(h, LSTM_PORT_OUT, out);
		d->connect_port(h, LSTM_PORT_NOTIFY, notify);
		for (uint32_t p = LSTM_PORT_IN_GAIN; p < LSTM_NUM_PORTS; p++)
			d->connect_port(h, p, &controls[p - LSTM_PORT_IN_GAIN]);
		for (int k = 0; k < 64; k++)
			in[k] = 0.5f * sinf((float)k * 0.2f);
	}
	// in_gain, out_gain, mix, enabled, knob1..3, rate_mode at their defaults.
	const float defaults[] = {0.0f, 0.0f, 1.0f, 1.0f, 0.5f, 0.5f, 0.5f, 0.0f};
	_Static_assert(sizeof(defaults) / sizeof(defaults[0])
	                   == LSTM_PORT_RATE_MODE - LSTM_PORT_IN_GAIN + 1,
	               "one default per control input");
	memcpy(controls, defaults, sizeof(defaults));
	d->activate(h);

	// The input is the sequence's body after its header (unit, pad): the events. The first
	// block's sequence sits in an allocation of exactly its size, so that reading past it is
	// caught by AddressSanitizer; the later blocks get an empty sequence.
	const size_t body = size < CONTROL_BYTES ? size : CONTROL_BYTES;
	LV2_Atom_Sequence *first = malloc(sizeof(LV2_Atom_Sequence) + body);
	if (!first)
		abort();
	if (body)
		memcpy(first + 1, data, body);
	for (int block = 0; block < 4; block++) {
		LV2_Atom_Sequence *seq = block == 0 ? first : (LV2_Atom_Sequence *)empty_control;
		seq->atom.type = map_uri(NULL, LV2_ATOM__Sequence);
		seq->body.unit = 0;
		seq->body.pad = 0;
		seq->atom.size = (uint32_t)(sizeof(LV2_Atom_Sequence_Body) + (block == 0 ? body : 0));
		d->connect_port(h, LSTM_PORT_CONTROL, seq);
		LV2_Atom *n = (LV2_Atom *)notify;
		n->type = 0;
		n->size = NOTIFY_BYTES - sizeof(LV2_Atom);
		d->run(h, block == 3 ? 0 : 64);
		sync_worker_deliver(&worker);
		for (int k = 0; k < 64 && block < 3; k++)
			if (!isfinite(out[k]) || fabsf(out[k]) > 100.0f)
				abort(); // the output must stay finite and bounded whatever the messages
	}
	free(first);
	d->deactivate(h);
	return 0;
}
