// SPDX-License-Identifier: ISC
// Model gains for the level controls: see model_levels.h.
#include "model_levels.h"

#include <math.h>

int model_levels_gains(const ModelLevels *l, const LevelSettings *s, float *in_db, float *out_db)
{
	int missing = 0;
	*in_db = l->input_gain_db;
	if (s->calibrate_input) {
		if (isfinite(l->input_level_dbu))
			*in_db += s->interface_dbu - l->input_level_dbu;
		else
			missing |= LEVELS_MISSING_INPUT_LEVEL;
	}
	*out_db = l->raw_output_db;
	switch (s->output_mode) {
	case LEVELS_OUTPUT_NORMALIZED:
		if (isfinite(l->loudness_db))
			*out_db += LEVELS_NORMALIZED_DB - l->loudness_db;
		else
			missing |= LEVELS_MISSING_LOUDNESS;
		break;
	case LEVELS_OUTPUT_CALIBRATED:
		if (isfinite(l->output_level_dbu))
			*out_db += l->output_level_dbu - s->interface_dbu;
		else
			missing |= LEVELS_MISSING_OUTPUT_LEVEL;
		break;
	case LEVELS_OUTPUT_RAW: break;
	default: *out_db = l->output_gain_db; break;
	}
	return missing;
}

LevelSettings level_settings_from_controls(float output_mode, float calibrate_input,
                                           float interface_dbu)
{
	LevelSettings s;
	s.output_mode = output_mode >= 0.5f && output_mode < LEVELS_OUTPUT_MODES - 0.5f
	                    ? (int)lrintf(output_mode)
	                : output_mode >= LEVELS_OUTPUT_MODES - 0.5f ? LEVELS_OUTPUT_MODES - 1
	                                                            : LEVELS_OUTPUT_AUTO;
	s.calibrate_input = calibrate_input > 0.5f;
	s.interface_dbu = !isfinite(interface_dbu) ? LEVELS_DEFAULT_INTERFACE_DBU
	                  : interface_dbu < -40.0f ? -40.0f
	                  : interface_dbu > 40.0f  ? 40.0f
	                                           : interface_dbu;
	return s;
}
