// SPDX-License-Identifier: ISC
// How loud a model plays: its input and output gains in dB for the plugin's level controls,
// from what its file says, following NAM's plugin (docs/interop.md, "Output modes and input
// calibration"). Pure arithmetic, no LV2 and no allocation: any thread, the audio one included.
#ifndef LSTM_MODEL_LEVELS_H
#define LSTM_MODEL_LEVELS_H

#ifdef __cplusplus
extern "C" {
#endif

// The loudness NAM's "Normalized" mode brings every model to, dB.
#define LEVELS_NORMALIZED_DB (-18.0f)
// NAM's default for the interface's level at 0 dBFS, dBu.
#define LEVELS_DEFAULT_INTERFACE_DBU 12.0f

typedef enum {
	LEVELS_OUTPUT_AUTO = 0,   // as the file's own player: a NAM file normalised (NAM's
							  // default), any other file at its own output gain
	LEVELS_OUTPUT_RAW,        // no loudness normalisation: the network's output, with only the
							  // output gain the format itself defines (AIDA-X's out_gain)
	LEVELS_OUTPUT_NORMALIZED, // raw, then brought to LEVELS_NORMALIZED_DB by its loudness
	LEVELS_OUTPUT_CALIBRATED, // raw, then + output_level_dbu - interface_dbu: the device's
							  // level in dBu at the interface's output
	LEVELS_OUTPUT_MODES
} LevelsOutputMode;

typedef struct {
	int output_mode;     // LevelsOutputMode
	int calibrate_input; // 1: the input + interface_dbu - input_level_dbu
	float interface_dbu; // the audio interface's level at 0 dBFS, dBu (in and out)
} LevelSettings;

// What a model file says about its levels. Unknown figures are NAN.
typedef struct {
	float input_gain_db;    // the file's own input gain (levels, in_gain): always applied
	float output_gain_db;   // the file's output gain as its own player applies it
	float raw_output_db;    // the same without a loudness normalisation (a NAM file: 0)
	float loudness_db;      // the raw output's loudness for a standard input
	float input_level_dbu;  // the device's input level at the capture's 0 dBFS
	float output_level_dbu; // its output level at the capture's 0 dBFS
} ModelLevels;

// What a setting asked for that the model's file could not give (the gain then stays raw).
enum {
	LEVELS_MISSING_LOUDNESS = 1,     // Normalized without a loudness
	LEVELS_MISSING_OUTPUT_LEVEL = 2, // Calibrated without output_level_dbu
	LEVELS_MISSING_INPUT_LEVEL = 4,  // input calibration without input_level_dbu
};

// The input and output gains in dB for settings s. Returns the LEVELS_MISSING_* bits.
int model_levels_gains(const ModelLevels *l, const LevelSettings *s, float *in_db, float *out_db);

// Settings as the plugin's controls give them: any float, NaN included, maps to a valid one.
LevelSettings level_settings_from_controls(float output_mode, float calibrate_input,
                                           float interface_dbu);

#ifdef __cplusplus
}
#endif

#endif
