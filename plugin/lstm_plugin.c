// SPDX-License-Identifier: ISC
// The LV2 glue: ports, URIDs, the worker that loads and frees models, patch messages and state.
// The signal path itself is fx_core.c. Functions appear in lifecycle order; each names its LV2
// threading class. Every host feature is optional: with none the plugin plays its default model
// (loaded at instantiation) and ignores the atom ports.
#include "fx_core.h"
#include "model_levels.h"
#include "lstm_uris.h"
#include "model_info.h"
#include "model_load.h"

#include <lv2/atom/atom.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/core/lv2_util.h>
#include <lv2/log/log.h>
#include <lv2/log/logger.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LSTM_DEFAULT_MODEL
#error "LSTM_DEFAULT_MODEL (the default model's file name in the bundle) must be defined"
#endif

enum {
	// Frames of silence (21 ms at 48 kHz) run through a model loaded mid-stream before it is
	// faded in, so it starts from its resting state rather than h0.
	PREWARM_FRAMES = 1024,
	// Largest model path, its NUL included: the longest the system can open (PATH_MAX). Every
	// load travels through the worker's ring buffer as exactly its own length.
	MAX_MESSAGE_PATH = PATH_MAX,
};

typedef struct {
	LV2_URID atom_Path;
	LV2_URID atom_URID;
	LV2_URID patch_Get;
	LV2_URID patch_Set;
	LV2_URID patch_property;
	LV2_URID patch_value;
	LV2_URID atom_String;
	LV2_URID atom_Float;
	LV2_URID lstm_model;
	LV2_URID lstm_model_name, lstm_model_esr, lstm_model_latency;
	LV2_URID lstm_knob_name[FX_MAX_KNOBS];
} Urids;

// A loaded model: the core's view first, so the core's FxModel pointer is this struct's.
typedef struct {
	FxModel fx;
	char knob_name[FX_MAX_KNOBS][MODEL_NAME_LEN]; // the model's, "Knob N", or "(unused)"
	char name[MODEL_NAME_LEN]; // its metadata's, else the file name without extension
	float esr;                 // held-out ESR its trainer reported, -1 when none
	float own_latency;         // latency_samples, at the model's rate
	ModelLevels levels;        // what its file says about its levels
	LevelSettings built;       // the level controls it was built for, and the gains they gave
	float in_db, out_db;
	char path[]; // absolute file name
} LoadedModel;

typedef enum {
	JOB_LOAD = 1,  // JobLoad: read, validate, self-test, build, prewarm; respond
	JOB_FREE,      // JobFree: free a model the audio thread no longer uses
	JOB_LOG,       // JobLog: report a bad patch message found on the audio thread
	JOB_NONFINITE, // JobNonFinite: report blocks the core silenced for non-finite audio
} JobType;

typedef enum {
	BAD_NOT_OBJECT = 1,
	BAD_NO_PROPERTY,
	BAD_VALUE_TYPE,
	BAD_PATH_LENGTH,
	BAD_TRUNCATED, // an event or property that does not fit in its container
} BadMessage;

typedef struct {
	uint32_t type;
	uint32_t choice; // the user's choice it serves (Plugin.choice_requested)
	uint32_t length; // path bytes including the terminating NUL
	char path[MAX_MESSAGE_PATH];
} JobLoad;

typedef struct {
	uint32_t type;
	LoadedModel *model;
} JobFree;

typedef struct {
	uint32_t type;
	uint32_t what; // BadMessage
	uint32_t detail;
} JobLog;

typedef struct {
	uint32_t type;
	uint32_t blocks;    // silenced since the plugin started
	uint32_t new_since; // since the last report
} JobNonFinite;

typedef struct {
	uint32_t type;      // JOB_LOAD
	uint32_t choice;    // the job's
	LoadedModel *model; // NULL when the load failed (already logged) or was superseded
} Response;

typedef struct {
	// Ports
	const float *in;
	float *out;
	const LV2_Atom_Sequence *control;
	LV2_Atom_Sequence *notify;
	const float *in_gain, *out_gain, *mix, *enabled;
	const float *knob[FX_MAX_KNOBS];
	const float *rate_mode;
	float *latency;
	const float *output_mode, *calibrate_input, *interface_dbu;

	// Host features (any may be NULL)
	LV2_URID_Map *map;
	LV2_Worker_Schedule *schedule;
	LV2_Log_Log *log;
	LV2_Log_Logger logger;
	LV2_Atom_Forge forge;
	Urids uris;

	double rate;
	// The rate mode models are built with (RateMode), read by the worker; and the port value
	// the audio thread last acted on.
	atomic_int build_mode;
	// The level controls models are built for (model_levels.h), written by the audio thread
	// and read by the worker. Each is read on its own: a model built from a mix of old and new
	// values differs from what the controls say, and run() then loads it again.
	atomic_int build_output_mode, build_calibrate_input;
	_Atomic float build_interface_dbu;
	LevelSettings published;      // what was last stored in the three above
	bool settings_load_in_flight; // a reload for the controls above or the rate mode
	// Every model the user chooses (patch:Set, restore) takes the next number. The worker
	// skips a load whose choice is no longer the newest, and run() drops such a model when
	// it arrives, so a flood of changes (a host scrolling through files) costs a load or two,
	// not one per change, and the last choice plays as soon as it is loaded.
	_Atomic uint32_t choice_requested;
	uint32_t choice_answered; // audio thread: the newest choice the worker has answered
	// The newest model path a patch:Set asked for while the worker's queue was full: run()
	// schedules it again each block until the queue takes it, so the last request wins.
	bool retry_load;
	uint32_t retry_length; // without the NUL
	char retry_path[MAX_MESSAGE_PATH];
	bool active;
	bool notify_model; // tell the host which model plays at the next run
	bool notify_names; // and the knob names (only when asked: hosts that do not know these
					   // read-only properties, such as Ardour 7, warn about each one)
	bool first_run;    // the first run after activate starts at the controls, unsmoothed
	FxCore fx;
	// Non-finite blocks already reported, and frames since the last report: at most one log
	// line a second however long the input stays broken.
	uint32_t nonfinite_reported;
	uint64_t frames_since_nonfinite_report;

	// The model the plugin ends up playing once fades end, for state save on another thread.
	// Models are freed only with free_lock held, so save can copy the path safely.
	_Atomic(LoadedModel *) playing;
	pthread_mutex_t free_lock;
} Plugin;

