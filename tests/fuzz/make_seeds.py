#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Writes small valid models in the project's format as seeds for the model-loader fuzzer
# (standard library only, seeded). Run from this folder: python3 make_seeds.py
import json
import random

rng = random.Random(7)


def floats(n):
    return [round(rng.uniform(-0.8, 0.8), 6) for _ in range(n)]


def layer(cell, inputs, hidden, extras=False):
    g = 3 if cell == "gru" else 4
    d = {"type": cell, "inputs": inputs, "hidden": hidden,
         "W": floats(g * hidden * inputs), "U": floats(g * hidden * hidden),
         "b_ih": floats(g * hidden), "b_hh": floats(g * hidden)}
    if cell == "lstm_peephole":
        d["peephole"] = floats(3 * hidden)
    if extras:
        d["h0"] = floats(hidden)
        if cell != "gru":
            d["c0"] = floats(hidden)
    return d


def dense(inputs, outputs, act):
    return {"inputs": inputs, "outputs": outputs, "activation": act,
            "W": floats(inputs * outputs), "b": floats(outputs)}


def model(inputs, layers, denses, skip, **extra):
    d = {"format": "lstm-lv2", "version": 1, "sample_rate": 48000,
         "architecture": {"inputs": inputs, "skip": skip}, "layers": layers, "dense": denses}
    d.update(extra)
    return d


seeds = {
    "lstm_h2.json": model(1, [layer("lstm", 1, 2)], [dense(2, 1, "linear")], 1),
    "gru_2x3.json": model(1, [layer("gru", 1, 3), layer("gru", 3, 3, True)],
                          [dense(3, 1, "linear")], 0),
    "peephole_knobs.json": model(
        3, [layer("lstm_peephole", 3, 4, True)], [dense(4, 2, "tanh"), dense(2, 1, "linear")], 1,
        controls=[{"name": "Gain", "min": 0, "max": 1, "default": 0.5},
                  {"name": "Tone", "min": -1, "max": 1, "default": 0}],
        levels={"input_gain_db": -6, "output_gain_db": 3},
        metadata={"name": "seed", "training": {"esr_test": 0.01}}),
}
for name, doc in seeds.items():
    with open("corpus/model/" + name, "w") as f:
        json.dump(doc, f)
