// SPDX-License-Identifier: ISC
// Training metadata as JSON (jansson).
#include "training_metadata.h"

#include <jansson.h>
#include <math.h>

char *training_metadata_json(const TrainingMetadata *t)
{
	json_t *meta = json_object();
	json_t *tj = json_object();
	if (!meta || !tj) {
		json_decref(meta);
		json_decref(tj);
		return NULL;
	}
	json_object_set_new(meta, "name", json_string(t->name));
	json_object_set_new(meta, "description", json_string(t->description));
	json_object_set_new(meta, "loudness_db", json_real(t->loudness_db));
	if (isfinite(t->input_level_dbu))
		json_object_set_new(meta, "input_level_dbu", json_real(t->input_level_dbu));
	if (isfinite(t->output_level_dbu))
		json_object_set_new(meta, "output_level_dbu", json_real(t->output_level_dbu));
	const char *const keys[] = {"author",    "gear_make", "gear_model",
	                            "gear_type", "tone_type", "date"};
	const char *const values[] = {t->author,    t->gear_make, t->gear_model,
	                              t->gear_type, t->tone_type, t->date};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (values[k])
			json_object_set_new(meta, keys[k], json_string(values[k]));
	json_object_set_new(tj, "program", json_string(t->program));
	if (t->command_line)
		json_object_set_new(tj, "command_line", json_string(t->command_line));
	json_object_set_new(tj, "cell", json_string(t->cell));
	json_object_set_new(tj, "hidden", json_integer(t->hidden));
	json_object_set_new(tj, "layers", json_integer(t->layers));
	json_object_set_new(tj, "skip", json_integer(t->skip));
	json_object_set_new(tj, "epochs", json_integer(t->epochs));
	json_object_set_new(tj, "seconds", json_real(t->seconds));
	json_object_set_new(tj, "interrupted", json_boolean(t->interrupted));
	json_object_set_new(tj, "seconds_of_audio", json_real(t->seconds_of_audio));
	json_object_set_new(tj, "pairs", json_integer(t->pairs));
	json_object_set_new(tj, "latency_samples", json_real(t->latency_samples));
	json_object_set_new(tj, "shift_samples", json_integer(t->shift_samples));
	json_object_set_new(tj, "esr_train", json_real(t->esr_train));
	if (t->esr_validation >= 0)
		json_object_set_new(tj, "esr_validation", json_real(t->esr_validation));
	if (t->esr_test >= 0)
		json_object_set_new(tj, "esr_test", json_real(t->esr_test));
	if (t->esr_linear_baseline >= 0)
		json_object_set_new(tj, "esr_linear_baseline", json_real(t->esr_linear_baseline));
	if (t->replicate_esr >= 0)
		json_object_set_new(tj, "replicate_esr", json_real(t->replicate_esr));
	json_object_set_new(tj, "segment_samples", json_integer(t->segment_samples));
	json_object_set_new(tj, "batch", json_integer(t->batch));
	json_object_set_new(tj, "warmup", json_integer(t->warmup));
	json_object_set_new(tj, "tbptt", json_integer(t->tbptt));
	json_object_set_new(tj, "lr", json_real(t->lr));
	json_object_set_new(tj, "preemph", json_string(t->preemph));
	json_object_set_new(tj, "preemph_coef", json_real(t->preemph_coef));
	json_object_set_new(tj, "esr_weight", json_real(t->esr_weight));
	json_object_set_new(tj, "dc_weight", json_real(t->dc_weight));
	json_object_set_new(tj, "seed", json_integer((json_int_t)t->seed));
	json_object_set_new(tj, "threads", json_integer(t->threads));
	json_object_set_new(meta, "training", tj);
	char *text = json_dumps(meta, JSON_COMPACT | JSON_REAL_PRECISION(9));
	json_decref(meta);
	return text;
}
