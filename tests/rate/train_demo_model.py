#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Trains the realistic test model for tests/rate/: an LSTM-16 with a residual skip, at 48 kHz,
on the project's demo capture pair (data/demo: 10 s of DI guitar and the same through
GxTubeScreamer), with PyTorch, seeded, for a fixed number of epochs. Writes
tests/rate/data/model_ts9_lstm16_48k.json in the project's format, with a PyTorch float64
`selftest`. lstm-train was not on main when this was written; this stands in for it: the point
is a network whose internal time constants are those of a real pedal, so that the rate tests
measure what a user would hear.

    /usr/bin/python3 tests/rate/train_demo_model.py      (needs sox, python3-torch; ~minutes)
"""

import json
import os
import subprocess
import sys

import numpy as np
import torch

SEED = 20261122
HIDDEN = 16
CHUNK = 2048       # frames per training sequence
WARMUP = 256       # frames of each sequence that only settle the state
EPOCHS = 50
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "data", "model_ts9_lstm16_48k.json")


def read_flac(path):
    raw = subprocess.run(["sox", path, "-t", "f32", "-c", "1", "-"], check=True,
                         capture_output=True).stdout
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(1, HIDDEN, batch_first=True)
        self.head = torch.nn.Linear(HIDDEN, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h) + x


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(1)
    x = read_flac(os.path.join(ROOT, "data", "demo", "demo_dry.flac"))
    y = read_flac(os.path.join(ROOT, "data", "demo", "demo_wet.flac"))
    n = (len(x) // CHUNK) * CHUNK
    xb = torch.from_numpy(x[:n].reshape(-1, CHUNK, 1).copy())
    yb = torch.from_numpy(y[:n].reshape(-1, CHUNK, 1).copy())
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=8e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)
    for epoch in range(EPOCHS):
        perm = torch.randperm(xb.shape[0])
        total = 0.0
        for k in range(0, len(perm), 16):
            idx = perm[k:k + 16]
            p = net(xb[idx])[:, WARMUP:]
            t = yb[idx][:, WARMUP:]
            loss = ((p - t) ** 2).sum() / (t ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(idx)
        sched.step()
        if epoch % 10 == 0 or epoch == EPOCHS - 1:
            print("epoch %3d  ESR %.4f" % (epoch, total / xb.shape[0]), flush=True)

    # Whole-file ESR in float64, and the selftest pair.
    net = net.double()
    with torch.no_grad():
        full = net(torch.from_numpy(x.astype(np.float64)).reshape(1, -1, 1)).reshape(-1).numpy()
        esr = float(np.sum((full - y) ** 2) / np.sum(y.astype(np.float64) ** 2))
        st_in = x[48000:48256]
        st_out = net(torch.from_numpy(st_in.astype(np.float64)).reshape(1, -1, 1)).reshape(-1)
    print("whole-file ESR %.4f" % esr)

    def lst(t):
        return [float(v) for v in t.detach().float().reshape(-1).numpy()]
    lstm = net.lstm
    doc = {
        "format": "lstm-lv2", "version": 1, "sample_rate": 48000,
        "architecture": {"inputs": 1, "skip": 1},
        "layers": [{"type": "lstm", "inputs": 1, "hidden": HIDDEN,
                    "W": lst(lstm.weight_ih_l0), "U": lst(lstm.weight_hh_l0),
                    "b_ih": lst(lstm.bias_ih_l0), "b_hh": lst(lstm.bias_hh_l0)}],
        "dense": [{"inputs": HIDDEN, "outputs": 1, "activation": "linear",
                   "W": lst(net.head.weight), "b": lst(net.head.bias)}],
        "metadata": {"name": "TS9 demo LSTM-16 (rate tests)", "device": "GxTubeScreamer",
                     "description": "tests/rate/train_demo_model.py on data/demo, seed %d, "
                                    "%d epochs" % (SEED, EPOCHS),
                     "training": {"esr_train": esr, "epochs": EPOCHS,
                                  "seconds_of_audio": len(x) / 48000.0}},
        "selftest": {"input": [float(v) for v in st_in], "output": [float(v) for v in st_out],
                     "tolerance": 1e-5},
    }
    # Weights rounded to float32 above; the selftest must be the float32 network's output.
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(p.float().double())
        st_out = net(torch.from_numpy(st_in.astype(np.float64)).reshape(1, -1, 1)).reshape(-1)
    doc["selftest"]["output"] = [float(v) for v in st_out]
    tmp = OUT + ".tmp"
    with open(tmp, "w") as fp:
        json.dump(doc, fp)
        fp.write("\n")
    os.replace(tmp, OUT)
    print("wrote", OUT)


if __name__ == "__main__":
    sys.exit(main())