static void map_uris(LV2_URID_Map *map, Urids *u)
{
	u->atom_Path = map->map(map->handle, LV2_ATOM__Path);
	u->atom_URID = map->map(map->handle, LV2_ATOM__URID);
	u->patch_Get = map->map(map->handle, LV2_PATCH__Get);
	u->patch_Set = map->map(map->handle, LV2_PATCH__Set);
	u->patch_property = map->map(map->handle, LV2_PATCH__property);
	u->patch_value = map->map(map->handle, LV2_PATCH__value);
	u->atom_String = map->map(map->handle, LV2_ATOM__String);
	u->atom_Float = map->map(map->handle, LV2_ATOM__Float);
	u->lstm_model = map->map(map->handle, LSTM__model);
	u->lstm_model_name = map->map(map->handle, LSTM__modelName);
	u->lstm_model_esr = map->map(map->handle, LSTM__modelEsr);
	u->lstm_model_latency = map->map(map->handle, LSTM__modelLatency);
	u->lstm_knob_name[0] = map->map(map->handle, LSTM__knob1Name);
	u->lstm_knob_name[1] = map->map(map->handle, LSTM__knob2Name);
	u->lstm_knob_name[2] = map->map(map->handle, LSTM__knob3Name);
}

// Gives a model the gains its levels call for under settings s, and records s. Returns the
// LEVELS_MISSING_* bits. Not the audio thread (powf), and not while run() plays the model.
static int set_level_gains(LoadedModel *lm, const LevelSettings *s)
{
	lm->built = *s;
	const int missing = model_levels_gains(&lm->levels, s, &lm->in_db, &lm->out_db);
	lm->fx.level_in = powf(10.0f, lm->in_db / 20.0f);
	lm->fx.level_out = powf(10.0f, lm->out_db / 20.0f);
	return missing;
}

