#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# lstm-convert's command lines, good and bad: exit status, the message, and that a failed run
# leaves no file behind. Usage: test_convert.sh LSTM_CONVERT DATA_DIR
set -u
tool=$(realpath "$1")
data=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
passes=0

# expect STATUS NEEDLE ARGS...: runs the tool, checks its exit status and that stderr+stdout
# contain NEEDLE.
expect() {
	local want=$1 needle=$2
	shift 2
	local out
	out=$(cd "$work" && "$tool" "$@" 2>&1)
	local got=$?
	if [ "$got" -ne "$want" ] || [[ "$out" != *"$needle"* ]]; then
		echo "FAIL: lstm-convert $*: exit $got (expected $want), output: $out"
		fails=$((fails + 1))
	else
		passes=$((passes + 1))
	fi
}

# absent FILE: a failed run left nothing behind (nor a temporary file beside it).
absent() {
	if [ -e "$work/$1" ] || ls "$work" | grep -q "^\.$1\|$1\..*tmp\|\.tmp"; then
		echo "FAIL: $1 or a temporary file was left behind"
		fails=$((fails + 1))
	else
		passes=$((passes + 1))
	fi
}

expect 0 "AIDA-X" "$data/rtneural_lstm_1d.json" a.aidax
expect 1 "already exists" "$data/rtneural_lstm_1d.json" a.aidax
expect 0 "AIDA-X" --force "$data/rtneural_gru_1d.json" a.aidax
expect 0 "gru layer(s) of 8" a.aidax back.lstm.json
expect 0 "NAM" "$data/BossLSTM-1x16.nam" b.nam
expect 0 "lstm-lv2" b.nam b.lstm.json
expect 0 "NAM" -t nam b.lstm.json b2.json
expect 0 "initial state (h0/c0) cannot be stored" --to aidax b2.json b3.json
expect 0 "AIDA-X's player loads only one" "$data/synth_lstm_2x5_keras.json" c.aidax
expect 0 "" -q "$data/nam_core_lstm_1x3.nam" q.aidax
expect 1 "layers[0].weights[1]: 20 rows, expected 16" "$data/rtneural_bad_lstm.json" bad.lstm.json
absent bad.lstm.json
expect 1 "NAM's LSTM architecture holds only plain LSTM layers" "$data/rtneural_gru_1d.json" gru.nam
absent gru.nam
sed 's/"in_shape"/"in_skip": 1, "in_shape"/' "$data/rtneural_lstm_1d.json" > "$work/skip1.json"
expect 1 "architecture.skip: 1, NAM's LSTM has no skip connection" skip1.json skip.nam
absent skip.nam
expect 0 "one more unit per layer (9 instead of 8)" --nam-skip-unit skip1.json skip.nam
expect 1 "cannot open" missing.json x.nam
absent x.nam
expect 1 "is a directory" "$data/BossLSTM-1x16.nam" --force --to nam .
expect 2 "say --to" "$data/BossLSTM-1x16.nam" plain.json
absent plain.json
expect 2 "unknown format" --to wav "$data/BossLSTM-1x16.nam" x.wav
expect 2 "--to given twice" --to nam --to aidax "$data/BossLSTM-1x16.nam" x.nam
absent x.nam
expect 2 "--to and x.nam disagree" --to aidax "$data/BossLSTM-1x16.nam" x.nam
absent x.nam
expect 2 "OUTPUT: an empty path" "$data/BossLSTM-1x16.nam" ""
expect 2 "expected INPUT and OUTPUT" "$data/BossLSTM-1x16.nam"
expect 2 "unknown option '--bogus'" --bogus a b
expect 0 "Usage: lstm-convert" --help

# --info: what each format says about itself, after the same checks as a load.
expect 0 "format: NAM" --info "$data/nam_core_lstm_1x3.nam"
expect 0 "name: Test LSTM" --info "$data/nam_core_lstm_1x3.nam"
expect 0 "  input_level_dbu: 18.3" --info "$data/nam_core_lstm_1x3.nam"
expect 0 "  training.data.latency.calibration.delays: [-16]" --info "$data/nam_core_lstm_1x3.nam"
expect 0 "format: AIDA-X/RTNeural Keras JSON" --info "$data/rtneural_lstm_1d.json"
expect 0 "network: 1 recurrent layer (lstm 8)" --info "$data/rtneural_lstm_1d.json"
expect 0 "format: GuitarML state_dict JSON" --info "$data/synth_gru_2x6_statedict.json"
expect 0 "format: lstm-lv2" --info b.lstm.json
# What the NAM file said survives conversion to AIDA-X (q.aidax, above).
expect 0 "  gear_model: Microtubes 900 v2" --info q.aidax
expect 1 "rtneural_bad_lstm.json: layers[0].weights[1]" --info "$data/rtneural_bad_lstm.json"
expect 2 "--info takes one MODEL" --info "$data/rtneural_lstm_1d.json" x.nam
expect 2 "--info takes one MODEL" --info --force "$data/rtneural_lstm_1d.json"

# NAM -> lstm-lv2 -> NAM writes the same file again.
expect 0 "NAM" b3.json a2.nam
if cmp -s "$work/b.nam" "$work/b2.json"; then
	passes=$((passes + 1))
else
	echo "FAIL: NAM -> lstm -> NAM changed the file"
	fails=$((fails + 1))
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
