#!/bin/sh
# SPDX-License-Identifier: ISC
# Quality benchmark: LSTM-32 on the GxTubeScreamer capture in ../shared/data with the last 15%
# held out; prints the held-out ESR reached after 2, 5 and 10 minutes of lstm-train, then the
# same for the same recipe in PyTorch (bench/train_torch.py) when Debian's python3-torch is
# there, and both curves side by side per epoch. The two runs go one after the other so each
# has both cores. NO_TORCH=1 skips PyTorch.
#   bench/train_quality.sh [BUILD_DIR] [MINUTES] [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
minutes=${2:-10}
out=${3:-$(mktemp -d)}
data=${DATA:-$here/../../shared/data}
if [ ! -f "$data/dev_input.wav" ]; then
	echo "no capture data at $data (set DATA=...)"; exit 0
fi
mkdir -p "$out"
echo "lstm-train: $build/tools/lstm-train, ${minutes} min, logs in $out"
"$build/tools/lstm-train" -i "$data/dev_input.wav" -t "$data/dev_target_gxts9.wav" \
	--valid-split 0.15 -H 32 -j 2 --time "${minutes}m" --log "$out/lstm-train.jsonl" \
	-o "$out/model.json" --force -q --plot "$out/training.png" > "$out/lstm-train.txt" 2>&1 || true
cat "$out/lstm-train.txt"
report() { # $1 log, $2 name
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for m in (2, 5, 10):
    # an epoch that ends a few seconds past the budget still counts as the budget's result
    ok = [r['valid_esr'] for r in recs if r['seconds'] <= m * 60 + 10 and 'valid_esr' in r]
    best = min(ok) if ok else float('nan')
    print(f"{sys.argv[2]:10s} held-out ESR after {m:2d} min: {best:.5f}"
          f"  ({len(ok)} epochs)")
PY
}
report "$out/lstm-train.jsonl" lstm-train
if [ -z "${NO_TORCH:-}" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
	sox "$data/dev_input.wav" -t f32 "$out/in.f32"
	sox "$data/dev_target_gxts9.wav" -t f32 "$out/tg.f32"
	echo "pytorch: same recipe, ${minutes} min, 2 threads"
	/usr/bin/python3 "$here/train_torch.py" --input "$out/in.f32" --target "$out/tg.f32" \
		--valid-split 0.15 --hidden 32 --threads 2 --time $((minutes * 60)) > "$out/torch.jsonl"
	report "$out/torch.jsonl" pytorch
	/usr/bin/python3 - "$out/lstm-train.jsonl" "$out/torch.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
print("held-out ESR after equal epochs (epoch: lstm-train / pytorch)")
for i in range(min(len(a), len(b))):
    print(f"  {i + 1:3d}: {a[i]['valid_esr']:.5f} / {b[i]['valid_esr']:.5f}")
PY
fi