// Reads, validates, self-tests and builds a model; logs why when it cannot. Worker or
// instantiation thread: allocates and reads the file.
static LoadedModel *model_open(Plugin *self, const char *path, bool prewarm)
{
	ModelDesc desc;
	ModelError err;
	if (model_load_file(path, &desc, &err) != MODEL_OK) {
		lv2_log_error(&self->logger, "lstm: model not loaded%s: %s\n",
		              prewarm ? ", keeping the current one" : "", err.message);
		return NULL;
	}
	LoadedModel *lm = NULL;
	const RateMode mode = (RateMode)atomic_load(&self->build_mode);
	RatePlayer *player = rate_player_create(&desc, self->rate, mode, FX_CHUNK, &err);
	if (!player) {
		lv2_log_error(&self->logger, "lstm: %s: cannot build the network: %s\n", path, err.message);
		goto done;
	}
	const size_t len = strlen(path);
	lm = malloc(sizeof(*lm) + len + 1);
	if (!lm) {
		lv2_log_error(&self->logger, "lstm: %s: out of memory\n", path);
		rate_player_destroy(player);
		goto done;
	}
	fx_model_init(&lm->fx, player, &desc);
	// What the host must compensate: the rate path's delay and the model's own (its output
	// lags the captured device's), both in host frames. Computed here so run() only reads it.
	const uint32_t rate_latency = rate_player_latency(player);
	const uint32_t own_latency = model_latency_frames(&desc, self->rate);
	lm->fx.latency = rate_latency + own_latency;
	if (lm->fx.latency >= FX_DRY_DELAY) { // the format's 10 ms bound keeps it far below
		lv2_log_error(&self->logger,
		              "lstm: %s: latency %u frames, over the %d the plugin "
		              "can delay its dry signal by\n",
		              path, (unsigned)lm->fx.latency, FX_DRY_DELAY - 1);
		rate_player_destroy(player);
		free(lm);
		lm = NULL;
		goto done;
	}
	for (int k = 0; k < FX_MAX_KNOBS; k++) {
		if (k < desc.num_controls && desc.controls[k].name[0])
			snprintf(lm->knob_name[k], MODEL_NAME_LEN, "%s", desc.controls[k].name);
		else if (k < lm->fx.knobs)
			snprintf(lm->knob_name[k], MODEL_NAME_LEN, "Knob %d", k + 1);
		else
			snprintf(lm->knob_name[k], MODEL_NAME_LEN, "(unused)");
	}
	memcpy(lm->path, path, len + 1);
	ModelSummary summary;
	model_summary(&desc, &summary);
	lm->esr = (float)summary.esr;
	lm->own_latency = desc.latency_samples;
	lm->levels = (ModelLevels){
		.input_gain_db = desc.input_gain_db,
		.output_gain_db = desc.output_gain_db,
		.raw_output_db =
			isfinite(summary.nam_loudness_db)
				? desc.output_gain_db - (LEVELS_NORMALIZED_DB - (float)summary.nam_loudness_db)
				: desc.output_gain_db,
		.loudness_db = (float)summary.loudness_db,
		.input_level_dbu = (float)summary.input_level_dbu,
		.output_level_dbu = (float)summary.output_level_dbu,
	};
	const LevelSettings built = {atomic_load(&self->build_output_mode),
	                             atomic_load(&self->build_calibrate_input),
	                             atomic_load(&self->build_interface_dbu)};
	const int missing = set_level_gains(lm, &built);
	// Asked for what the file does not say: the gain stays raw, and the user hears why.
	if (missing & LEVELS_MISSING_LOUDNESS)
		lv2_log_note(&self->logger, "lstm: %s states no loudness: Normalized plays it raw\n", path);
	if (missing & LEVELS_MISSING_OUTPUT_LEVEL)
		lv2_log_note(&self->logger,
		             "lstm: %s states no output_level_dbu: Calibrated plays it "
		             "raw\n",
		             path);
	if (missing & LEVELS_MISSING_INPUT_LEVEL)
		lv2_log_note(&self->logger,
		             "lstm: %s states no input_level_dbu: its input is not "
		             "calibrated\n",
		             path);
	if (summary.name[0]) {
		memcpy(lm->name, summary.name, sizeof lm->name);
	} else { // "dir/crunch.lstm.json" -> "crunch"
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		snprintf(lm->name, sizeof lm->name, "%.*s", (int)strcspn(base, "."), base);
	}
	if (rate_player_path(player) != RATE_PATH_BYPASS)
		lv2_log_note(&self->logger,
		             "lstm: %s was trained at %.0f Hz and the host runs at %.0f Hz; playing "
		             "it through rate %s (latency %u frames: %u of rate conversion, %u of the "
		             "model's own)\n",
		             path, desc.sample_rate, self->rate, rate_path_name(rate_player_path(player)),
		             (unsigned)lm->fx.latency, (unsigned)rate_latency, (unsigned)own_latency);
	else if (own_latency) // routine for a trained capture, and on the latency port: a trace
		lv2_log_trace(&self->logger,
		              "lstm: %s lags the device it captured by %g samples; latency %u frames\n",
		              path, (double)desc.latency_samples, (unsigned)lm->fx.latency);
	if (prewarm)
		fx_model_prewarm(&lm->fx, PREWARM_FRAMES, &desc);
	else
		rate_player_reset(player);
done:
	model_desc_free(&desc);
	return lm;
}

static void model_close(Plugin *self, LoadedModel *lm)
{
	if (!lm)
		return;
	pthread_mutex_lock(&self->free_lock);
	rate_player_destroy(lm->fx.player); // it owns the network
	free(lm);
	pthread_mutex_unlock(&self->free_lock);
}

// Frees everything the core retired. Not the audio thread.
static void free_retired_now(Plugin *self)
{
	FxModel *m;
	while ((m = fx_core_take_retired(&self->fx)))
		model_close(self, (LoadedModel *)m);
}

// Installs a model (or none) with no fade and frees what it replaces. Instantiation class (no
// run).
static void install_now(Plugin *self, LoadedModel *lm)
{
	FxModel *m = lm ? &lm->fx : NULL;
	if (fx_core_install_model(&self->fx, m) != 0) {
		free_retired_now(self);
		fx_core_install_model(&self->fx, m);
	}
	atomic_store(&self->playing, lm);
	free_retired_now(self);
	self->notify_model = true;
}

// Whether a newer choice than `choice` has been requested (wrap-around safe). Any thread.
static bool superseded(const Plugin *self, uint32_t choice)
{
	return (int32_t)(choice - atomic_load(&self->choice_requested)) < 0;
}

// The one way a model gets loaded while the plugin runs: a JOB_LOAD of exactly the path's
// length through a worker, whose response run() crossfades in. From the audio thread (with
// the plugin's worker) or from restore (with the worker the host passed it). path need not be
// NUL-terminated; len excludes any NUL.
static LV2_Worker_Status schedule_load(LV2_Worker_Schedule *schedule, const char *path, size_t len,
                                       uint32_t choice)
{
	if (len == 0 || len >= MAX_MESSAGE_PATH)
		return LV2_WORKER_ERR_NO_SPACE;
	JobLoad job;
	job.type = JOB_LOAD;
	job.choice = choice;
	job.length = (uint32_t)len + 1;
	memcpy(job.path, path, len);
	job.path[len] = '\0';
	return schedule->schedule_work(schedule->handle, (uint32_t)(offsetof(JobLoad, path) + len + 1),
	                               &job);
}

// A model the user chose: loaded as the newest choice, superseding any still on its way. Two
// choices made at once from two threads (run and restore) may share a number; the worker's
// order then decides, as it would without numbers.
static LV2_Worker_Status schedule_choice(Plugin *self, LV2_Worker_Schedule *schedule,
                                         const char *path, size_t len)
{
	const uint32_t choice = atomic_load(&self->choice_requested) + 1;
	const LV2_Worker_Status st = schedule_load(schedule, path, len, choice);
	if (st == LV2_WORKER_SUCCESS)
		atomic_store(&self->choice_requested, choice);
	return st;
}

