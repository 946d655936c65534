#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Fits the polynomial coefficients used by dsp/fast_math.h: exp(r) on [-ln2/2, ln2/2] (tanh is
# built on the same exponential), and prints the same polynomial in base 2 (2^f = exp(f ln2), the
# coefficients times ln2^k) for the AVX-512 code. Deterministic (no randomness); float64 numpy
# only. Run with Debian's /usr/bin/python3; prints C constants. Lawson's iteratively reweighted
# least squares turns the least-squares fit into a near-minimax one.
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


for deg in (5, 6):
    c, e = fit_exp(deg)
    print(f"// exp degree {deg}: max rel err {e:.3g}")
    for k, v in enumerate(c):
        print(f"#define FAST_EXP_C{k + 2} {np.float32(v)!r}f")
    for k, v in enumerate(c):
        print(f"#define FAST_EXP2_C{k + 2} {np.float32(np.float32(v) * np.log(2.0) ** (k + 2))!r}f")
