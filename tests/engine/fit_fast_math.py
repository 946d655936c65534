#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Fits the polynomial coefficients used by dsp/fast_math.h: exp(r) on [-ln2/2, ln2/2] and the
# odd tanh polynomial on [0, 0.625]. Deterministic (no randomness); float64 numpy only. Run with
# Debian's /usr/bin/python3; prints C constants. Lawson's iteratively reweighted least squares
# turns the least-squares fit into a near-minimax one.
import numpy as np


def lawson(basis, target, weight, iters=200):
    w = np.ones_like(target) / len(target)
    for _ in range(iters):
        a = basis * np.sqrt(w)[:, None]
        b = target * np.sqrt(w)
        c, *_ = np.linalg.lstsq(a, b, rcond=None)
        err = np.abs((basis @ c - target) * weight)
        w = w * err
        w /= w.sum()
    return c, np.max(np.abs((basis @ c - target) * weight))


def fit_exp(deg):
    # exp(r) = 1 + r + r^2 * (c2 + c3 r + ... ), relative error
    h = np.log(2.0) / 2
    r = np.cos(np.linspace(0, np.pi, 4001)) * h
    basis = np.stack([r ** k for k in range(2, deg + 1)], axis=1)
    target = np.exp(r) - 1 - r
    c, e = lawson(basis, target, 1 / np.exp(r))
    return c, e


def fit_tanh(nterms, xmax):
    # tanh(x) = x + x^3 * (c0 + c1 x^2 + ...), relative error
    x = (np.cos(np.linspace(0, np.pi / 2, 4001)) * xmax)[:-1]
    x = np.concatenate([x, [1e-4]])
    basis = np.stack([x ** (3 + 2 * k) for k in range(nterms)], axis=1)
    target = np.tanh(x) - x
    c, e = lawson(basis, target, 1 / np.tanh(x))
    return c, e


for deg in (5, 6):
    c, e = fit_exp(deg)
    print(f"// exp degree {deg}: max rel err {e:.3g}")
    for k, v in enumerate(c):
        print(f"#define FAST_EXP_C{k + 2} {np.float32(v)!r}f")
for n in (3, 4, 5):
    c, e = fit_tanh(n, 0.625)
    print(f"// tanh odd terms {n}: max rel err {e:.3g}")
    for k, v in enumerate(c):
        print(f"#define FAST_TANH_P{k} {np.float32(v)!r}f")
