#!/bin/sh
# SPDX-License-Identifier: ISC
# Training throughput, lstm-train's engine against PyTorch on the same recipe and the same kind
# of synthetic data, both with 2 threads, for LSTM hidden 16, 32 and 64: audio-seconds trained
# per wall-second (median of the epochs; PyTorch's first epoch is dropped as warm-up).
#   bench/train_throughput.sh [BUILD_DIR] [EPOCHS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
epochs=${2:-3}
echo "== lstm-train engine (bench/train_throughput.c), 2 threads"
"$build/bench/train_throughput" 2 "$epochs" 16 32 64
echo "(the PyTorch runs take one more epoch, of 25 s of audio each, and drop the first)"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads"
	for h in 16 32 64; do
		/usr/bin/python3 "$here/train_torch.py" --synthetic 25 --epochs $((epochs + 1)) \
			--hidden $h --threads 2 | /usr/bin/python3 -c '
import json, statistics, sys
recs = [json.loads(l) for l in sys.stdin if l.strip()]
r = [x["audio_per_second"] for x in recs][1:]
print("lstm hidden %3s: %7.2f audio-s per wall-s (last loss %.4f after %d epochs)"
      % (sys.argv[1], statistics.median(r), recs[-1]["train_loss"], len(recs)))' $h
	done
fi
