#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Builds the development panel: capture pairs of different kinds of Debian LV2 effects run with
# lv2apply, each with a training take and a separate test take of different material, and with
# the awkward cases of real captures built in on purpose (see data/captures/README.md).
# Usage: make_panel.sh [OUT_DIR]          (default: data/captures/panel, ignored by git)
# Env: KEEP_SRC=1 reuses the rendered dry takes; ONLY="name ..." records only those captures.
# Writes OUT_DIR/<name>/{train,test}_{dry,wet}.wav (32-bit float, 48 kHz mono), the manifest
# OUT_DIR/panel.tsv and OUT_DIR/qc.txt, then prints the QC table. The dry material is rendered
# from MIDI written by ../shared/data/gen_midi.py (GEN_MIDI=path to override) with the panel's
# own sets (panel_midi.py). Deterministic: fixed MIDI seeds, and sox runs with -R (repeatable),
# which also fixes the noise of the calibration section.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/panel}
gen_midi=${GEN_MIDI:-$here/../../../shared/data/gen_midi.py}
py=/usr/bin/python3
sf2=/usr/share/sounds/sf2/FluidR3_GM.sf2
sr=48000

# --- tools ----------------------------------------------------------------------------------
missing=()
for t in lv2apply:lilv-utils lv2info:lilv-utils sox:sox fluidsynth:fluidsynth bc:bc; do
	command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
done
[ -f "$sf2" ] || missing+=(fluid-soundfont-gm)
$py -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
lv2info 'http://guitarix.sourceforge.net/plugins/gxts9#ts9sim' >/dev/null 2>&1 ||
	missing+=(guitarix-lv2)
