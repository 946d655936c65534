#!/bin/sh
# SPDX-License-Identifier: ISC
# Panel benchmark: for each capture of the development panel (data/captures/make_panel.sh),
# trains lstm-train on the training take for MINUTES of wall time with every other setting at
# its default, scores the model on the separate test take with lstm-esr, and sets it against a
# 64-tap least-squares FIR (bench/linear_baseline.py) and, unless NO_TORCH=1, the same recipe
# in PyTorch (bench/train_torch.py, Debian's python3-torch) for the same wall time. Runs go one
# after the other so each has both cores. Prints a table and writes it as OUT/panel.tsv, with
# the logs per capture in OUT/<name>/.
#   bench/train_panel.sh [MINUTES] [CAPTURE...]
# Env: PANEL (default data/captures/panel), BUILD (default build), OUT (default mktemp -d),
# NO_TORCH=1. The full panel takes about (1 + 1) x MINUTES x captures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
minutes=${1:-3}
[ $# -gt 0 ] && shift
panel=${PANEL:-$here/../data/captures/panel}
build=${BUILD:-$here/../build}
out=${OUT:-$(mktemp -d)}
py=/usr/bin/python3
mkdir -p "$out"
if [ $# -eq 0 ]; then
	[ -f "$panel/panel.tsv" ] ||
		{ echo "no panel at $panel (run data/captures/make_panel.sh)"; exit 1; }
	set -- $(tail -n +2 "$panel/panel.tsv" | cut -f1)
fi
torch=1
if [ -n "${NO_TORCH:-}" ]; then torch=0
elif ! $py -c 'import torch' 2>/dev/null; then
	echo "python3-torch missing (apt-get install python3-torch): PyTorch column skipped"; torch=0
fi
echo "load at start: $(uptime)"
echo "lstm-train: $build/tools/lstm-train, $minutes min per capture; panel $panel; logs in $out"
tsv=$out/panel.tsv
tsvfmt='%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n'
printf "$tsvfmt" capture linear_esr lstm_esr lstm_epochs lstm_seconds \
	torch_esr torch_epochs torch_seconds > "$tsv"
fmt='%-18s %10s %10s %7s %8s %10s %7s %8s\n'
printf "$fmt" capture linear_ESR lstm_ESR epochs seconds torch_ESR epochs seconds
for name in "$@"; do
	d=$panel/$name o=$out/$name
	mkdir -p "$o"
	lin=$($py "$here/linear_baseline.py" "$d/train_dry.wav" "$d/train_wet.wav" \
		"$d/test_dry.wav" "$d/test_wet.wav" \
		2> "$o/linear.err" | tee "$o/linear.txt" | awk '$1 == "esr_test" { print $2 }') || true
	"$build/tools/lstm-train" -i "$d/train_dry.wav" -t "$d/train_wet.wav" -o "$o/model.json" \
		--force --time "${minutes}m" -q > "$o/lstm-train.txt" 2>&1 || true
	esr=- ep=- secs=-
	if [ -f "$o/model.json" ]; then
		# The test take is a second take through the same device and chain: aligned as the
		# training take was (the model's training.shift_samples), not by a fresh estimate, which
		# a device with two paths (a dry leak and a delayed wet) can put elsewhere.
		shift=$($py -c 'import json, sys
print(json.load(open(sys.argv[1]))["metadata"]["training"]["shift_samples"])' \
			"$o/model.json" 2>/dev/null) || shift=
		"$build/tools/lstm-esr" -m "$o/model.json" -i "$d/test_dry.wav" -t "$d/test_wet.wav" \
			${shift:+--shift "$shift"} > "$o/lstm-esr.txt" 2> "$o/lstm-esr.err" || true
		esr=$(awk '$1 == "esr" { print $2 }' "$o/lstm-esr.txt")
		$py -c 'import json, sys
t = json.load(open(sys.argv[1])).get("metadata", {}).get("training", {})
print(t.get("epochs", "-"), round(t["seconds"]) if "seconds" in t else "-")' \
			"$o/model.json" > "$o/meta.txt" || echo "- -" > "$o/meta.txt"
		read -r ep secs < "$o/meta.txt"
	fi
	tesr=- tep=- tsecs=-
	if [ $torch = 1 ]; then
		# the alignment lstm-esr applied to the test take ("shifted", the training shift), on both
		# takes
		sh=$(awk '$1 == "shifted" { print $2 }' "$o/lstm-esr.txt" 2>/dev/null); sh=${sh:-0}
		for p in train test; do
			n=$(soxi -s "$d/${p}_dry.wav")
			if [ "$sh" -gt 0 ]; then
				sox "$d/${p}_dry.wav" -t f32 "$o/${p}_in.f32" trim 0 "$((n - sh))s"
				sox "$d/${p}_wet.wav" -t f32 "$o/${p}_tg.f32" trim "${sh}s"
			elif [ "$sh" -lt 0 ]; then # the target moved later: the input loses its start
				sox "$d/${p}_dry.wav" -t f32 "$o/${p}_in.f32" trim "$((-sh))s"
				sox "$d/${p}_wet.wav" -t f32 "$o/${p}_tg.f32" trim 0 "$((n + sh))s"
			else
				sox "$d/${p}_dry.wav" -t f32 "$o/${p}_in.f32"
				sox "$d/${p}_wet.wav" -t f32 "$o/${p}_tg.f32"
			fi
		done
		$py "$here/train_torch.py" --input "$o/train_in.f32" --target "$o/train_tg.f32" \
			--valid-split 0.1 --threads 2 --time $((minutes * 60)) \
			--test-input "$o/test_in.f32" --test-target "$o/test_tg.f32" \
			> "$o/torch.jsonl" 2> "$o/torch.err" || true
		rm -f "$o"/*.f32
		$py -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
r = [x for x in r if "test_esr" in x]
print(*(["%.5g" % r[0]["test_esr"], r[0]["epochs"], round(r[0]["seconds"])] if r
        else ["-", "-", "-"]))' \
			"$o/torch.jsonl" > "$o/torch.txt" || echo "- - -" > "$o/torch.txt"
		read -r tesr tep tsecs < "$o/torch.txt"
	fi
	printf "$fmt" "$name" "${lin:--}" "${esr:--}" "$ep" "$secs" "$tesr" "$tep" "$tsecs"
	printf "$tsvfmt" "$name" "${lin:--}" "${esr:--}" "$ep" "$secs" "$tesr" "$tep" "$tsecs" >> "$tsv"
done
echo "load at end: $(uptime)"
echo "table: $tsv"
