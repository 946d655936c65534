#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Benchmark (not a pass/fail test): lv2bench runs the plugin from the build tree with random
# models of hidden size 16, 32 and 64 (each in a throw-away copy of the bundle where it is the
# default model), 10 s of audio at 48 kHz in 512-frame blocks, median of 5 runs. Prints the
# real-time factor (audio seconds per processing second) of the plugin and of the bare engine
# on the same model, and their ratio (the plugin's overhead).
# Usage: plugin_lv2bench.sh <bundle-dir> <default-model-name> <plugin_bench_model>
set -euo pipefail
bundle=$1 default_model=$2 helper=$3
uri='https://github.com/lstm-lv2/lstm-lv2#lstm'
command -v lv2bench >/dev/null || { echo "lv2bench is not installed (lilv-utils)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
audio_seconds=10
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-8s %14s %14s %8s\n' hidden 'plugin RTF' 'engine RTF' 'ratio'
for h in 16 32 64; do
	b=$tmp/h$h/lstm.lv2
	mkdir -p "$b"
	for f in "$bundle"/*.ttl "$bundle"/lstm.so; do ln -s "$f" "$b/"; done
	for f in "$bundle"/*.json; do
		[ "$(basename "$f")" = "$default_model" ] || ln -s "$f" "$b/"
	done
	"$helper" write "$b/$default_model" "$h"
	plugin=$(for r in 1 2 3 4 5; do
		LV2_PATH=$tmp/h$h lv2bench -b 512 -n $((48000 * audio_seconds)) "$uri" 2>/dev/null |
			awk -v u="$uri" '$2 == u {print $1}'
	done | median)
	engine=$("$helper" engine "$b/$default_model")
	awk -v h="$h" -v p="$plugin" -v e="$engine" -v s="$audio_seconds" \
		'BEGIN { printf "%-8s %14.1f %14.1f %8.3f\n", h, s / p, s / e, e / p }'
done
