#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# jalv (a live JACK host, console mode) on a JACK dummy backend runs the plugin from the build
# tree with its worker, lists the three presets, applies the Drive preset (its model loads
# through the worker while audio runs) and exits cleanly: no crash, no error from the plugin.
# Usage: test_jalv.sh <lv2-path>
set -euo pipefail
. "$(dirname "$0")/host_test.sh"
skip_if_sanitized
drive_preset='https://github.com/lstm-lv2/lstm-lv2#preset-drive'
need_commands "packages jalv, jackd2" jalv jackd
tmp=$(mktemp -d)
server=lstm-lv2-test-$$
export JACK_DEFAULT_SERVER=$server LV2_PATH=$1 HOME=$tmp
jackd --no-realtime -n "$server" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jack_pid=$!
trap 'kill $jack_pid 2>/dev/null; wait $jack_pid 2>/dev/null; rm -rf "$tmp"' EXIT
if command -v jack_wait >/dev/null; then
	jack_wait -w -t 10 >/dev/null
else
	sleep 2
fi
status=0
(sleep 1; printf 'presets\npreset %s\n' "$drive_preset"; sleep 2) |
	timeout 20 jalv -t -n lstm-test "$uri" >"$tmp/jalv.log" 2>&1 || status=$?
cat "$tmp/jalv.log"
[ "$status" -eq 0 ] || { echo "FAIL: jalv exited with status $status"; exit 1; }
for preset in Crunch Drive Fuzz; do
	grep -q "#preset-${preset,,} ($preset)" "$tmp/jalv.log" ||
		{ echo "FAIL: preset $preset not listed"; exit 1; }
done
grep -q '^knob3 = ' "$tmp/jalv.log" || { echo "FAIL: jalv did not show the controls"; exit 1; }
# Traces (jalv -t shows them) are routine, such as a model's own latency; anything else the
# plugin says on a clean preset load is a problem.
if grep -v '^trace: ' "$tmp/jalv.log" | grep -q 'lstm: '; then
	echo "FAIL: the plugin logged an error"
	exit 1
fi
echo "jalv ran the plugin and applied a preset"
