# SPDX-License-Identifier: ISC
# Writes torch_reference.json for test_train_torch.c: PyTorch's loss and every gradient of one
# training step, and the loss over 10 Adam steps of truncated BPTT (state carried, detached),
# for a small LSTM and GRU with a linear head and skip, with lstm-train's loss (0.75 ESR of
# 1 - 0.85 z^-1 pre-emphasised signals + 0.25 DC, eps 1e-5) and Adam (lr 5e-3).
# Seeded; run with Debian's python3-torch: /usr/bin/python3 gen_torch_reference.py
import json
import os
import re
import sys

import torch

# The loss, shared with the other PyTorch script (tools/train/train_loss.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'tools', 'train'))
from train_loss import loss_fn  # noqa: E402

torch.manual_seed(2024)
T, B, H, STEPS = 32, 3, 8, 10


def flat(ts):
    return [float(v) for t in ts for v in t.detach().reshape(-1).tolist()]


def case(cell):
    rec = (torch.nn.LSTM if cell == 'lstm' else torch.nn.GRU)(1, H)
    head = torch.nn.Linear(H, 1)
    params = [rec.weight_ih_l0, rec.weight_hh_l0, rec.bias_ih_l0, rec.bias_hh_l0,
              head.weight, head.bias]
    init = flat(params)
    n = T * STEPS
    i = torch.arange(n, dtype=torch.float32).view(n, 1, 1)
    phase = torch.rand(1, B, 1) * 6.28
    x = 0.6 * torch.sin(0.07 * i * (1 + torch.arange(B).view(1, B, 1)) + phase) \
        + 0.1 * torch.randn(n, B, 1)
    t = torch.tanh(2.5 * x) * 0.5 + 0.05

    def run(xc, state):
        h, state = rec(xc, state)
        return head(h) + xc, state

    # One step from zero state: loss and gradients.
    y, _ = run(x[:T], None)
    loss = loss_fn(y, t[:T])
    loss.backward()
    grads = flat([p.grad for p in params])
    for p in params:
        p.grad = None
    # Ten Adam steps over consecutive chunks, state carried and detached.
    opt = torch.optim.Adam(params, lr=5e-3)
    state, losses = None, []
    for s in range(STEPS):
        opt.zero_grad()
        y, state = run(x[s * T:(s + 1) * T], state)
        l = loss_fn(y, t[s * T:(s + 1) * T])
        l.backward()
        opt.step()
        state = tuple(v.detach() for v in state) if cell == 'lstm' else state.detach()
        losses.append(float(l))
    return {'cell': cell, 'T': T, 'B': B, 'H': H, 'steps': STEPS, 'params': init,
            'x': flat([x]), 't': flat([t]), 'loss': float(loss), 'grads': grads,
            'losses': losses, 'final_params': flat(params)}


doc = {'generator': 'gen_torch_reference.py, torch ' + torch.__version__, 'seed': 2024,
       'cases': [case('lstm'), case('gru')]}
text = json.dumps(doc, separators=(',', ':'))
# 9 significant digits read every float32 back exactly and keep the file small.
text = re.sub(r'-?\d+\.\d+(e-?\d+)?', lambda m: '%.9g' % float(m.group(0)), text)
with open('torch_reference.json', 'w') as f:
    f.write(text + '\n')
