#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The bundle's Turtle against the LV2 schemas lv2-dev installs: sord_validate reports zero
# errors and zero warnings; lilv (lv2ls, lv2info) finds the plugin and its three presets.
# Usage: test_ttl.sh <lv2-path> <bundle-dir>
set -euo pipefail
lv2_path=$1 bundle=$2
. "$(dirname "$0")/host_test.sh"
need_commands "" sord_validate lv2ls lv2info
mapfile -t schemas < <(dpkg -L lv2-dev 2>/dev/null | grep '\.ttl$' | grep '^/usr/lib/lv2/' || true)
if [ ${#schemas[@]} -eq 0 ]; then
	schema_re='/(atom|buf-size|core|data-access|dynmanifest|event|instance-access|log|midi|morph'
	schema_re+='|options|parameters|patch|port-groups|port-props|presets|resize-port|schemas|state'
	schema_re+='|time|ui|units|uri-map|urid|worker)\.lv2/'
	mapfile -t schemas < <(find /usr/lib/lv2 -path '*schemas.lv2*' -name '*.ttl' -o \
		\( -path '/usr/lib/lv2/*.lv2/*' -name '*.ttl' \) | grep -E "$schema_re")
fi
echo "validating against ${#schemas[@]} schema files"
out=$(sord_validate -l "${schemas[@]}" "$bundle"/*.ttl 2>&1) || true
echo "$out" | tail -n 5
grep -q '^Found 0 errors' <<<"$out" || { echo "FAIL: sord_validate reports errors"; exit 1; }
if grep -qi 'warn' <<<"$out"; then
	echo "FAIL: sord_validate reports warnings"
	exit 1
fi

export LV2_PATH=$lv2_path
lv2ls | grep -qxF "$uri" || { echo "FAIL: lv2ls does not list $uri"; exit 1; }
info=$(lv2info "$uri")
for preset in Crunch Drive Fuzz; do
	grep -qw "$preset" <<<"$info" || { echo "FAIL: preset $preset missing"; exit 1; }
done
grep -q 'hardRTCapable' <<<"$info" || { echo "FAIL: hardRTCapable not declared"; exit 1; }
if grep -q 'Required Features' <<<"$info"; then
	echo "FAIL: the plugin requires a feature"
	exit 1
fi
# What lv2lint checks and Carla's categories need (lv2lint is not in Debian): a maintainer to
# reach, a stable (even) minor version, a project with a short description, a boolean default
# for the toggle, and the distortion class.
ttl=$(cat "$bundle/lstm.ttl")
for want in 'foaf:mbox <mailto:' 'foaf:homepage <' 'lv2:project <' 'doap:shortdesc "' \
	'lv2:DistortionPlugin'; do
	grep -qF "$want" <<<"$ttl" || { echo "FAIL: lstm.ttl has no $want"; exit 1; }
done
minor=$(grep -oE 'lv2:minorVersion [0-9]+' <<<"$ttl" | awk '{print $2}')
[ $((minor % 2)) -eq 0 ] || { echo "FAIL: lv2:minorVersion $minor is odd (unstable)"; exit 1; }
grep -A3 'lv2:toggled' <<<"$ttl" | grep -qE 'lv2:default [01] ;' \
	|| { echo "FAIL: the toggle's default is not 0 or 1"; exit 1; }
echo "bundle valid; lilv sees the plugin and its presets"
