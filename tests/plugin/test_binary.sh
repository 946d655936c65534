#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The plugin binary exports lv2_descriptor and nothing else, links only what it needs (libm,
# libjansson, libspeexdsp for rate conversion, libc; sanitizer runtimes in a sanitizer build)
# and imports no way to start a process (fork, exec*, system, popen, posix_spawn*, clone), as
# lv2lint checks.
# Usage: test_binary.sh <lstm.so>
set -euo pipefail
so=$1
command -v nm >/dev/null || { echo "SKIP: nm (binutils) is not installed"; exit 77; }
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVWiu]$/ {print $3}' | sort -u)
echo "exported: $exported"
[ "$exported" = "lv2_descriptor" ] || { echo "FAIL: exports more than lv2_descriptor"; exit 1; }
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "needs: $(echo $needed)"
for lib in $needed; do
	case $lib in
	libm.so.*|libjansson.so.*|libspeexdsp.so.*|libc.so.*) ;;
	libasan.so.*|libubsan.so.*|libgcc_s.so.*|libstdc++.so.*|libpthread.so.*|libdl.so.*|librt.so.*)
		[ -n "${SANITIZED:-}" ] || { echo "FAIL: links $lib"; exit 1; } ;;
	*) echo "FAIL: links $lib, which it does not need"; exit 1 ;;
	esac
done
imported=$(nm -D --undefined-only "$so" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
spawn_re='fork|vfork|clone|clone3|system|popen|posix_spawnp?'
spawn_re+='|exec(l|lp|le|v|vp|vpe|ve)|fexecve|execveat'
forbidden=$(grep -xE "$spawn_re" <<<"$imported" || true)
if [ -n "$forbidden" ]; then
	echo "FAIL: imports $(echo $forbidden)"
	exit 1
fi
echo "imports $(wc -l <<<"$imported") symbols, none that starts a process"
echo "binary ok"