// Instantiation class.
static LV2_Handle instantiate(const LV2_Descriptor *descriptor, double rate,
                              const char *bundle_path, const LV2_Feature *const *features)
{
	(void)descriptor;
	Plugin *self = calloc(1, sizeof(*self));
	if (!self)
		return NULL;
	lv2_features_query(features, LV2_LOG__log, &self->log, false, LV2_URID__map, &self->map, false,
	                   LV2_WORKER__schedule, &self->schedule, false, NULL);
	lv2_log_logger_init(&self->logger, self->map, self->log);
	if (self->map) {
		map_uris(self->map, &self->uris);
		lv2_atom_forge_init(&self->forge, self->map);
	}
	pthread_mutex_init(&self->free_lock, NULL);
	self->rate = rate;
	// The level controls' defaults until run() or activate() reads the ports.
	self->published =
		level_settings_from_controls(LEVELS_OUTPUT_AUTO, 0.0f, LEVELS_DEFAULT_INTERFACE_DBU);
	atomic_store(&self->build_interface_dbu, self->published.interface_dbu);
	fx_core_init(&self->fx, rate);

	const size_t blen = strlen(bundle_path);
	const bool slash = blen > 0 && bundle_path[blen - 1] == '/';
	char *path = malloc(blen + 2 + sizeof(LSTM_DEFAULT_MODEL));
	if (!path) {
		free(self);
		return NULL;
	}
	strcpy(path, bundle_path);
	if (!slash)
		strcat(path, "/");
	strcat(path, LSTM_DEFAULT_MODEL);
	LoadedModel *lm = model_open(self, path, false);
	if (lm)
		install_now(self, lm);
	else
		lv2_log_error(&self->logger, "lstm: no default model: passing audio through\n");
	free(path);
	return self;
}

// Audio class.
static void connect_port(LV2_Handle instance, uint32_t port, void *data)
{
	Plugin *self = instance;
	switch ((LstmPort)port) {
	case LSTM_PORT_IN: self->in = data; break;
	case LSTM_PORT_OUT: self->out = data; break;
	case LSTM_PORT_CONTROL: self->control = data; break;
	case LSTM_PORT_NOTIFY: self->notify = data; break;
	case LSTM_PORT_IN_GAIN: self->in_gain = data; break;
	case LSTM_PORT_OUT_GAIN: self->out_gain = data; break;
	case LSTM_PORT_MIX: self->mix = data; break;
	case LSTM_PORT_ENABLED: self->enabled = data; break;
	case LSTM_PORT_KNOB1: self->knob[0] = data; break;
	case LSTM_PORT_KNOB2: self->knob[1] = data; break;
	case LSTM_PORT_KNOB3: self->knob[2] = data; break;
	case LSTM_PORT_RATE_MODE: self->rate_mode = data; break;
	case LSTM_PORT_LATENCY: self->latency = data; break;
	case LSTM_PORT_OUTPUT_MODE: self->output_mode = data; break;
	case LSTM_PORT_CALIBRATE_INPUT: self->calibrate_input = data; break;
	case LSTM_PORT_INTERFACE_DBU: self->interface_dbu = data; break;
	case LSTM_NUM_PORTS: break;
	}
}

// The level controls as they are now (defaults for unconnected ports). Audio or
// instantiation class.
static LevelSettings level_settings(const Plugin *self)
{
	return level_settings_from_controls(
		self->output_mode ? *self->output_mode : (float)LEVELS_OUTPUT_AUTO,
		self->calibrate_input ? *self->calibrate_input : 0.0f,
		self->interface_dbu ? *self->interface_dbu : LEVELS_DEFAULT_INTERFACE_DBU);
}

// Tells the worker which level controls to build models for (stores only on a change, which
// run() checks every block).
static void publish_level_settings(Plugin *self, const LevelSettings *s)
{
	if (!memcmp(&self->published, s, sizeof *s))
		return;
	self->published = *s;
	atomic_store(&self->build_output_mode, s->output_mode);
	atomic_store(&self->build_calibrate_input, s->calibrate_input);
	atomic_store(&self->build_interface_dbu, s->interface_dbu);
}

// Instantiation class: networks back to their initial state, parameters at their targets.
static void activate(LV2_Handle instance)
{
	Plugin *self = instance;
	// A session or preset sets the level controls before activation: the model plays at them
	// from the first block, not after a reload.
	const LevelSettings want = level_settings(self);
	publish_level_settings(self, &want);
	LoadedModel *lm = (LoadedModel *)fx_core_model(&self->fx);
	if (lm && !fx_core_changing(&self->fx))
		set_level_gains(lm, &want);
	fx_core_reset(&self->fx);
	free_retired_now(self);
	self->active = true;
	self->first_run = true;
	self->notify_model = true;
}

// Audio class: a bad message is reported through the worker, which may log.
static void report_bad_message(Plugin *self, BadMessage what, uint32_t detail)
{
	if (self->schedule) {
		const JobLog job = {JOB_LOG, what, detail};
		self->schedule->schedule_work(self->schedule->handle, sizeof(job), &job);
	}
}

