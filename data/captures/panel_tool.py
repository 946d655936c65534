#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Sample-level helpers of make_panel.sh (Debian's python3-numpy and sox).

  panel_tool.py prep TRAIN_IN TEST_IN TRAIN_OUT TEST_OUT PEAK_DB TAIL
      Scales the training take so its peak is PEAK_DB dBFS and the test take by the same gain
      (the same interface level); with TAIL=1 the last 15% of the training take is then turned
      down to an RMS of -60 dBFS (the quiet tail). Prints the gain and the tail gain in dB.
  panel_tool.py qc OUT_DIR
      Reads OUT_DIR/panel.tsv and prints the QC table: levels, DC, lag and correlation,
      linear-fit ESR (bench/linear_baseline.py) on the training and the test take, and a verdict.
      Exits 1 if a capture is not sane (silent target or no plausible correlation).
"""
import os, subprocess, sys
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bench'))
import linear_baseline as lb  # noqa: E402

def write(path, x):
    subprocess.run(['sox', '-t', 'f32', '-r', '48000', '-c', '1', '-', '-b', '32', '-e',
                    'floating-point', path],
                   input=np.asarray(x, dtype=np.float32).tobytes(), check=True)

def db(v):
    return 20 * np.log10(max(float(v), 1e-12))

def prep(train_in, test_in, train_out, test_out, peak_db, tail):
    x, t = lb.read(train_in), lb.read(test_in)
    g = 10 ** (float(peak_db) / 20) / np.max(np.abs(x))
    x, t = x * g, t * g
    tg = 1.0
    if tail == '1':
        s = int(len(x) * 0.85)
        rms = np.sqrt(np.mean(x[s:] ** 2))
        tg = 10 ** (-60 / 20) / rms
        x[s:] *= tg
    write(train_out, x); write(test_out, t)
    print(f"gain_db {db(g):.2f} tail_gain_db {db(tg):.2f}")

def qc(out):
    rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(out, 'panel.tsv'))]
    head, rows = rows[0], rows[1:]
    print(f"{'name':18s} {'dry pk':>7s} {'dry rms':>7s} {'wet pk':>7s} {'wet rms':>7s} "
          f"{'wet DC':>8s} {'lag':>4s} {'corr':>6s} {'linESR tr':>9s} {'linESR te':>9s} "
          f"{'tail rms':>8s}  ok")
    bad = 0
    for r in rows:
        name = r[0]; d = os.path.join(out, name)
        x, y = lb.read(f'{d}/train_dry.wav'), lb.read(f'{d}/train_wet.wav')
        b = lb.baseline(f'{d}/train_dry.wav', f'{d}/train_wet.wav',
                        f'{d}/test_dry.wav', f'{d}/test_wet.wav')
        s = int(len(x) * 0.85)
        wet_rms = db(np.sqrt(np.mean((y - y.mean()) ** 2)))
        ok = (wet_rms > -60 and abs(b['corr']) > 0.1 and b['esr_test'] < 0.99
              and np.max(np.abs(y)) < 1.0)
        bad += not ok
        print(f"{name:18s} {db(np.max(np.abs(x))):7.1f} {db(np.sqrt(np.mean(x * x))):7.1f} "
              f"{db(np.max(np.abs(y))):7.1f} {wet_rms:7.1f} {y.mean():+8.4f} {b['lag']:4d} "
              f"{b['corr']:+6.2f} {b['esr_train']:9.4f} {b['esr_test']:9.4f} "
              f"{db(np.sqrt(np.mean(x[s:] ** 2))):8.1f}  {'yes' if ok else 'NO'}")
    sys.exit(1 if bad else 0)

if __name__ == '__main__':
    if len(sys.argv) == 8 and sys.argv[1] == 'prep':
        prep(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == 'qc':
        qc(sys.argv[2])
    else:
        sys.exit(__doc__)
