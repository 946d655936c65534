# SPDX-License-Identifier: ISC
# lstm-train's loss (train_loss.c) in PyTorch, the one copy for tests/train/gen_torch_reference.py
# and bench/train_torch.py: 0.75 ESR of the 1 - a z^-1 pre-emphasised signals + 0.25 DC, each
# over the target's energy + eps.
import torch


def loss_fn(y, t, a=0.85, eps=1e-5):
    yp = y[1:] - a * y[:-1]
    tp = t[1:] - a * t[:-1]
    esr = torch.mean((yp - tp) ** 2) / (torch.mean(tp ** 2) + eps)
    dc = torch.mean((torch.mean(y, 0) - torch.mean(t, 0)) ** 2) / (torch.mean(t ** 2) + eps)
    return 0.75 * esr + 0.25 * dc