// Audio class: lv2_atom_object_get() for two keys, but every property must lie inside the
// object (the util.h walk trusts the sizes it reads). Returns false for a truncated object.
static bool object_get_checked(const LV2_Atom_Object *obj, LV2_URID key1, const LV2_Atom **v1,
                               LV2_URID key2, const LV2_Atom **v2)
{
	if (obj->atom.size < sizeof(LV2_Atom_Object_Body))
		return false;
	const uint8_t *p = (const uint8_t *)(obj + 1);
	const uint8_t *end = (const uint8_t *)&obj->body + obj->atom.size;
	while (p < end) {
		const LV2_Atom_Property_Body *prop = (const LV2_Atom_Property_Body *)p;
		if ((size_t)(end - p) < sizeof(*prop)
		    || prop->value.size > (size_t)(end - p) - sizeof(*prop))
			return false;
		if (prop->key == key1)
			*v1 = &prop->value;
		else if (prop->key == key2)
			*v2 = &prop->value;
		p += lv2_atom_pad_size((uint32_t)sizeof(*prop) + prop->value.size);
	}
	return true;
}

// Audio class.
static void handle_set(Plugin *self, const LV2_Atom_Object *obj)
{
	const Urids *u = &self->uris;
	const LV2_Atom *property = NULL, *value = NULL;
	if (!object_get_checked(obj, u->patch_property, &property, u->patch_value, &value)) {
		report_bad_message(self, BAD_TRUNCATED, obj->atom.size);
		return;
	}
	if (!property || property->type != u->atom_URID
	    || property->size < sizeof(((const LV2_Atom_URID *)property)->body)) {
		report_bad_message(self, BAD_NO_PROPERTY, 0);
		return;
	}
	if (((const LV2_Atom_URID *)property)->body != u->lstm_model)
		return; // another plugin's property: not an error
	if (!value || value->type != u->atom_Path) {
		report_bad_message(self, BAD_VALUE_TYPE, value ? value->type : 0);
		self->notify_model = true;
		return;
	}
	const char *path = LV2_ATOM_BODY_CONST(value);
	if (value->size < 2 || value->size > MAX_MESSAGE_PATH || path[value->size - 1] != '\0') {
		report_bad_message(self, BAD_PATH_LENGTH, value->size);
		self->notify_model = true;
		return;
	}
	if (!self->schedule) {
		self->notify_model = true;
		return; // no worker: the model cannot change while running; the host hears which plays
	}
	// A full queue must not lose the user's choice: keep the newest path and retry it.
	self->retry_load =
		schedule_choice(self, self->schedule, path, value->size - 1) != LV2_WORKER_SUCCESS;
	if (self->retry_load) {
		self->retry_length = value->size - 1;
		memcpy(self->retry_path, path, self->retry_length);
		self->notify_model = true;
	}
}

// Audio class.
static void handle_event(Plugin *self, const LV2_Atom_Event *ev)
{
	const Urids *u = &self->uris;
	if (!lv2_atom_forge_is_object_type(&self->forge, ev->body.type)) {
		report_bad_message(self, BAD_NOT_OBJECT, ev->body.type);
		return;
	}
	const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
	if (obj->atom.size < sizeof(obj->body)) {
		report_bad_message(self, BAD_TRUNCATED, obj->atom.size);
		return;
	}
	if (obj->body.otype == u->patch_Set)
		handle_set(self, obj);
	else if (obj->body.otype == u->patch_Get)
		self->notify_model = self->notify_names = true;
}

// Audio class: LV2_ATOM_SEQUENCE_FOREACH with every event checked to lie inside the sequence
// (a host bug or a hostile message must not make the plugin read past the buffer).
static void read_control(Plugin *self)
{
	const LV2_Atom_Sequence *seq = self->control;
	if (seq->atom.size < sizeof(LV2_Atom_Sequence_Body))
		return;
	const uint8_t *p = (const uint8_t *)(seq + 1);
	const uint8_t *end = (const uint8_t *)&seq->body + seq->atom.size;
	while (p < end) {
		const LV2_Atom_Event *ev = (const LV2_Atom_Event *)p;
		if ((size_t)(end - p) < sizeof(*ev) || ev->body.size > (size_t)(end - p) - sizeof(*ev)) {
			report_bad_message(self, BAD_TRUNCATED, (uint32_t)(end - p));
			return;
		}
		handle_event(self, ev);
		p += lv2_atom_pad_size((uint32_t)sizeof(*ev) + ev->body.size);
	}
}

// Audio class: one patch:Set of a property to a path, a string or (type atom:Float) the
// number x. Returns 0 when out of room.
static int forge_set(Plugin *self, LV2_URID property, LV2_URID type, const char *value, float x)
{
	const Urids *u = &self->uris;
	LV2_Atom_Forge *forge = &self->forge;
	LV2_Atom_Forge_Frame frame;
	if (!lv2_atom_forge_frame_time(forge, 0)
	    || !lv2_atom_forge_object(forge, &frame, 0, u->patch_Set))
		return 0;
	lv2_atom_forge_key(forge, u->patch_property);
	lv2_atom_forge_urid(forge, property);
	lv2_atom_forge_key(forge, u->patch_value);
	const uint32_t len = value ? (uint32_t)strlen(value) : 0;
	const LV2_Atom_Forge_Ref ref = type == u->atom_Float ? lv2_atom_forge_float(forge, x)
	                               : type == u->atom_Path
	                                   ? lv2_atom_forge_path(forge, value, len)
	                                   : lv2_atom_forge_string(forge, value, len);
	lv2_atom_forge_pop(forge, &frame);
	return ref != 0;
}

