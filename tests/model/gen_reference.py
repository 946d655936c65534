#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Reference outputs for the NAM and state_dict model files, computed by PyTorch.

Run with Debian's system interpreter and python3-torch (torch 1.13):

    /usr/bin/python3 tests/model/gen_reference.py [SHARED_MODELS_DIR]

SHARED_MODELS_DIR defaults to ../shared/models beside the source tree.

For each file this script reads the JSON itself, builds torch.nn.LSTM / nn.GRU and nn.Linear
from it with the layout the format's own writer uses (NAM: per layer [W_ih | W_hh], summed bias,
h0, c0, then the head; state_dict: PyTorch tensors by name, skip = input channels added to the
output), runs one seeded input from that initial state in float32, and writes the output with 9
significant digits (enough to read every float32 back exactly). The C test compares the
project's importer plus engine with these outputs (tolerance stated in test_import.c).

It also writes two small synthetic files with seeded random weights, to cover what the third-party
files do not: data/synth_gru_2x6_statedict.json (GRU, 2 layers, a knob input, skip 1) and
data/synth_lstm_2x5_keras.json (Keras layout: 2 LSTM layers, a knob input, in_skip 1,
Dense(4, tanh), head), each run with the knob held at KNOB.

Outputs (small, committed): data/ref_input.csv and data/ref_<model file stem>.csv.
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "models"))
FRAMES = 2048
SEED = 20240611

# (file, folder it is read from): the MIT-licensed NAM files are copied into data/, the
# GPL-3.0 state_dict file is only read from shared/.
MODELS = [
    ("nam_core_lstm_1x3.nam", DATA),
    ("BossLSTM-1x16.nam", DATA),
    ("BossLSTM-2x8.nam", DATA),
    ("wright_ht1_lstm32_statedict.json", SHARED),
]


def seeded_input():
    rng = np.random.RandomState(SEED)
    t = np.arange(FRAMES)
    # A swept sine under a rising envelope plus noise: quiet, near-linear input first, then
    # peaks up to about 1.2, so every model is driven into saturation too.
    env = np.linspace(0.02, 1.0, FRAMES)
    sweep = np.sin(2 * np.pi * (60.0 * t + 0.5 * 0.6 * t * t / FRAMES) / 48000.0 * 20)
    x = env * sweep + 0.1 * env * rng.standard_normal(FRAMES)
    return x.astype(np.float32)


def run_nam(doc, x):
    cfg = doc["config"]
    i_size, h, layers = cfg["input_size"], cfg["hidden_size"], cfg["num_layers"]
    w = np.asarray(doc["weights"], dtype=np.float32)
    lstm = torch.nn.LSTM(i_size, h, layers, batch_first=True)
    h0 = np.zeros((layers, 1, h), np.float32)
    c0 = np.zeros((layers, 1, h), np.float32)
    pos = 0
    for k in range(layers):
        n_in = i_size if k == 0 else h
        mat = w[pos:pos + 4 * h * (n_in + h)].reshape(4 * h, n_in + h)
        pos += 4 * h * (n_in + h)
        b = w[pos:pos + 4 * h]
        pos += 4 * h
        h0[k, 0] = w[pos:pos + h]
        pos += h
        c0[k, 0] = w[pos:pos + h]
        pos += h
        getattr(lstm, f"weight_ih_l{k}").data = torch.from_numpy(mat[:, :n_in].copy())
        getattr(lstm, f"weight_hh_l{k}").data = torch.from_numpy(mat[:, n_in:].copy())
        getattr(lstm, f"bias_ih_l{k}").data = torch.from_numpy(b.copy())
        getattr(lstm, f"bias_hh_l{k}").data = torch.zeros(4 * h)
    head_w = w[pos:pos + h]
    head_b = w[pos + h]
    assert pos + h + 1 == len(w), "weights length does not match the config"
    lin = torch.nn.Linear(h, 1)
    lin.weight.data = torch.from_numpy(head_w.reshape(1, h).copy())
    lin.bias.data = torch.tensor([head_b])
    inp = torch.from_numpy(x).reshape(1, -1, 1)
    with torch.no_grad():
        out, _ = lstm(inp, (torch.from_numpy(h0), torch.from_numpy(c0)))
        y = lin(out)
    return y.reshape(-1).numpy()


def run_statedict(doc, x):
    md, sd = doc["model_data"], doc["state_dict"]
    cls = torch.nn.LSTM if md["unit_type"].upper() == "LSTM" else torch.nn.GRU
    rec = cls(md["input_size"], md["hidden_size"], md.get("num_layers", 1), batch_first=True)
    lin = torch.nn.Linear(md["hidden_size"], md.get("output_size", 1))
    for name, tensor in sd.items():
        mod, param = name.split(".", 1)
        target = rec if mod == "rec" else lin
        getattr(target, param).data = torch.tensor(tensor, dtype=torch.float32)
    skip = md.get("skip", 1)
    inp = torch.from_numpy(x).reshape(1, -1, 1)
    with torch.no_grad():
        out, _ = rec(inp)
        y = lin(out) + inp[:, :, 0:skip].sum(dim=2, keepdim=True)
    return y.reshape(-1).numpy()


