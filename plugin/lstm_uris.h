// SPDX-License-Identifier: ISC
// The plugin's URIs and port indices, shared by the plugin and its tests. The URIs are stable:
// sessions and presets saved by hosts refer to them.
#ifndef LSTM_URIS_H
#define LSTM_URIS_H

#define LSTM_PREFIX "https://github.com/lstm-lv2/lstm-lv2#"
#define LSTM_URI LSTM_PREFIX "lstm"
// The model file: a patch:writable property of type atom:Path.
#define LSTM__model LSTM_PREFIX "model"
// The loaded model's names for knob 1..3 ("(unused)" past its inputs): patch:readable
// atom:String properties the plugin sends with the model after a patch:Get.
#define LSTM__knob1Name LSTM_PREFIX "knob1Name"
#define LSTM__knob2Name LSTM_PREFIX "knob2Name"
#define LSTM__knob3Name LSTM_PREFIX "knob3Name"
// What plays, for a host or UI to show, sent with the knob names after a patch:Get: the
// model's name (its metadata's, else the file name without extension; atom:String), the
// held-out ESR its trainer reported (atom:Float, -1 when it reported none) and its own latency
// in samples at its rate (atom:Float; the latency port adds the rate path's).
#define LSTM__modelName LSTM_PREFIX "modelName"
#define LSTM__modelEsr LSTM_PREFIX "modelEsr"
#define LSTM__modelLatency LSTM_PREFIX "modelLatency"

typedef enum {
	LSTM_PORT_IN = 0,
	LSTM_PORT_OUT = 1,
	LSTM_PORT_CONTROL = 2, // atom:Sequence of patch messages, connectionOptional
	LSTM_PORT_NOTIFY = 3,  // atom:Sequence, connectionOptional
	LSTM_PORT_IN_GAIN = 4, // dB
	LSTM_PORT_OUT_GAIN = 5,
	LSTM_PORT_MIX = 6,     // 0 dry .. 1 wet
	LSTM_PORT_ENABLED = 7, // lv2:enabled designation: 0 bypassed (crossfaded)
	LSTM_PORT_KNOB1 = 8,   // conditioning knobs: 0 min, 0.5 the model's default, 1 max
	LSTM_PORT_KNOB2 = 9,
	LSTM_PORT_KNOB3 = 10,
	LSTM_PORT_RATE_MODE = 11, // how a model of another rate plays: 0 auto, 1 resample, 2 correct
	LSTM_PORT_LATENCY = 12, // output, lv2:reportsLatency: the model's own + the rate path's frames
	LSTM_PORT_OUTPUT_MODE = 13,     // 0 auto, 1 raw, 2 normalized, 3 calibrated (model_levels.h)
	LSTM_PORT_CALIBRATE_INPUT = 14, // toggle: the input + interface level - the capture's
	LSTM_PORT_INTERFACE_DBU = 15,   // the interface's level at 0 dBFS, dBu
	LSTM_NUM_PORTS = 16,
} LstmPort;

#endif
