# SPDX-License-Identifier: ISC
# What the host scripts share, sourced by each: the plugin's URI and the two reasons a host test
# skips (exit 77, meson's "skipped").
uri='https://github.com/lstm-lv2/lstm-lv2#lstm'

# A host built without the sanitizers cannot load a sanitizer build's plugin: the plain build
# runs these tests.
skip_if_sanitized() {
	if [ -n "${SANITIZED:-}" ]; then
		echo "SKIP: a sanitizer build's plugin cannot be loaded by an uninstrumented host" \
			"(runs in the plain build)"
		exit 77
	fi
}

# need_commands HINT COMMAND...: skips unless every command is installed; HINT (may be empty)
# says where a missing one comes from.
need_commands() {
	local hint=$1 tool
	shift
	for tool; do
		command -v "$tool" >/dev/null ||
			{ echo "SKIP: $tool is not installed${hint:+ ($hint)}"; exit 77; }
	done
}