KNOB = 0.5


def synth_gru_statedict():
    rec = torch.nn.GRU(2, 6, 2, batch_first=True)
    lin = torch.nn.Linear(6, 1)
    sd = {"rec." + k: v.tolist() for k, v in rec.state_dict().items()}
    sd.update({"lin." + k: v.tolist() for k, v in lin.state_dict().items()})
    md = {"model": "SimpleRNN", "input_size": 2, "skip": 1, "output_size": 1,
          "unit_type": "GRU", "num_layers": 2, "hidden_size": 6, "bias_fl": True}
    return {"model_data": md, "state_dict": sd}


def synth_lstm_keras():
    """Two LSTM layers in the Keras layout, built from torch modules: the reference runs the
    torch modules, the file holds them transposed, with the biases summed."""
    l0 = torch.nn.LSTM(2, 5, batch_first=True)
    l1 = torch.nn.LSTM(5, 5, batch_first=True)
    d0 = torch.nn.Linear(5, 4)
    d1 = torch.nn.Linear(4, 1)

    def rec(layer):
        return {"type": "lstm", "activation": "tanh", "shape": [None, None, 5],
                "weights": [layer.weight_ih_l0.detach().numpy().T.tolist(),
                            layer.weight_hh_l0.detach().numpy().T.tolist(),
                            (layer.bias_ih_l0 + layer.bias_hh_l0).detach().numpy().tolist()]}

    def dense(layer, act):
        return {"type": "dense", "activation": act, "shape": [None, None, layer.out_features],
                "weights": [layer.weight.detach().numpy().T.tolist(),
                            layer.bias.detach().numpy().tolist()]}

    doc = {"in_shape": [None, None, 2], "in_skip": 1, "in_gain": 0.0, "out_gain": 0.0,
           "layers": [rec(l0), rec(l1), dense(d0, "tanh"), dense(d1, "")],
           "metadata": {"samplerate": "48000", "name": "synthetic"}}
    return doc, (l0, l1, d0, d1)


def run_synth_keras(mods, x):
    l0, l1, d0, d1 = mods
    inp = torch.from_numpy(np.stack([x, np.full_like(x, KNOB)], axis=1)).reshape(1, -1, 2)
    with torch.no_grad():
        h, _ = l0(inp)
        h, _ = l1(h)
        y = d1(torch.tanh(d0(h))) + inp[:, :, 0:1]
    return y.reshape(-1).numpy()


def run_synth_statedict(doc, x):
    md, sd = doc["model_data"], doc["state_dict"]
    rec = torch.nn.GRU(md["input_size"], md["hidden_size"], md["num_layers"], batch_first=True)
    lin = torch.nn.Linear(md["hidden_size"], 1)
    for name, tensor in sd.items():
        mod, param = name.split(".", 1)
        getattr(rec if mod == "rec" else lin, param).data = torch.tensor(
            tensor, dtype=torch.float32)
    inp = torch.from_numpy(np.stack([x, np.full_like(x, KNOB)], axis=1)).reshape(1, -1, 2)
    with torch.no_grad():
        out, _ = rec(inp)
        y = lin(out) + inp[:, :, 0:md["skip"]].sum(dim=2, keepdim=True)
    return y.reshape(-1).numpy()


def write_column(path, v):
    with open(path, "w") as f:
        for value in v:
            f.write("%.9g\n" % float(value))


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    x = seeded_input()
    write_column(os.path.join(DATA, "ref_input.csv"), x)
    shared = sys.argv[1] if len(sys.argv) > 1 else SHARED
    for name, folder in MODELS:
        path = os.path.join(shared if folder is SHARED else folder, name)
        if not os.path.exists(path):
            print(f"skipping {name}: {path} not found", file=sys.stderr)
            continue
        with open(path) as f:
            doc = json.load(f)
        y = run_nam(doc, x) if "architecture" in doc else run_statedict(doc, x)
        stem = os.path.splitext(name)[0]
        write_column(os.path.join(DATA, f"ref_{stem}.csv"), y)
        print(f"{name}: {len(y)} samples, peak {np.max(np.abs(y)):.4f}")

    doc = synth_gru_statedict()
    with open(os.path.join(DATA, "synth_gru_2x6_statedict.json"), "w") as f:
        json.dump(doc, f)
    write_column(os.path.join(DATA, "ref_synth_gru_2x6_statedict.csv"), run_synth_statedict(doc, x))
    doc, mods = synth_lstm_keras()
    with open(os.path.join(DATA, "synth_lstm_2x5_keras.json"), "w") as f:
        json.dump(doc, f)
    write_column(os.path.join(DATA, "ref_synth_lstm_2x5_keras.csv"), run_synth_keras(mods, x))
    print("synthetic GRU state_dict and LSTM Keras files written")


if __name__ == "__main__":
    main()
