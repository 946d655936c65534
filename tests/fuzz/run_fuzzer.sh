#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs a libFuzzer binary for a bounded time over a copy of its committed seed corpus, so the
# source tree is never written. Usage: run_fuzzer.sh FUZZER SECONDS SEED_DIR...
# FUZZ_DICT names the dictionary (default: json.dict next to this script).
set -eu
fuzzer=$1 seconds=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dict=$(dirname "$0")/${FUZZ_DICT:-json.dict}
"$fuzzer" -dict="$dict" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
	-print_final_stats=1 -artifact_prefix="$work/" "$work" "$@" 2>&1 |
	grep -E 'stat::number_of_executed_units|DONE|ERROR|SUMMARY|crash|leak' || true
# libFuzzer exits non-zero on a crash; the pipe above hides that, so look for an artifact.
if ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* >/dev/null 2>&1; then
	echo "run_fuzzer: $fuzzer found a failing input:"
	ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null
	for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
		[ -f "$f" ] && base64 "$f" | head -c 4000
	done
	exit 1
fi