// Audio class: the model that plays (or is about to), and after a patch:Get its knob names,
// name, ESR and latency, on the notify port.
static void write_notify(Plugin *self)
{
	const Urids *u = &self->uris;
	const LoadedModel *lm = (const LoadedModel *)fx_core_next_model(&self->fx);
	int ok = forge_set(self, u->lstm_model, u->atom_Path, lm ? lm->path : "", 0.0f);
	for (int k = 0; k < FX_MAX_KNOBS && ok && self->notify_names; k++)
		ok = forge_set(self, u->lstm_knob_name[k], u->atom_String,
		               lm ? lm->knob_name[k] : "(unused)", 0.0f);
	if (ok && self->notify_names)
		ok = forge_set(self, u->lstm_model_name, u->atom_String, lm ? lm->name : "", 0.0f)
		     && forge_set(self, u->lstm_model_esr, u->atom_Float, NULL, lm ? lm->esr : -1.0f)
		     && forge_set(self, u->lstm_model_latency, u->atom_Float, NULL,
		                  lm ? lm->own_latency : 0.0f);
	if (ok)
		self->notify_model = self->notify_names = false;
}

// Audio class: when the rate-mode or level controls ask for something else than the playing
// (or next) model was built for, rebuilds it through the worker, crossfaded in like any model
// change. Only a change that alters how it plays counts: a model at the host's rate plays the
// same in every rate mode, and the interface level means nothing to a model without levels.
// One rebuild at a time; a control that keeps moving is caught up with once it lands. Without
// a worker the controls apply to the next model loaded (or at activation).
static void follow_settings(Plugin *self)
{
	const float v = self->rate_mode ? *self->rate_mode : 0.0f;
	const RateMode rate_mode = v >= 1.5f   ? RATE_MODE_CORRECT
	                           : v >= 0.5f ? RATE_MODE_RESAMPLE
	                                       : RATE_MODE_AUTO;
	if (atomic_load_explicit(&self->build_mode, memory_order_relaxed) != (int)rate_mode)
		atomic_store(&self->build_mode, rate_mode);
	const LevelSettings want = level_settings(self);
	publish_level_settings(self, &want);
	const LoadedModel *lm = (const LoadedModel *)fx_core_next_model(&self->fx);
	// While a choice of the user's is on its way, it is built for the settings of its time, and
	// a rebuild of the model it replaces must not land after it.
	if (!lm || !self->schedule || self->settings_load_in_flight
	    || self->choice_answered != atomic_load(&self->choice_requested))
		return;
	const RatePath now = rate_player_path(lm->fx.player);
	const bool rate_differs = rate_path_choose(lm->fx.sample_rate, self->rate, rate_mode) != now;
	float in_db, out_db;
	model_levels_gains(&lm->levels, &want, &in_db, &out_db);
	const bool levels_differ =
		fabsf(in_db - lm->in_db) > 1e-4f || fabsf(out_db - lm->out_db) > 1e-4f;
	if ((rate_differs || levels_differ)
	    && schedule_load(self->schedule, lm->path, strlen(lm->path),
	                     atomic_load(&self->choice_requested))
	           == LV2_WORKER_SUCCESS)
		self->settings_load_in_flight = true;
}

// Audio class: when the core has silenced blocks of non-finite audio since the last report,
// has the worker log it, at most once a second.
static void report_nonfinite(Plugin *self, uint32_t n)
{
	self->frames_since_nonfinite_report += n;
	const uint32_t blocks = fx_core_nonfinite_blocks(&self->fx);
	if (blocks == self->nonfinite_reported || !self->schedule
	    || (self->nonfinite_reported != 0 && self->frames_since_nonfinite_report < self->rate))
		return;
	const JobNonFinite job = {JOB_NONFINITE, blocks, blocks - self->nonfinite_reported};
	if (self->schedule->schedule_work(self->schedule->handle, sizeof(job), &job)
	    == LV2_WORKER_SUCCESS) {
		self->nonfinite_reported = blocks;
		self->frames_since_nonfinite_report = 0;
	}
}

// Audio class.
static void run(LV2_Handle instance, uint32_t n)
{
	Plugin *self = instance;
	FxCore *fx = &self->fx;
	if (self->in_gain)
		fx_core_set_input_gain_db(fx, *self->in_gain);
	if (self->out_gain)
		fx_core_set_output_gain_db(fx, *self->out_gain);
	if (self->mix)
		fx_core_set_mix(fx, *self->mix);
	if (self->enabled)
		fx_core_set_enabled(fx, *self->enabled > 0.5f);
	for (int k = 0; k < FX_MAX_KNOBS; k++)
		if (self->knob[k])
			fx_core_set_knob(fx, k, *self->knob[k]);
	if (self->first_run) {
		fx_core_snap_parameters(fx);
		self->first_run = false;
	}
	follow_settings(self);
	if (self->retry_load && self->schedule)
		self->retry_load =
			schedule_choice(self, self->schedule, self->retry_path, self->retry_length)
			!= LV2_WORKER_SUCCESS;

	LV2_Atom_Forge_Frame seq_frame;
	bool notifying = false;
	if (self->map && self->notify) {
		const uint32_t capacity = self->notify->atom.size;
		lv2_atom_forge_set_buffer(&self->forge, (uint8_t *)self->notify, capacity);
		notifying = lv2_atom_forge_sequence_head(&self->forge, &seq_frame, 0) != 0;
	}
	if (self->map && self->control)
		read_control(self);

	if (self->in && self->out)
		fx_core_process(fx, self->in, self->out, n);
	report_nonfinite(self, n);
	if (self->latency) {
		const FxModel *m = fx_core_model(fx);
		*self->latency = m ? (float)m->latency : 0.0f;
	}

	if (self->schedule) {
		FxModel *m;
		while ((m = fx_core_take_retired(fx))) {
			const JobFree job = {JOB_FREE, (LoadedModel *)m};
			if (self->schedule->schedule_work(self->schedule->handle, sizeof(job), &job)
			    != LV2_WORKER_SUCCESS) {
				fx_core_retire(fx, m); // try again next cycle
				break;
			}
		}
	}
	if (notifying) {
		if (self->notify_model)
			write_notify(self);
		lv2_atom_forge_pop(&self->forge, &seq_frame);
	}
}

