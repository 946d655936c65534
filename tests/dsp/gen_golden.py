#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Writes the golden model files in tests/dsp/data/ for test_golden.c.

Each file is a model in the project's format (docs/model-format.md) whose `selftest` holds a
seeded guitar-like input and the output an independent implementation computes for it:

- LSTM and GRU stacks: PyTorch's nn.LSTM / nn.GRU (Debian's python3-torch), run in float64
  on the float32 weights cast to double, so the reference is the true output of the float32
  model, not one more float32 approximation of it.
- The peephole LSTM (PyTorch has none) and stacks that mix cell types: a float64 numpy
  implementation, which this script first checks against PyTorch on LSTM and GRU cells.

Every file is then read back with the json module and run again through the numpy forward
pass from its own contents, so the layout written (PyTorch's gate order, row-major shapes) is
checked end to end; and the float32 PyTorch run is compared with the float64 one to show the
size of float32 error the engine should expect.

Numbers: weights and inputs are float32 values written with the shortest text that reads back
to the same float32 (at most 9 significant digits); the expected outputs are float64 values
written with 9 significant digits.

Run with Debian's interpreter (it has python3-torch), from anywhere:
    /usr/bin/python3 tests/dsp/gen_golden.py
The output is deterministic: same torch and numpy, same files.
"""

import json
import math
import os
import sys

import numpy as np
import torch

SEED = 20261122
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
SELFTEST_TOLERANCE = 1e-5  # what a loader's model_selftest_run() accepts; the test is stricter


# ---------------------------------------------------------------------------------------------
# Configurations. Keys: name, cells (one per layer: lstm, gru, lstm_peephole), hidden, inputs,
# skip, frames, and optionally dense ([(width, activation), ...] before the head), state (nonzero
# h0/c0), scale (weight scale over PyTorch's default init), forget_bias, sample_rate, controls.
# ---------------------------------------------------------------------------------------------
def configs():
    c = []

    def add(name, cells, hidden, inputs=1, skip=1, frames=1000, **kw):
        c.append(dict(name=name, cells=cells, hidden=hidden, inputs=inputs, skip=skip,
                      frames=frames, **kw))

    L, G, P = "lstm", "gru", "lstm_peephole"
    # LSTM: every hidden size, 1 to 3 layers, inputs 1 and 3, skip on and off.
    add("lstm_h1_l1_i1_s0", [L], 1, skip=0)
    add("lstm_h3_l1_i1_s1", [L], 3)
    add("lstm_h8_l1_i1_s1", [L], 8, scale=2.0, forget_bias=1.0)
    add("lstm_h8_l2_i3_s0", [L, L], 8, inputs=3, skip=0, controls=True)
    add("lstm_h3_l3_i3_s1", [L, L, L], 3, inputs=3)
    add("lstm_h32_l1_i1_s1", [L], 32, scale=1.5)
    add("lstm_h32_l3_i1_s0", [L, L, L], 32, skip=0, scale=3.0)
    add("lstm_h64_l2_i1_s1", [L, L], 64, sample_rate=44100)
    add("lstm_h8_l2_i1_s1_state", [L, L], 8, state=True)
    add("lstm_h8_l1_i1_s1_dense_tanh", [L], 8, dense=[(8, "tanh")])
    add("lstm_h3_l1_i3_s2", [L], 3, inputs=3, skip=2)
    # GRU: the same axes.
    add("gru_h1_l1_i1_s0", [G], 1, skip=0)
    add("gru_h3_l1_i1_s1", [G], 3)
    add("gru_h8_l1_i1_s1", [G], 8, scale=2.0)
    add("gru_h8_l2_i3_s1", [G, G], 8, inputs=3, controls=True)
    add("gru_h3_l3_i1_s0", [G, G, G], 3, skip=0)
    add("gru_h32_l1_i1_s1", [G], 32)
    add("gru_h32_l2_i3_s0", [G, G], 32, inputs=3, skip=0, scale=2.5)
    add("gru_h64_l1_i1_s1", [G], 64)
    add("gru_h8_l2_i1_s1_state", [G, G], 8, state=True)
    add("gru_h8_l1_i1_s0_dense_tanh", [G], 8, skip=0, scale=2.0, dense=[(16, "tanh")])
    # Peephole LSTM, float64 numpy.
    add("peep_h1_l1_i1_s0", [P], 1, skip=0, scale=2.0)
    add("peep_h8_l1_i1_s1", [P], 8, scale=1.5)
    add("peep_h8_l2_i3_s0_state", [P, P], 8, inputs=3, skip=0, state=True)
    add("peep_h32_l1_i1_s1", [P], 32)
    # Mixed stacks and the other dense activations.
    add("mixed_h8_l3_i1_s1", [L, G, P], 8, dense=[(8, "relu"), (4, "sigmoid")])
    return c


# ---------------------------------------------------------------------------------------------
# The seeded input: plucked notes with harmonics and a decaying envelope, a little noise, peaks
# near 1, then conditioning channels (a step sequence and a ramp, both in 0..1).
# ---------------------------------------------------------------------------------------------
def make_input(rng, frames, inputs, rate):
    t = np.arange(frames) / rate
    x = np.zeros(frames)
    start = 0
    while start < frames:
        length = int(rng.integers(frames // 6, frames // 3))
        f0 = float(rng.uniform(110.0, 1320.0))
        amp = float(rng.uniform(0.2, 1.0))
        tt = t[start:start + length] - t[start]
        env = (1.0 - np.exp(-tt * 3000.0)) * np.exp(-tt * rng.uniform(20.0, 120.0))
        note = sum((0.6 ** h) * np.sin(2 * np.pi * f0 * (h + 1) * tt + rng.uniform(0, 2 * np.pi))
                   for h in range(5))
        x[start:start + length] += amp * env * note
        start += length
    x += 0.003 * rng.standard_normal(frames)
    x *= 0.97 / max(np.max(np.abs(x)), 1e-9) * float(rng.uniform(0.7, 1.0))
    chans = [x]
    if inputs >= 2:
        steps = np.repeat(rng.uniform(0.0, 1.0, frames // 250 + 1), 250)[:frames]
        chans.append(steps)
    if inputs >= 3:
        chans.append(np.linspace(0.0, 1.0, frames))
    # Round to 6 decimals so the text is short; the float32 of that text is the input.
    data = np.stack(chans, axis=1).round(6).astype(np.float32)
    return data  # [frames][inputs]


# ---------------------------------------------------------------------------------------------
# Weights, drawn by PyTorch's own initialisers so they look like a freshly built module.
# ---------------------------------------------------------------------------------------------
def gates(cell):
    return 3 if cell == "gru" else 4


def make_weights(cfg):
    layers = []
    width = cfg["inputs"]
    H = cfg["hidden"]
    scale = cfg.get("scale", 1.0)
    for cell in cfg["cells"]:
        if cell == "gru":
            mod = torch.nn.GRU(width, H)
        else:
            mod = torch.nn.LSTM(width, H)
        with torch.no_grad():
            lay = {
                "type": cell, "inputs": width, "hidden": H,
                "W": (mod.weight_ih_l0 * scale).numpy().astype(np.float32),
                "U": (mod.weight_hh_l0 * scale).numpy().astype(np.float32),
                "b_ih": (mod.bias_ih_l0 * scale).numpy().astype(np.float32),
                "b_hh": (mod.bias_hh_l0 * scale).numpy().astype(np.float32),
            }
        if cell != "gru" and "forget_bias" in cfg:
            lay["b_ih"][H:2 * H] += np.float32(cfg["forget_bias"])
        if cell == "lstm_peephole":
            k = 1.0 / math.sqrt(H)
            lay["peephole"] = (torch.empty(3, H).uniform_(-k, k) * scale).numpy().astype(np.float32)
        if cfg.get("state"):
            lay["h0"] = torch.empty(H).uniform_(-0.8, 0.8).numpy().astype(np.float32)
            if cell != "gru":
                lay["c0"] = torch.empty(H).uniform_(-1.5, 1.5).numpy().astype(np.float32)
        layers.append(lay)
        width = H
    dense = []
    for out, act in cfg.get("dense", []) + [(1, "linear")]:
        lin = torch.nn.Linear(width, out)
        with torch.no_grad():
            dense.append({"inputs": width, "outputs": out, "activation": act,
                          "W": lin.weight.numpy().astype(np.float32).copy(),
                          "b": lin.bias.numpy().astype(np.float32).copy()})
        width = out
    return layers, dense


# ---------------------------------------------------------------------------------------------
# float64 numpy forward pass straight from the format's arrays (PyTorch layouts).
# ---------------------------------------------------------------------------------------------
def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def act_fn(name):
    return {"linear": lambda v: v, "tanh": np.tanh, "sigmoid": sigmoid,
            "relu": lambda v: np.maximum(v, 0.0)}[name]


def numpy_layer(lay, xs):
    """xs [T][I] float64 -> hs [T][H] float64, from the layer's initial state."""
    H = lay["hidden"]
    W = np.asarray(lay["W"], np.float64).reshape(-1, lay["inputs"])
    U = np.asarray(lay["U"], np.float64).reshape(-1, H)
    bi = np.asarray(lay["b_ih"], np.float64)
    bh = np.asarray(lay["b_hh"], np.float64)
    h = np.asarray(lay.get("h0", np.zeros(H)), np.float64).copy()
    c = np.asarray(lay.get("c0", np.zeros(H)), np.float64).copy()
    p = np.asarray(lay["peephole"], np.float64).reshape(3, H) if "peephole" in lay else None
    out = np.empty((xs.shape[0], H))
    for t, x in enumerate(xs):
        gx = W @ x + bi
        gh = U @ h + bh
        if lay["type"] == "gru":
            r = sigmoid(gx[:H] + gh[:H])
            z = sigmoid(gx[H:2 * H] + gh[H:2 * H])
            n = np.tanh(gx[2 * H:] + r * gh[2 * H:])
            h = (1.0 - z) * n + z * h
        else:
            g = gx + gh
            pi = p[0] * c if p is not None else 0.0
            pf = p[1] * c if p is not None else 0.0
            i = sigmoid(g[:H] + pi)
            f = sigmoid(g[H:2 * H] + pf)
            c = f * c + i * np.tanh(g[2 * H:3 * H])
            po = p[2] * c if p is not None else 0.0
            o = sigmoid(g[3 * H:] + po)
            h = o * np.tanh(c)
        out[t] = h
    return out


def numpy_forward(layers, dense, skip, xin):
    x = np.asarray(xin, np.float64)
    hs = x
    for lay in layers:
        hs = numpy_layer(lay, hs)
    for d in dense:
        W = np.asarray(d["W"], np.float64).reshape(d["outputs"], d["inputs"])
        hs = act_fn(d["activation"])(hs @ W.T + np.asarray(d["b"], np.float64))
    return hs[:, 0] + x[:, :skip].sum(axis=1)


# ---------------------------------------------------------------------------------------------
# PyTorch forward pass, layer by layer (each layer its own one-layer module, so stacks that
# mix cell types work too), in the given dtype.
# ---------------------------------------------------------------------------------------------
_ACT_TORCH = {"linear": torch.nn.Identity, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
              "relu": torch.nn.ReLU}


def torch_forward(layers, dense, skip, xin, dtype):
    x = torch.tensor(np.asarray(xin, np.float64), dtype=dtype)[:, None, :]  # [T][1][I]
    hs = x
    with torch.no_grad():
        for lay in layers:
            H = lay["hidden"]
            cls = torch.nn.GRU if lay["type"] == "gru" else torch.nn.LSTM
            mod = cls(lay["inputs"], H).to(dtype)
            mod.weight_ih_l0.copy_(torch.tensor(lay["W"].astype(np.float64)))
            mod.weight_hh_l0.copy_(torch.tensor(lay["U"].astype(np.float64)))
            mod.bias_ih_l0.copy_(torch.tensor(lay["b_ih"].astype(np.float64)))
            mod.bias_hh_l0.copy_(torch.tensor(lay["b_hh"].astype(np.float64)))
            h0 = torch.tensor(lay.get("h0", np.zeros(H, np.float32)).astype(np.float64),
                              dtype=dtype).reshape(1, 1, H)
            if lay["type"] == "gru":
                hs, _ = mod(hs, h0)
            else:
                c0 = torch.tensor(lay.get("c0", np.zeros(H, np.float32)).astype(np.float64),
                                  dtype=dtype).reshape(1, 1, H)
                hs, _ = mod(hs, (h0, c0))
        seq = []
        for d in dense:
            lin = torch.nn.Linear(d["inputs"], d["outputs"]).to(dtype)
            lin.weight.copy_(torch.tensor(d["W"].astype(np.float64)))
            lin.bias.copy_(torch.tensor(d["b"].astype(np.float64)))
            seq += [lin, _ACT_TORCH[d["activation"]]()]
        y = torch.nn.Sequential(*seq)(hs)[:, 0, 0]
        y = y + x[:, 0, :skip].sum(dim=1)
    return y.numpy().astype(np.float64)


# ---------------------------------------------------------------------------------------------
# Writing: a small JSON emitter so each number keeps the text chosen for it.
# ---------------------------------------------------------------------------------------------
def f32_text(v):
    """Shortest text that reads back (strtod, then cast to float) to this float32."""
    s = np.format_float_positional(np.float32(v), unique=True, trim="-")
    sci = np.format_float_scientific(np.float32(v), unique=True, trim="-")
    s = sci if len(sci) < len(s) else s
    assert np.float32(float(s)) == np.float32(v), (v, s)
    return s


def f64_text(v):
    return "%.9g" % v


class Raw(str):
    pass


def f32_array(a):
    return Raw("[" + ",".join(f32_text(v) for v in np.asarray(a).ravel()) + "]")


def emit(obj, indent=0):
    pad = "  " * (indent + 1)
    if isinstance(obj, Raw):
        return str(obj)
    if isinstance(obj, dict):
        items = [pad + json.dumps(k) + ": " + emit(v, indent + 1) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(obj, list):
        return ("[\n" + ",\n".join(pad + emit(v, indent + 1) for v in obj) + "\n"
                + "  " * indent + "]")
    return json.dumps(obj)


def model_doc(cfg, layers, dense, xin, y):
    doc = {
        "format": "lstm-lv2",
        "version": 1,
        "sample_rate": cfg.get("sample_rate", 48000),
        "architecture": {"inputs": cfg["inputs"], "skip": cfg["skip"]},
        "layers": [],
        "dense": [],
    }
    for lay in layers:
        out = {"type": lay["type"], "inputs": lay["inputs"], "hidden": lay["hidden"]}
        for key in ("W", "U", "b_ih", "b_hh", "peephole", "h0", "c0"):
            if key in lay:
                out[key] = f32_array(lay[key])
        doc["layers"].append(out)
    for d in dense:
        doc["dense"].append({"inputs": d["inputs"], "outputs": d["outputs"],
                             "activation": d["activation"], "W": f32_array(d["W"]),
                             "b": f32_array(d["b"])})
    if cfg.get("controls"):
        doc["controls"] = [{"name": "Gain", "min": 0, "max": 1, "default": 0.5},
                           {"name": "Tone", "min": 0, "max": 1, "default": 0.5}][:cfg["inputs"] - 1]
    doc["metadata"] = {
        "name": cfg["name"],
        "description": "golden reference written by tests/dsp/gen_golden.py (seed %d)" % SEED,
        "license": "ISC",
    }
    doc["selftest"] = {
        "input": f32_array(xin),
        "output": Raw("[" + ",".join(f64_text(v) for v in y) + "]"),
        "tolerance": SELFTEST_TOLERANCE,
    }
    return emit(doc) + "\n"


def reload_layers(doc):
    """The arrays of a written file, as float32 numpy arrays, in the generator's dict shape."""
    layers = []
    for lay in doc["layers"]:
        d = dict(lay)
        for key in ("W", "U", "b_ih", "b_hh", "peephole", "h0", "c0"):
            if key in d:
                d[key] = np.array(d[key], np.float64).astype(np.float32)
        layers.append(d)
    dense = []
    for dl in doc["dense"]:
        d = dict(dl)
        d["W"] = np.array(d["W"], np.float64).astype(np.float32)
        d["b"] = np.array(d["b"], np.float64).astype(np.float32)
        dense.append(d)
    return layers, dense


def check_numpy_matches_torch():
    """The numpy cells (which also compute the peephole variant) against PyTorch's."""
    rng = np.random.default_rng(1)
    for cell in ("lstm", "gru"):
        cfg = dict(name="check", cells=[cell, cell], hidden=5, inputs=2, skip=1, state=True)
        layers, dense = make_weights(cfg)
        x = rng.uniform(-1, 1, (200, 2)).astype(np.float32)
        a = numpy_forward(layers, dense, 1, x)
        b = torch_forward(layers, dense, 1, x, torch.float64)
        err = np.max(np.abs(a - b))
        assert err < 1e-12, "numpy %s differs from torch by %g" % (cell, err)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    check_numpy_matches_torch()
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    os.makedirs(DATA_DIR, exist_ok=True)
    total = 0
    for cfg in configs():
        layers, dense = make_weights(cfg)
        rate = cfg.get("sample_rate", 48000)
        xin = make_input(rng, cfg["frames"], cfg["inputs"], rate)
        if all(lay["type"] != "lstm_peephole" for lay in layers):
            y = torch_forward(layers, dense, cfg["skip"], xin, torch.float64)
            ref = "torch"
        else:
            y = numpy_forward(layers, dense, cfg["skip"], xin)
            ref = "numpy"
        text = model_doc(cfg, layers, dense, xin, y)

        # Read the text back and recompute from it alone: the file is self-consistent.
        doc = json.loads(text)
        rl, rd = reload_layers(doc)
        rx = np.array(doc["selftest"]["input"], np.float64).astype(np.float32)
        assert np.array_equal(rx.reshape(xin.shape), xin)
        yy = numpy_forward(rl, rd, doc["architecture"]["skip"], rx.reshape(xin.shape))
        ry = np.array(doc["selftest"]["output"], np.float64)
        err_file = np.max(np.abs(yy - ry))
        assert err_file < 1e-8, "%s: file does not reproduce (%g)" % (cfg["name"], err_file)

        # How far float32 arithmetic lands from the float64 reference (PyTorch cells only:
        # it has no peephole).
        f32 = "-"
        if all(lay["type"] != "lstm_peephole" for lay in layers):
            e = np.max(np.abs(torch_forward(layers, dense, cfg["skip"], xin, torch.float32) - y))
            assert e < 1e-5, "%s: float32 torch differs by %g" % (cfg["name"], e)
            f32 = "%.2e" % e

        path = os.path.join(DATA_DIR, cfg["name"] + ".json")
        tmp = path + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
        total += len(text)
        print("%-32s %-5s frames %4d  |y| max %.3f  float32 torch err %s  %6.1f kB"
              % (cfg["name"], ref, cfg["frames"], np.max(np.abs(y)), f32, len(text) / 1e3))
    print("total %.1f kB" % (total / 1e3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
