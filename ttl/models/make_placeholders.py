#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# PLACEHOLDER bundle models until lstm-train's are ready: seeded random LSTMs (not trained on
# anything) written in the project's format, each with a self-test pair computed here in
# float64 numpy (an implementation independent of the C engine, PyTorch's nn.LSTM equations).
# Run: /usr/bin/python3 ttl/models/make_placeholders.py (from the repository root).
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def run(layer, dense, skip, x):
    """x: [T][I] float64. Returns [T] outputs of one LSTM layer + dense head (+ skip)."""
    H = layer["hidden"]
    W = np.array(layer["W"]).reshape(4 * H, -1)
    U = np.array(layer["U"]).reshape(4 * H, H)
    b = np.array(layer["b_ih"]) + np.array(layer["b_hh"])
    h = np.zeros(H)
    c = np.zeros(H)
    hw = np.array(dense["W"]).reshape(1, H)
    hb = np.array(dense["b"])
    ys = []
    for t in range(x.shape[0]):
        z = W @ x[t] + U @ h + b
        i, f, g, o = sigmoid(z[:H]), sigmoid(z[H:2 * H]), np.tanh(z[2 * H:3 * H]), sigmoid(z[3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        ys.append(float((hw @ h + hb)[0]) + sum(x[t][:skip]))
    return np.array(ys)


def f32(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def make(name, seed, hidden, inputs, skip, scale, head, controls, description):
    rng = np.random.default_rng(seed)
    H, I = hidden, inputs
    layer = {
        "type": "lstm", "inputs": I, "hidden": H,
        "W": f32(rng.normal(0, scale, (4 * H, I))),
        "U": f32(rng.normal(0, 0.4 / np.sqrt(H), (4 * H, H))),
        "b_ih": f32(rng.normal(0, 0.1, 4 * H)),
        "b_hh": f32(np.concatenate([np.zeros(H), np.ones(H), np.zeros(2 * H)])),
    }
    dense = {"inputs": H, "outputs": 1, "activation": "linear",
             "W": f32(rng.normal(0, head / np.sqrt(H), (1, H))), "b": [0.0]}
    T = 256
    t = np.arange(T)
    x = np.zeros((T, I), dtype=np.float32)
    x[:, 0] = (0.6 * np.sin(2 * np.pi * 220 * t / 48000) + 0.1 * rng.normal(0, 1, T)).astype(np.float32)
    for k in range(1, I):
        x[:, k] = controls[k - 1]["default"]
    y = run(layer, dense, skip, x.astype(np.float64))
    doc = {
        "format": "lstm-lv2", "version": 1, "sample_rate": 48000,
        "architecture": {"inputs": I, "skip": skip},
        "layers": [layer], "dense": [dense],
        "metadata": {"name": name, "author": "lstm-lv2 placeholder", "license": "ISC",
                     "description": description + " PLACEHOLDER: random weights, not trained; "
                     "to be replaced by lstm-train output."},
        "selftest": {"input": f32(x), "output": f32(y), "tolerance": 1e-4},
    }
    if controls:
        doc["controls"] = controls
    with open(os.path.join(HERE, name + ".lstm.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


make("clean", 101, 8, 1, 1, 0.5, 0.3, [], "Light colouring over the dry signal.")
make("crunch", 202, 12, 1, 0, 2.0, 1.2, [], "Saturating, no dry path.")
make("drive", 303, 16, 2, 1, 1.5, 0.8,
     [{"name": "Drive", "min": 0.0, "max": 1.0, "default": 0.5}],
     "Saturation with a conditioning knob.")