// Worker thread: loads and frees models, logs bad messages.
static LV2_Worker_Status work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                              LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
	Plugin *self = instance;
	uint32_t type;
	if (size < sizeof(type))
		return LV2_WORKER_ERR_UNKNOWN;
	memcpy(&type, data, sizeof(type));
	if (type == JOB_FREE && size == sizeof(JobFree)) {
		JobFree job;
		memcpy(&job, data, sizeof(job));
		model_close(self, job.model);
	} else if (type == JOB_LOAD && size > offsetof(JobLoad, path)
	           && ((const char *)data)[size - 1] == '\0') {
		const JobLoad *job = data;
		const Response r = {JOB_LOAD, job->choice,
		                    superseded(self, job->choice) ? NULL
		                                                  : model_open(self, job->path, true)};
		respond(handle, sizeof(r), &r);
	} else if (type == JOB_NONFINITE && size == sizeof(JobNonFinite)) {
		JobNonFinite job;
		memcpy(&job, data, sizeof(job));
		lv2_log_warning(&self->logger,
		                "lstm: %u block%s of non-finite audio (a NaN or an "
		                "infinity in the input, or a model that diverged) silenced, %u in all; "
		                "the model was reset\n",
		                job.new_since, job.new_since == 1 ? "" : "s", job.blocks);
	} else if (type == JOB_LOG && size == sizeof(JobLog)) {
		JobLog job;
		memcpy(&job, data, sizeof(job));
		switch ((BadMessage)job.what) {
		case BAD_NOT_OBJECT:
			lv2_log_error(&self->logger,
			              "lstm: control port: event of type %u is not an "
			              "object, ignored\n",
			              job.detail);
			break;
		case BAD_NO_PROPERTY:
			lv2_log_error(&self->logger, "lstm: patch:Set without a patch:property URID, "
			                             "ignored\n");
			break;
		case BAD_VALUE_TYPE:
			lv2_log_error(&self->logger,
			              "lstm: patch:Set of the model: the value must be an "
			              "atom:Path (got type %u), ignored\n",
			              job.detail);
			break;
		case BAD_TRUNCATED:
			lv2_log_error(&self->logger,
			              "lstm: control port: an event or property runs past "
			              "its container (%u bytes), ignored\n",
			              job.detail);
			break;
		case BAD_PATH_LENGTH:
			lv2_log_error(&self->logger,
			              "lstm: patch:Set of the model: bad path (%u bytes, "
			              "empty, unterminated or over %d), ignored\n",
			              job.detail, MAX_MESSAGE_PATH);
			break;
		}
	} else {
		return LV2_WORKER_ERR_UNKNOWN;
	}
	return LV2_WORKER_SUCCESS;
}

// Audio class: swaps the new model in (the core crossfades) and tells the host.
static LV2_Worker_Status work_response(LV2_Handle instance, uint32_t size, const void *data)
{
	Plugin *self = instance;
	Response r;
	if (size != sizeof(r))
		return LV2_WORKER_ERR_UNKNOWN;
	memcpy(&r, data, sizeof(r));
	self->notify_model = true;
	self->settings_load_in_flight = false; // run() checks again what the controls ask for
	if ((int32_t)(r.choice - self->choice_answered) > 0)
		self->choice_answered = r.choice;
	if (!r.model)
		return LV2_WORKER_SUCCESS;
	// A model loaded for a choice the user has since replaced (restore's worker and the
	// plugin's answer in any order) is freed, not played.
	if (!superseded(self, r.choice) && fx_core_offer_model(&self->fx, &r.model->fx) == 0) {
		atomic_store_explicit(&self->playing, r.model, memory_order_release);
	} else if (self->schedule) {
		const JobFree job = {JOB_FREE, r.model};
		self->schedule->schedule_work(self->schedule->handle, sizeof(job), &job);
	}
	return LV2_WORKER_SUCCESS;
}

// Instantiation class.
static void deactivate(LV2_Handle instance)
{
	Plugin *self = instance;
	self->active = false;
}

// Instantiation class.
static void cleanup(LV2_Handle instance)
{
	Plugin *self = instance;
	install_now(self, NULL); // retires every model the core holds, and frees them
	pthread_mutex_destroy(&self->free_lock);
	free(self);
}

// The host's state path features, which save() and restore() fetch alike. Either may be absent:
// without mapPath a path is stored as it is.
typedef struct {
	LV2_State_Map_Path *map;
	LV2_State_Free_Path *free;
} StatePaths;

