#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Makes the capture pairs the bundled models are trained on: a dry guitar take played through
# Debian's guitarix LV2 effects with lv2apply, the same way ../shared/data was made.
# Usage: make_captures.sh DRY.wav OUT_DIR
# Needs: lilv-utils, sox, guitarix-lv2. Writes OUT_DIR/<name>.wav (32-bit float, 48 kHz mono,
# the dry take's length); the dry take is copied as OUT_DIR/dry.wav. lstm-train measures and
# compensates any plugin latency itself, so none is removed here.
set -euo pipefail
dry=$1 out=$2
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sox "$dry" -e floating-point -b 32 "$out/dry.wav"
# One second of silence first, so that plugin start-up transients are cut away afterwards.
sox "$out/dry.wav" "$work/padded.wav" pad 1 0

capture() {
	local name=$1 uri=$2
	shift 2
	local controls=()
	while [ $# -ge 2 ]; do controls+=(-c "$1" "$2"); shift 2; done
	lv2apply -i "$work/padded.wav" -o "$work/raw.wav" "${controls[@]}" "$uri" 2>/dev/null
	sox "$work/raw.wav" "$out/$name.wav" trim 48000s
	echo "made $out/$name.wav"
}

ds1=http://guitarix.sourceforge.net/plugins/gx_bossds1_#_bossds1_
# Boss DS-1 at three drive settings: one conditioned model with a Drive knob learns all three.
for drive in 0 0.5 1; do
	capture "ds1_drive$drive" "$ds1" DRIVE "$drive" TONE 0.5 LEVEL -6 BYPASS 1
done
capture fuzzface http://guitarix.sourceforge.net/plugins/gx_fuzzface_#_fuzzface_ FUZZ 0.6 LEVEL 0.3
capture jcm800pre http://guitarix.sourceforge.net/plugins/gx_jcm800pre_#_jcm800pre_ \
	GAIN 0 WET_DRY 100
