#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Linear baseline for the capture panel: a 64-tap least-squares FIR with a DC term, fitted in
float64 from TRAIN_DRY to TRAIN_WET, then scored on a test pair (plain ESR, as lstm-esr prints it).

usage: linear_baseline.py TRAIN_DRY TRAIN_WET [TEST_DRY TEST_WET] [--taps 64] [--pre 8]
  The taps cover the lags L-PRE .. L-PRE+TAPS-1, L being the cross-correlation peak of the
  training pair (searched over -400..+400 samples), so a device delay up to a few hundred
  samples, a target ahead of its input, and an inverted polarity are all inside the fit.
Prints lines: lag L, corr C (normalised, signed), esr_train E, esr_test E (when a test pair is
given). Deterministic: no random numbers. Needs sox and Debian's python3-numpy.
"""
import subprocess, sys
import numpy as np

def read(path):
    raw = subprocess.run(['sox', path, '-t', 'f32', '-c', '1', '-'], check=True,
                         capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.float32).astype(np.float64)

def xcorr_lag(x, y, maxlag=400):
    n = min(len(x), len(y))
    x, y = x[:n] - np.mean(x[:n]), y[:n] - np.mean(y[:n])  # a DC offset must not steer the peak
    m = 1 << int(np.ceil(np.log2(2 * n)))
    c = np.fft.irfft(np.fft.rfft(y, m) * np.conj(np.fft.rfft(x, m)), m)
    c = np.concatenate([c[-maxlag:], c[:maxlag + 1]])  # lags -maxlag..+maxlag
    k = int(np.argmax(np.abs(c)))
    den = np.sqrt(np.dot(x, x) * np.dot(y, y)) or 1.0
    return k - maxlag, c[k] / den

def design(x, lags, lo, hi):
    """Rows lo..hi-1 of [x[n-l] for l in lags] + [1]; samples outside x are zero."""
    cols = np.empty((hi - lo, len(lags) + 1))
    for j, l in enumerate(lags):
        a, b = lo - l, hi - l
        col = np.zeros(hi - lo)
        s, e = max(a, 0), min(b, len(x))
        if e > s:
            col[s - a:e - a] = x[s:e]
        cols[:, j] = col
    cols[:, -1] = 1.0
    return cols

def fit(x, y, lags, chunk=1 << 17):
    n = min(len(x), len(y))
    k = len(lags) + 1
    A = np.zeros((k, k)); b = np.zeros(k)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        X = design(x, lags, lo, hi)
        A += X.T @ X; b += X.T @ y[lo:hi]
    A += np.eye(k) * 1e-10 * (np.trace(A) / k + 1e-30)  # tiny ridge for silent or degenerate input
    return np.linalg.solve(A, b)

def esr(x, y, lags, w, chunk=1 << 17):
    n = min(len(x), len(y))
    num = 0.0
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        e = design(x, lags, lo, hi) @ w - y[lo:hi]
        num += np.dot(e, e)
    return num / max(np.dot(y[:n], y[:n]), 1e-30)

def baseline(train_dry, train_wet, test_dry=None, test_wet=None, taps=64, pre=8):
    x, y = read(train_dry), read(train_wet)
    lag, corr = xcorr_lag(x, y)
    lags = list(range(lag - pre, lag - pre + taps))
    w = fit(x, y, lags)
    out = {'lag': lag, 'corr': corr, 'esr_train': esr(x, y, lags, w)}
    if test_dry:
        out['esr_test'] = esr(read(test_dry), read(test_wet), lags, w)
    return out

def main():
    args = sys.argv[1:]
    taps, pre = 64, 8
    if '--taps' in args:
        i = args.index('--taps'); taps = int(args[i + 1]); del args[i:i + 2]
    if '--pre' in args:
        i = args.index('--pre'); pre = int(args[i + 1]); del args[i:i + 2]
    if len(args) not in (2, 4):
        sys.exit(__doc__)
    r = baseline(*args, taps=taps, pre=pre)
    print(f"lag {r['lag']}\ncorr {r['corr']:.4f}\nesr_train {r['esr_train']:.6g}")
    if 'esr_test' in r:
        print(f"esr_test {r['esr_test']:.6g}")

if __name__ == '__main__':
    main()
