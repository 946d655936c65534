#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Writes the sample-rate references in tests/rate/data/ for test_rate_esr.c.

- model_lstm16_48k.json: a seeded random LSTM-16 (one input, no skip, linear head) in the
  project's format, at 48 kHz. It is not a trained model: its weights are scaled so that the
  gates saturate on a guitar-level signal (input weights about 3x PyTorch's default, forget bias
  +3 for a memory of some tens of samples), which is what makes a rate mismatch audible. Its
  `selftest` holds 256 frames run by PyTorch in float64, so the loader checks it on reading.
- signal.txt: the test signal as a list of partials (frequency, amplitude, phase) and an
  envelope. Every partial is below 4 kHz, so the signal is band-limited at every rate from
  22.05 kHz up, and sampling the formula at any rate *is* its ideal resampling. test_rate_esr.c
  evaluates the same formula in double precision at the host rate.
- expected_<rate>.f32: float32 little-endian, RATE * DURATION frames: the signal sampled at
  48 kHz, run through the model by PyTorch's nn.LSTM in float64 from the zero state, then
  brought to the host rate by scipy.signal.resample_poly (float64, Kaiser-windowed polyphase
  FIR, zero phase): an implementation independent of libspeexdsp. Frame k is at time k / RATE.
- expected_ts9_<rate>.f32: the same for model_ts9_lstm16_48k.json (a real pedal's network,
  trained by train_demo_model.py, residual), with the signal scaled by TS9_GAIN to the level of
  the DI guitar it was trained on, at 44.1, 88.2 and 96 kHz.

Run with Debian's interpreter (python3-torch, python3-scipy):
    /usr/bin/python3 tests/rate/gen_reference.py
Deterministic: same numpy, torch and scipy, same files.
"""

import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy.signal
import torch

SEED = 20261122
MODEL_RATE = 48000
HIDDEN = 16
DURATION = 0.25                 # seconds compared at each host rate
TAIL = 0.02                     # extra seconds rendered so resample_poly's edge is outside
HOST_RATES = [22050, 44100, 88200, 96000, 192000]
TS9_RATES = [44100, 88200, 96000]
TS9_GAIN = 0.3                  # the test signal peaks near 0.7; the DI guitar near 0.2
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def f32(a):
    return np.asarray(a, dtype=np.float32)


def make_model(rng):
    H = HIDDEN
    k = 1.0 / math.sqrt(H)
    w_ih = f32(rng.uniform(-3.0, 3.0, (4 * H, 1)))
    w_hh = f32(rng.uniform(-1.5 * k, 1.5 * k, (4 * H, H)))
    b_ih = rng.uniform(-0.3, 0.3, 4 * H)
    b_ih[H:2 * H] += 3.0  # forget gate: long memory
    b_ih = f32(b_ih)
    b_hh = f32(rng.uniform(-0.1, 0.1, 4 * H))
    d_w = f32(rng.uniform(-0.6, 0.6, (1, H)))
    d_b = f32(rng.uniform(-0.05, 0.05, 1))
    return w_ih, w_hh, b_ih, b_hh, d_w, d_b


def params_from_file(path):
    """(w_ih, w_hh, b_ih, b_hh, d_w, d_b, skip) of a one-layer LSTM file in the project's format."""
    with open(path) as fp:
        doc = json.load(fp)
    L, D = doc["layers"][0], doc["dense"][0]
    H = L["hidden"]
    assert L["type"] == "lstm" and len(doc["layers"]) == 1 and len(doc["dense"]) == 1
    return (f32(L["W"]).reshape(4 * H, 1), f32(L["U"]).reshape(4 * H, H), f32(L["b_ih"]),
            f32(L["b_hh"]), f32(D["W"]).reshape(1, H), f32(D["b"]),
            doc["architecture"]["skip"])


def run_model(params, x, skip=0):
    """PyTorch nn.LSTM in float64 on the float32 weights, zero initial state."""
    w_ih, w_hh, b_ih, b_hh, d_w, d_b = params[:6]
    H = w_hh.shape[1]
    lstm = torch.nn.LSTM(1, H, batch_first=True).double()
    lin = torch.nn.Linear(H, 1).double()
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(w_ih.astype(np.float64)))
        lstm.weight_hh_l0.copy_(torch.from_numpy(w_hh.astype(np.float64)))
        lstm.bias_ih_l0.copy_(torch.from_numpy(b_ih.astype(np.float64)))
        lstm.bias_hh_l0.copy_(torch.from_numpy(b_hh.astype(np.float64)))
        lin.weight.copy_(torch.from_numpy(d_w.astype(np.float64)))
        lin.bias.copy_(torch.from_numpy(d_b.astype(np.float64)))
        xt = torch.from_numpy(np.asarray(x, np.float64)).reshape(1, -1, 1)
        h, _ = lstm(xt)
        return (lin(h) + skip * xt).reshape(-1).numpy()


