#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Ardour 7 headless (ardour7-lua, "None (Dummy)" backend) creates a session with a mono track,
# adds the plugin from the build tree by URI, loads its Drive preset, sets its mix, saves and
# reopens the session. Then: the plugin was instantiated, the saved session holds its URI, the
# mix value and the plugin's own state naming the preset's model (drive.lstm.json), and after
# reopening the plugin is back with the same mix and loaded its model without error.
# Usage: test_ardour.sh <lv2-path> <lua-script>
set -euo pipefail
. "$(dirname "$0")/host_test.sh"
skip_if_sanitized
lv2_path=$1 script=$2
need_commands "Debian package ardour; CI installs it" ardour7-lua
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LV2_PATH=$lv2_path LSTM_SESSION_DIR=$tmp/session LSTM_URI=$uri HOME=$tmp
log=$tmp/ardour.log
if ! timeout 50 ardour7-lua "$script" >"$log" 2>&1; then
	tail -n 30 "$log"
	echo "FAIL: ardour7-lua did not finish the script"
	exit 1
fi
grep '^CHECK' "$log"
grep -qxF "CHECK uri $uri" "$log" || { echo "FAIL: the plugin was not instantiated"; exit 1; }
grep -qx 'CHECK preset Drive' "$log" || { echo "FAIL: the Drive preset did not load"; exit 1; }
grep -qx 'CHECK mix 0.25' "$log" || { echo "FAIL: the mix control was not set"; exit 1; }
grep -qx 'CHECK saved' "$log" || { echo "FAIL: not saved"; exit 1; }
grep -qxF "CHECK reopened $uri" "$log" || { echo "FAIL: the plugin did not come back"; exit 1; }
grep -qx 'CHECK reopened mix 0.25' "$log" || { echo "FAIL: the mix did not come back"; exit 1; }
if grep -q 'lstm: model not loaded' "$log"; then
	echo "FAIL: the plugin could not load its saved model on reopen"
	exit 1
fi

session=$tmp/session/lstmtest.ardour
[ -f "$session" ] || { echo "FAIL: no $session"; exit 1; }
grep -qF "$uri" "$session" || { echo "FAIL: the session does not name the plugin"; exit 1; }
grep -Eq 'symbol="mix" value="0.25' "$session" || {
	grep -n 'mix' "$session" | head
	echo "FAIL: the session does not hold mix = 0.25"
	exit 1
}
state=$(grep -rl --include=state.ttl 'lstm-lv2#model' "$tmp/session" || true)
[ -n "$state" ] || { echo "FAIL: the plugin's state (its model) is not in the session"; exit 1; }
echo "model saved in: ${state#$tmp/}"
grep -h 'lstm-lv2#model' $state
grep -h 'lstm-lv2#model' $state | grep -q 'drive.lstm.json' || {
	echo "FAIL: the saved state does not name the preset's model (drive.lstm.json)"
	exit 1
}
echo "Ardour instantiated the plugin and saved its state"