// State class (save or restore).
static StatePaths state_paths(const LV2_Feature *const *features)
{
	StatePaths paths = {NULL, NULL};
	lv2_features_query(features, LV2_STATE__mapPath, &paths.map, false, LV2_STATE__freePath,
	                   &paths.free, false, NULL);
	return paths;
}

// State class. Frees what mapPath made of original (nothing when mapped is original itself, as
// without mapPath): with freePath where the host gave one, else with free(), as hosts from
// before freePath expect.
static void state_path_free(const StatePaths *paths, char *mapped, const char *original)
{
	if (!mapped || mapped == original)
		return;
	if (paths->free)
		paths->free->free_path(paths->free->handle, mapped);
	else
		free(mapped);
}

// State save: its own threading class, may run during run(). Stores the model as an abstract
// path; the control ports' values are saved by the host with the port values.
static LV2_State_Status save(LV2_Handle instance, LV2_State_Store_Function store,
                             LV2_State_Handle handle, uint32_t flags,
                             const LV2_Feature *const *features)
{
	(void)flags;
	Plugin *self = instance;
	if (!self->map)
		return LV2_STATE_ERR_NO_FEATURE;
	pthread_mutex_lock(&self->free_lock);
	const LoadedModel *lm = atomic_load_explicit(&self->playing, memory_order_acquire);
	char *abs = lm ? strdup(lm->path) : NULL;
	pthread_mutex_unlock(&self->free_lock);
	if (!abs)
		return lm ? LV2_STATE_ERR_UNKNOWN : LV2_STATE_SUCCESS;

	const StatePaths paths = state_paths(features);
	char *stored = paths.map ? paths.map->abstract_path(paths.map->handle, abs) : abs;
	LV2_State_Status st = LV2_STATE_ERR_UNKNOWN;
	if (stored)
		st = store(handle, self->uris.lstm_model, stored, strlen(stored) + 1, self->uris.atom_Path,
		           LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
	state_path_free(&paths, stored, abs);
	free(abs);
	return st;
}

// State restore: may run concurrently with run() (state:threadSafeRestore), and then the host
// must pass a worker: the load goes through it, whatever the path's length, and run() installs
// the model. Only an inactive plugin, or a host that passed no worker (and so does not call
// restore during run()), has the model installed here.
static LV2_State_Status restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve,
                                LV2_State_Handle handle, uint32_t flags,
                                const LV2_Feature *const *features)
{
	(void)flags;
	Plugin *self = instance;
	if (!self->map)
		return LV2_STATE_ERR_NO_FEATURE;
	const StatePaths paths = state_paths(features);
	size_t size = 0;
	uint32_t type = 0, vflags = 0;
	const char *value = retrieve(handle, self->uris.lstm_model, &size, &type, &vflags);
	if (!value)
		return LV2_STATE_SUCCESS; // nothing saved: keep the current model
	// An atom:Path's size counts its terminating NUL, but Carla hands it back without one
	// (size = strlen): both are the same path. A NUL inside it is not.
	const size_t chars = size > 0 && value[size - 1] == '\0' ? size - 1 : size;
	if (type != self->uris.atom_Path || chars == 0 || memchr(value, '\0', chars)) {
		lv2_log_error(&self->logger, "lstm: state: the model is not an atom:Path, ignored\n");
		return LV2_STATE_ERR_BAD_TYPE;
	}
	char *stored = strndup(value, chars);
	if (!stored)
		return LV2_STATE_ERR_UNKNOWN;
	LV2_Worker_Schedule *schedule = lv2_features_data(features, LV2_WORKER__schedule);
	char *path = paths.map ? paths.map->absolute_path(paths.map->handle, stored) : stored;
	if (!path) {
		free(stored);
		return LV2_STATE_ERR_UNKNOWN;
	}

	LV2_State_Status st = LV2_STATE_SUCCESS;
	const size_t len = strlen(path);
	if (self->active && schedule) {
		const LV2_Worker_Status ws = schedule_choice(self, schedule, path, len);
		if (ws != LV2_WORKER_SUCCESS) {
			lv2_log_error(&self->logger, "lstm: state: %s: %s; keeping the current model\n", path,
			              len >= MAX_MESSAGE_PATH ? "the path is longer than the system "
			                                        "allows"
			                                      : "the host's worker has no room for the load");
			st = ws == LV2_WORKER_ERR_NO_SPACE ? LV2_STATE_ERR_NO_SPACE : LV2_STATE_ERR_UNKNOWN;
		}
	} else {
		LoadedModel *lm = model_open(self, path, false);
		if (lm) {
			// Loads still queued from before are older choices.
			self->choice_answered = atomic_fetch_add(&self->choice_requested, 1) + 1;
			install_now(self, lm);
		} else {
			st = LV2_STATE_ERR_UNKNOWN;
		}
	}
	state_path_free(&paths, path, stored);
	free(stored);
	return st;
}

// Discovery class.
static const void *extension_data(const char *uri)
{
	static const LV2_Worker_Interface worker = {work, work_response, NULL};
	static const LV2_State_Interface state = {save, restore};
	if (!strcmp(uri, LV2_WORKER__interface))
		return &worker;
	if (!strcmp(uri, LV2_STATE__interface))
		return &state;
	return NULL;
}

static const LV2_Descriptor descriptor = {
	LSTM_URI, instantiate, connect_port, activate, run, deactivate, cleanup, extension_data,
};

// Discovery class: the only exported symbol.
LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index)
{
	return index == 0 ? &descriptor : NULL;
}