lv2info 'urn:ardour:a-comp' >/dev/null 2>&1 || missing+=(x42-plugins)
if [ ${#missing[@]} -gt 0 ]; then
	echo "make_panel.sh: missing tools; install them with:" >&2
	echo "  apt-get install $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')" >&2
	exit 1
fi
reamp=${LSTM_REAMP:-$here/../../build/tools/lstm-reamp}
if [ ! -x "$reamp" ]; then
	echo "make_panel.sh: no lstm-reamp at $reamp" \
		"(build the project first, or set LSTM_REAMP=...)" >&2
	exit 1
fi
if [ ! -f "$gen_midi" ]; then
	echo "make_panel.sh: no gen_midi.py at $gen_midi" \
		"(it is in ../shared/data; set GEN_MIDI=...)" >&2
	exit 1
fi

mkdir -p "$out/_src"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
F="-r $sr -c 1 -b 32 -e floating-point"

# --- dry material -------------------------------------------------------------------------------
# render SET OUT [calib]: like ../shared/data/render_input.sh, but 32-bit float and repeatable.
render() {
	local set=$1 dst=$2 calib=${3:-} w="$work/r_$1" parts=() i=0
	mkdir -p "$w"
	$py "$here/panel_midi.py" "$gen_midi" "$set" "$w/midi"
	if [ -n "$calib" ]; then
		sox -R -n $F "$w/c00.wav" trim 0 0.5
		sox -R -n $F "$w/c01.wav" synth 8 sine 20+20000 fade h 0.05 8 0.05 gain -n -18
		sox -R -n $F "$w/c02.wav" trim 0 0.5
		sox -R -n $F "$w/c03.wav" synth 1 whitenoise gain -n -24
		for l in 40 30 20 12; do sox -R -n $F "$w/c04_$l.wav" synth 0.5 pinknoise gain -n -$l; done
		sox -R -n $F "$w/c05.wav" trim 0 0.5
		sox -R -n $F "$w/c06.wav" synth 3 sine 110 fade p 3 0 0 gain -n -12
		sox -R -n $F "$w/c07.wav" synth 2 sine 440 fade p 0 2 2 gain -n -20
		sox -R -n $F "$w/c08.wav" trim 0 1.0
		parts+=("$w"/c00.wav "$w"/c01.wav "$w"/c02.wav "$w"/c03.wav "$w"/c04_40.wav "$w"/c04_30.wav
			"$w"/c04_20.wav "$w"/c04_12.wav "$w"/c05.wav "$w"/c06.wav "$w"/c07.wav "$w"/c08.wav)
	fi
	while read -r mid peak gap secs; do
		fluidsynth -ni -q -R 0 -C 0 -g 0.5 -r $sr -O float -T wav -F "$w/r$i.wav" \
			"$sf2" "$w/midi/$mid" >/dev/null 2>&1
		sox -R "$w/r$i.wav" $F "$w/s$i.wav" remix 1 trim 0 "$(echo "$secs + 1.8" | bc)" \
			fade t 0 -0 0.3 gain -n "$peak" 2>/dev/null
		sox -R -n $F "$w/g$i.wav" trim 0 "$gap"
		parts+=("$w/s$i.wav" "$w/g$i.wav")
		i=$((i + 1))
	done < "$w/midi/segments.txt"
	sox -R "${parts[@]}" $F "$dst"
	echo "rendered $set: $(soxi -D "$dst") s"
}
# The standard capture signal, for the captures recorded the way lstm-reamp's users record.
"$reamp" -f "$out/_src/reamp.wav" > /dev/null
# KEEP_SRC=1 reuses the takes already rendered in OUT_DIR/_src
for s in panelA panelB panelC ptestA ptestB ptestC; do
	[ -n "${KEEP_SRC:-}" ] && [ -f "$out/_src/$s.wav" ] && continue
	render "$s" "$out/_src/$s.wav" $([ "${s#panel}" != "$s" ] && echo calib)
done

# --- captures -------------------------------------------------------------------------------------
# capture NAME URI TRAIN_SET TEST_SET TRAIN_SECONDS INPUT_PEAK_DB CASES [SYMBOL VALUE]...
# TRAIN_SET reamp: the standard capture signal as lstm-reamp wrote it (TRAIN_SECONDS -, and
# INPUT_PEAK_DB then sets the test take only).
# CASES: comma-separated, any of tail (quiet last 15% of the training take), ahead=N (target
# N samples ahead of its input), delay=N (target N samples late), inv (polarity inverted with
# sox), dc=V (DC offset V added to the target), or - for none. Shift, polarity and DC are the
# same on the test take. NOTE lists what the plugin itself does (latency, inversion) for the
# manifest.
# ONLY="name ..." records just those captures again and replaces their rows of the manifest.
if [ -n "${ONLY:-}" ] && [ -f "$out/panel.tsv" ]; then
	awk -F'\t' -v only=" $ONLY " 'NR == 1 || index(only, " " $1 " ") == 0' "$out/panel.tsv" \
		> "$work/keep.tsv"
	cp "$work/keep.tsv" "$out/panel.tsv"
else
	printf 'name\turi\tcontrols\tawkward\ttrain_s\ttest_s\tinput_peak_db\n' > "$out/panel.tsv"
fi
capture() {
	local name=$1 uri=$2 trs=$3 tes=$4 len=$5 peak=$6 cases=$7
	if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then
		return 0
	fi
	shift 7
	local ctl=() ctltxt="" d="$out/$name" tail=0 post=() desc=()
	while [ $# -ge 2 ]; do ctl+=(-c "$1" "$2"); ctltxt+="$1=$2 "; shift 2; done
	mkdir -p "$d"
	local n=0 c
	[ "$len" != - ] && n=$((len * sr))
	IFS=, read -r -a cs <<< "$cases"
	# the sox chain for the target, in the order a real interface would add them
	for c in "${cs[@]}"; do
		[ "$c" = inv ] && { post+=(vol -1); desc+=("inverted polarity (sox)"); }
	done
	for c in "${cs[@]}"; do
		case $c in
		tail) tail=1; desc+=("quiet tail (last 15% of train at -60 dBFS rms)") ;;
		ahead=*)
			post+=(trim "${c#*=}s" pad 0 "${c#*=}s")
			desc+=("target ahead by ${c#*=} samples") ;;
		delay=*) post+=(pad "${c#*=}s"); desc+=("target delayed by ${c#*=} samples") ;;
		esac
	done
	for c in "${cs[@]}"; do
		case $c in dc=*) post+=(dcshift "${c#*=}"); desc+=("DC offset ${c#*=}") ;; esac
	done
	[ -n "${NOTE:-}" ] && desc+=("$NOTE")
	desc+=("input peak $peak dBFS")
	if [ "$trs" = reamp ]; then
		# The standard capture signal is played as lstm-reamp wrote it (lstm-train recognises it
		# sample for sample); only the test take is scaled to the input peak.
		cp "$out/_src/reamp.wav" "$d/train_dry.wav"
		sox -R "$out/_src/$tes.wav" "$d/test_dry.wav" gain -n "$peak"
		echo "standard signal; test take at $peak dBFS peak" > "$work/gain.txt"
		len=$(printf %.0f "$(soxi -D "$d/train_dry.wav")")
	else
		sox -R "$out/_src/$trs.wav" "$work/tr.wav" trim 0 "${n}s"
		$py "$here/panel_tool.py" prep "$work/tr.wav" "$out/_src/$tes.wav" \
			"$d/train_dry.wav" "$d/test_dry.wav" "$peak" $tail > "$work/gain.txt"
	fi
	local part
	for part in train test; do
		local m
		m=$(soxi -s "$d/${part}_dry.wav")
		# one second of silent pre-roll, cut away again, so plugin start-up transients are gone
		sox -R "$d/${part}_dry.wav" "$work/pad.wav" pad 1 0
		lv2apply -i "$work/pad.wav" -o "$work/raw.wav" "${ctl[@]}" "$uri" \
			> "$d/lv2apply_$part.log" 2>&1
		sox -R -V1 "$work/raw.wav" $F "$d/${part}_wet.wav" trim "${sr}s" "${post[@]}" trim 0 "${m}s"
	done
	local ts
	ts=$(soxi -D "$d/test_dry.wav")
	local IFS=';'
	printf '%s\t%s\t%s\t%s\t%s\t%.1f\t%s\n' "$name" "$uri" "${ctltxt% }" "${desc[*]}" "$len" \
		"$ts" "$peak" >> "$out/panel.tsv"
	echo "captured $name ($(cat "$work/gain.txt"))"
}
gx=http://guitarix.sourceforge.net/plugins
# Overdrives: GxTubeScreamer at settings unlike ../shared/data (Drive 0.7, Tone 600, Level -6)
capture od_ts9_hot "$gx/gxts9#ts9sim" panelA ptestB 150 -6 ahead=1 \
	fslider2_ 1 fslider1_ 900 fslider0_ -14 BYPASS 1