def make_signal(rng):
    """Two plucked notes: partials of 110 Hz and 164.8 Hz up to 4 kHz, amplitude ~1/k."""
    partials = []
    for f0, level in ((110.0, 0.35), (164.81, 0.25)):
        k = 1
        while k * f0 < 4000.0:
            amp = level / k * rng.uniform(0.5, 1.0)
            partials.append((k * f0 * (1 + 1e-4 * k * k), amp, rng.uniform(0, 2 * math.pi)))
            k += 1
    # Silence for `start` s, a raised-cosine attack over `attack` s, exponential decay.
    env = dict(start=0.01, attack=0.004, decay=0.4)
    return partials, env


def signal_at(partials, env, rate, frames):
    t = np.arange(frames, dtype=np.float64) / rate
    x = np.zeros(frames)
    for f, a, ph in partials:
        x += a * np.sin(2 * math.pi * f * t + ph)
    u = np.clip((t - env["start"]) / env["attack"], 0.0, 1.0)
    e = 0.5 - 0.5 * np.cos(math.pi * u)
    e *= np.exp(-np.maximum(t - env["start"], 0.0) / env["decay"])
    return x * e


def model_json(params, selftest_in, selftest_out):
    w_ih, w_hh, b_ih, b_hh, d_w, d_b = params

    def lst(a):
        return [float(v) for v in np.asarray(a, np.float32).reshape(-1)]
    return {
        "format": "lstm-lv2", "version": 1, "sample_rate": MODEL_RATE,
        "architecture": {"inputs": 1, "skip": 0},
        "layers": [{"type": "lstm", "inputs": 1, "hidden": HIDDEN, "W": lst(w_ih),
                    "U": lst(w_hh), "b_ih": lst(b_ih), "b_hh": lst(b_hh)}],
        "dense": [{"inputs": HIDDEN, "outputs": 1, "activation": "linear", "W": lst(d_w),
                   "b": lst(d_b)}],
        "metadata": {"name": "rate test LSTM-16 (seeded random, not trained)",
                     "description": "tests/rate/gen_reference.py, seed %d" % SEED},
        "selftest": {"input": lst(selftest_in), "output": [float(v) for v in selftest_out],
                     "tolerance": 1e-5},
    }


def main():
    rng = np.random.default_rng(SEED)
    torch.manual_seed(SEED)
    os.makedirs(DATA_DIR, exist_ok=True)
    params = make_model(rng)
    partials, env = make_signal(rng)

    st_in = f32(signal_at(partials, env, MODEL_RATE, 1024)[768:])
    st_out = run_model(params, st_in)
    with open(os.path.join(DATA_DIR, "model_lstm16_48k.json"), "w") as fp:
        json.dump(model_json(params, st_in, st_out), fp)
        fp.write("\n")

    with open(os.path.join(DATA_DIR, "signal.txt"), "w") as fp:
        fp.write("# start attack decay (s), then one partial a line: frequency (Hz) amplitude "
                 "phase (rad)\n")
        fp.write("%.17g %.17g %.17g\n" % (env["start"], env["attack"], env["decay"]))
        for f, a, ph in partials:
            fp.write("%.17g %.17g %.17g\n" % (f, a, ph))

    n48 = int(round((DURATION + TAIL) * MODEL_RATE))
    # The network sees float32 input, as the engine does.
    x48 = f32(signal_at(partials, env, MODEL_RATE, n48)).astype(np.float64)
    y48 = run_model(params, x48)
    write_expected(y48, HOST_RATES, "expected_%d.f32")

    ts9 = params_from_file(os.path.join(DATA_DIR, "model_ts9_lstm16_48k.json"))
    x48 = f32(TS9_GAIN * signal_at(partials, env, MODEL_RATE, n48)).astype(np.float64)
    write_expected(run_model(ts9, x48, ts9[6]), TS9_RATES, "expected_ts9_%d.f32")


def write_expected(y48, rates, pattern):
    for rate in rates:
        q = Fraction(rate, MODEL_RATE)
        y = scipy.signal.resample_poly(y48, q.numerator, q.denominator)
        frames = int(round(DURATION * rate))
        f32(y[:frames]).astype("<f4").tofile(os.path.join(DATA_DIR, pattern % rate))
        print("%-22s %d frames, rms %.4f" % (pattern % rate, frames,
                                             float(np.sqrt(np.mean(y ** 2)))))


if __name__ == "__main__":
    main()
