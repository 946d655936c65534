#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# lv2bench (lilv-utils) runs the plugin in the build tree (it skips plugins that require a
# feature it lacks, so this also shows every feature is optional) and prints a time.
# Usage: test_lv2bench.sh <lv2-path>
set -euo pipefail
. "$(dirname "$0")/host_test.sh"
skip_if_sanitized
need_commands "" lv2bench
out=$(LV2_PATH=$1 lv2bench -b 512 -n 48000 "$uri" 2>&1)
echo "$out"
secs=$(awk -v u="$uri" '$2 == u {print $1}' <<<"$out")
[ -n "$secs" ] || { echo "FAIL: lv2bench did not run the plugin"; exit 1; }
awk -v s="$secs" 'BEGIN { exit !(s > 0) }' || { echo "FAIL: time $secs"; exit 1; }
echo "lv2bench ran the plugin: $secs s for 1 s of audio"
