# SPDX-License-Identifier: ISC
# The lstm-train recipe in PyTorch, for the comparisons in bench/train_quality.sh and
# bench/train_throughput.sh: LSTM + linear head (+ dry input), 0.5 s segments in batches of
# 50 reshuffled each epoch, 1000 warm-up samples without gradient, truncated BPTT every 2048,
# Adam 5e-3 halved on a 5-epoch validation plateau, loss 0.75 ESR(1 - 0.85 z^-1) + 0.25 DC.
# Run with Debian's /usr/bin/python3 (python3-torch). Prints one JSON line per epoch.
#
#   train_torch.py --input in.f32 --target tg.f32 --valid-split 0.15 --time 600
#   train_torch.py --synthetic 50 --epochs 3 --hidden 32      (throughput on synthetic data)
#   train_torch.py --input in.f32 --target tg.f32 --time 180 \
#       --test-input ti.f32 --test-target tt.f32
#       (bench/train_panel.sh: a last JSON line with the plain ESR of the best-validation
#        weights on the test pair)
import copy
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

# The loss, shared with the other PyTorch script (tools/train/train_loss.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'tools', 'train'))
from train_loss import loss_fn  # noqa: E402


class Net(torch.nn.Module):
    def __init__(self, hidden, skip=True):
        super().__init__()
        self.rec = torch.nn.LSTM(1, hidden)
        self.head = torch.nn.Linear(hidden, 1)
        self.skip = skip
        with torch.no_grad():
            self.rec.bias_ih_l0[hidden:2 * hidden].fill_(1.0)
            self.rec.bias_hh_l0[hidden:2 * hidden].fill_(0.0)

    def forward(self, x, state=None):
        h, state = self.rec(x, state)
        y = self.head(h)
        return (y + x[..., :1] if self.skip else y), state


def validate(net, x, t, skip, chunk=48000):
    # Plain ESR over x[skip:]; the first skip samples are context only.
    with torch.no_grad():
        xs = torch.from_numpy(x).view(-1, 1, 1)
        state, ys = None, []
        for a in range(0, len(x), chunk):
            y, state = net(xs[a:a + chunk], state)
            ys.append(y.view(-1).numpy())
        d = (np.concatenate(ys) - t)[skip:].astype(np.float64)
        return float(np.sum(d ** 2) / np.sum(t[skip:].astype(np.float64) ** 2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--input')
    ap.add_argument('--target')
    ap.add_argument('--synthetic', type=float, default=0)
    ap.add_argument('--valid-split', type=float, default=0.15)
    ap.add_argument('--hidden', type=int, default=32)
    ap.add_argument('--epochs', type=int, default=0)
    ap.add_argument('--time', type=float, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--test-input')
    ap.add_argument('--test-target')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    if args.synthetic:
        n = int(args.synthetic * 48000)
        i = np.arange(n, dtype=np.float32)
        x = (0.3 * np.sin(0.01 * i) * np.sin(0.0003 * i)
             + 0.1 * (rng.random(n, dtype=np.float32) - 0.5)).astype(np.float32)
        t = np.zeros(n, np.float32)
        lp = 0.0
        th = np.tanh(4 * x)
        for k in range(n):
            lp += 0.2 * (th[k] - lp)
            t[k] = lp
        split = n
    else:
        x = np.fromfile(args.input, dtype=np.float32)
        t = np.fromfile(args.target, dtype=np.float32)
        split = int(len(x) * (1 - args.valid_split))
    seg, batch, warm, tbptt = 24000, 50, 1000, 2048
    starts = np.arange(0, split - seg + 1, seg)
    net = Net(args.hidden)
    opt = torch.optim.Adam(net.parameters(), lr=5e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=5)
    t0 = time.monotonic()
    epoch = 0
    best, best_state = float('inf'), None
    while True:
        e0 = time.monotonic()
        order = rng.permutation(len(starts))
        losses = []
        segments = 0
        stopped = False
        for b in range(0, len(order), batch):
            if args.time and time.monotonic() - t0 > args.time:
                stopped = True
                break
            idx = starts[order[b:b + batch]]
            segments += len(idx)
            xb = torch.from_numpy(np.stack([x[s:s + seg] for s in idx], 1)).unsqueeze(2)
            tb = torch.from_numpy(np.stack([t[s:s + seg] for s in idx], 1)).unsqueeze(2)
            with torch.no_grad():
                _, state = net(xb[:warm])
            for a in range(warm, seg, tbptt):
                opt.zero_grad()
                y, state = net(xb[a:a + tbptt], state)
                loss = loss_fn(y, tb[a:a + tbptt])
                loss.backward()
                opt.step()
                state = (state[0].detach(), state[1].detach())
                losses.append(loss.item())
        train_s = time.monotonic() - e0
        if not losses:
            break
        epoch += 1
        rec = {'epoch': epoch, 'train_loss': float(np.mean(losses)),
               'train_seconds': train_s,
               'audio_per_second': segments * seg / 48000 / train_s}
        if split < len(x):
            v = validate(net, x[split - warm:], t[split - warm:], warm)
            rec['valid_esr'] = v
            sched.step(v)
            if args.test_input and v < best:
                best, best_state = v, copy.deepcopy(net.state_dict())
        rec['seconds'] = time.monotonic() - t0
        print(json.dumps(rec), flush=True)
        if stopped or (args.epochs and epoch >= args.epochs):
            break
        if args.time and time.monotonic() - t0 > args.time:
            break
    if args.test_input:
        trained = time.monotonic() - t0  # the test pass below is not training time
        if best_state is not None:
            net.load_state_dict(best_state)
        xt = np.fromfile(args.test_input, dtype=np.float32)
        tt = np.fromfile(args.test_target, dtype=np.float32)
        n = min(len(xt), len(tt))
        print(json.dumps({'test_esr': validate(net, xt[:n], tt[:n], 0), 'epochs': epoch,
                          'seconds': trained}), flush=True)


if __name__ == '__main__':
    sys.exit(main())
