#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Writes calibrated_lstm.nam: a small seeded NAM LSTM (1 layer of 4, weights from numpy's
# default_rng(20261203)) whose metadata states NAM's level fields, for the plugin's output-mode
# and input-calibration test (tests/plugin/test_plugin_levels.c). The figures are chosen so
# that every formula gives a different gain: loudness -23.5 dB (Normalized: +5.5 dB),
# input_level_dbu 16.5 and output_level_dbu 9.25 (at the default 12 dBu interface: input
# -4.5 dB, output -2.75 dB). Run with Debian's /usr/bin/python3 (numpy); the output is committed.
import json
import os

import numpy as np

HIDDEN = 4
rng = np.random.default_rng(20261203)
# NAM's LSTM layout: per layer [4H x (in + H)] input and recurrent weights side by side, the
# 4H bias, the initial h and c; then the head's H weights and its bias.
weights = np.concatenate([
    0.5 * rng.standard_normal(4 * HIDDEN * (1 + HIDDEN)),
    0.1 * rng.standard_normal(4 * HIDDEN),
    np.zeros(2 * HIDDEN),
    0.6 * rng.standard_normal(HIDDEN),
    [0.0],
])
doc = {
    "version": "0.5.4",
    "architecture": "LSTM",
    "config": {"input_size": 1, "hidden_size": HIDDEN, "num_layers": 1},
    "metadata": {
        "name": "Calibrated test LSTM",
        "modeled_by": "lstm-lv2 tests",
        "gear_type": "amp",
        "tone_type": "crunch",
        "loudness": -23.5,
        "input_level_dbu": 16.5,
        "output_level_dbu": 9.25,
    },
    "weights": [round(float(w), 8) for w in weights],
    "sample_rate": 48000,
}
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "calibrated_lstm.nam"), "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