capture od_ts9_mild "$gx/gxts9#ts9sim" panelB ptestC 90 -18 tail \
	fslider2_ 0.15 fslider1_ 250 fslider0_ -2 BYPASS 1
# Distortion that oversamples internally: MXR Distortion+ (linear-phase resampler, ~33 samples
# latency, pre-ringing before transients)
NOTE="plugin latency ~33 samples (oversampling, pre-ringing)" \
capture dist_mxr_os "$gx/gx_mxrdist_#_mxrdist_" panelC ptestA 120 -12 dc=0.01 \
	DRIVE 0.8 VOLUME 0.4
# Fuzzes: Big Muff (the plugin itself inverts, ~36 samples latency) and Fuzz Face (inverts too)
NOTE="plugin inverts polarity, latency ~36 samples" \
capture fuzz_bmp_inv "$gx/gx_bmp_#_bmp_" panelA ptestC 170 -9 tail \
	SUSTAIN 0.8 TONE 0.6 VOLUME 0.5
NOTE="plugin inverts polarity" \
capture fuzz_face_inv "$gx/gx_fuzzface_#_fuzzface_" panelB ptestA 75 -24 delay=150 \
	FUZZ 0.9 LEVEL 0.4
# Amp preamps at low gain, nearly linear tone stacks
capture pre_jcm800_low "$gx/gx_jcm800pre_#_jcm800pre_" panelC ptestB 60 -30 delay=40 \
	P6v 0.1 Bass 0.5 Middle 0.4 Treble 0.7 WET_DRY 30 GAIN 6
# (gx_amp#GUITARIX has atom ports lv2apply refuses; the Chump tube amp at low gain instead)
NOTE="plugin latency ~171 samples at this setting (measured)" \
capture pre_chump_low "$gx/gx_redeye#chump" panelA ptestA 105 -27 ahead=2,dc=-0.005 \
	Gain 0.1 Tone 0.5 Volume 0.5
# Tube preamp with tone stack
NOTE="plugin lag ~3-6 samples (polarity follows the material: inverted on a sweep)" \
capture pre_studiopre "$gx/gx_studiopre#studiopre" panelB ptestC 135 -15 delay=290,dc=0.02 \
	bright 1 volume 0.5 bass 0.7 middle 0.3 treble 0.6 master 0.5
# Compressor: x42 a-comp, 300 ms release
capture comp_acomp urn:ardour:a-comp panelC ptestB 180 -3 tail \
	att 5 rel 300 kn 2 rat 6 thr -30 mak 4 enable 1
# Pure EQ: x42 a-eq
capture eq_aeq urn:ardour:a-eq panelA ptestC 160 -21 ahead=1,dc=0.003 \
	freql 120 gl -6 freq1 400 g1 -4 bw1 1 freq2 1200 g2 6 bw2 0.7 freq3 3000 g3 3 bw3 1 \
	freqh 6000 gh -9 master 0 enable 1
# High-gain amp (the plugin inverts; sox vol -1 would undo it)
NOTE="plugin inverts polarity, latency ~170 samples (measured)" \
capture amp_metal_inv "$gx/gxmetal_head#metal_head" panelB ptestA 185 -12 delay=64,dc=0.01 \
	DRIVE 0.9 HIGHGAIN 1 PREGAIN 10 TONE 0.6 GAIN1 0
# The standard capture signal (lstm-reamp) through two of the devices at other settings, with
# a lead and a long delay in the chain: the blips must find both.
NOTE="standard capture signal;plugin inverts polarity, latency ~36 samples" \
capture std_bmp "$gx/gx_bmp_#_bmp_" reamp ptestB - -6 ahead=2 \
	SUSTAIN 0.5 TONE 0.4 VOLUME 0.5
NOTE="standard capture signal;plugin inverts polarity, latency ~170 samples (measured)" \
capture std_metal "$gx/gxmetal_head#metal_head" reamp ptestC - -9 delay=200 \
	DRIVE 0.6 HIGHGAIN 1 PREGAIN 6 TONE 0.5 GAIN1 0

echo
$py "$here/panel_tool.py" qc "$out" | tee "$out/qc.txt"
