#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# lv2apply (lilv-utils, a host that offers no features at all) renders a float WAV through the
# plugin in the build tree: the output has the input's length and is finite and not silent; at
# mix 0 it is the input bit for bit; with lstm-apply built, it equals lstm-apply --fast's
# render of the default model bit for bit.
# Usage: test_lv2apply.sh <lv2-path> <bundle-dir> <default-model> <wav_cmp> [lstm-apply]
set -euo pipefail
. "$(dirname "$0")/host_test.sh"
skip_if_sanitized
lv2_path=$1 bundle=$2 model=$3 wav_cmp=$4 lstm_apply=${5:-}
need_commands "" lv2apply sox
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LV2_PATH=$lv2_path

# 1.5 s at 48 kHz: a decaying chord with some noise, as 32-bit float.
sox -n -r 48000 -c 1 -b 32 -e floating-point "$tmp/in.wav" synth 1.5 pluck 110 pluck 165 \
	pluck 220 whitenoise vol 0.1 remix - fade 0 1.5 0.2 vol 0.8 2>/dev/null

lv2apply -i "$tmp/in.wav" -o "$tmp/out.wav" "$uri"
[ "$(soxi -s "$tmp/out.wav")" = "$(soxi -s "$tmp/in.wav")" ] ||
	{ echo "FAIL: length differs"; exit 1; }
stats=$(sox "$tmp/out.wav" -n stat 2>&1)
rms=$(awk '/RMS +amplitude/ {print $3}' <<<"$stats")
echo "lv2apply render: RMS $rms"
awk -v r="$rms" 'BEGIN { exit !(r > 0.001 && r < 10) }' || { echo "FAIL: RMS $rms"; exit 1; }
"$wav_cmp" --finite "$tmp/out.wav"

# Mix 0: exactly the dry input.
lv2apply -i "$tmp/in.wav" -o "$tmp/dry.wav" -c mix 0 "$uri"
"$wav_cmp" "$tmp/in.wav" "$tmp/dry.wav"

# Bypassed from the start (a plugin starts at its controls' values, unsmoothed): the input.
lv2apply -i "$tmp/in.wav" -o "$tmp/byp.wav" -c enabled 0 -c out_gain -6 "$uri"
"$wav_cmp" "$tmp/in.wav" "$tmp/byp.wav"

if [ -n "$lstm_apply" ]; then
	"$lstm_apply" -q --fast -m "$bundle/$model" -i "$tmp/in.wav" -o "$tmp/ref.wav"
	"$wav_cmp" "$tmp/ref.wav" "$tmp/out.wav"
	echo "lv2apply output equals lstm-apply --fast bit for bit"
else
	echo "lstm-apply not built here:" \
		"the bit-for-bit comparison runs against the engine in test_plugin"
fi
