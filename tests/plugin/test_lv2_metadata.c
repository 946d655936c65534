// SPDX-License-Identifier: ISC
// The bundle's metadata as lv2lint reads it, through lilv: the plugin has a name, a licence, a
// maintainer or developer and a version (lv2:minorVersion and lv2:microVersion); every port
// has a symbol and a name; every control port has a default, a minimum and a maximum with
// minimum < maximum and the default between them (a toggle's too); every preset's port values
// lie within their port's range.
// Usage: test_lv2_metadata <bundle-dir>
#undef NDEBUG
#include "lstm_uris.h"
#include "lv2_host.h"

#include <lv2/core/lv2.h>
#include <lv2/presets/presets.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOAP "http://usefulinc.com/ns/doap#"

static int failures;
static uint32_t preset_values; // port values the presets set

static void check(bool ok, const char *what, const char *detail)
{
	if (!ok) {
		fprintf(stderr, "FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
		failures++;
	}
}

// Whether the plugin has at least one value for the predicate; prints the first.
static bool has_value(HostWorld *hw, const char *predicate, const char *label)
{
	LilvNode *p = lilv_new_uri(hw->world, predicate);
	LilvNodes *vs = lilv_plugin_get_value(hw->plugin, p);
	const LilvNode *v = vs ? lilv_nodes_get_first(vs) : NULL;
	if (v) {
		const bool literal = lilv_node_is_literal(v) || lilv_node_is_uri(v);
		printf("%s: %s\n", label, literal ? lilv_node_as_string(v) : "(a node)");
	}
	const bool ok = v != NULL;
	lilv_nodes_free(vs);
	lilv_node_free(p);
	return ok;
}

static void test_project(HostWorld *hw)
{
	check(has_value(hw, DOAP "name", "doap:name"), "no doap:name", NULL);
	check(has_value(hw, DOAP "license", "doap:license"), "no doap:license", NULL);
	const bool maintainer = has_value(hw, DOAP "maintainer", "doap:maintainer");
	const bool developer = has_value(hw, DOAP "developer", "doap:developer");
	check(maintainer || developer, "neither doap:maintainer nor doap:developer", NULL);
	check(has_value(hw, LV2_CORE__minorVersion, "lv2:minorVersion"), "no lv2:minorVersion", NULL);
	check(has_value(hw, LV2_CORE__microVersion, "lv2:microVersion"), "no lv2:microVersion", NULL);
}

static void test_ports(HostWorld *hw)
{
	const uint32_t n = lilv_plugin_get_num_ports(hw->plugin);
	LilvNode *control = lilv_new_uri(hw->world, LV2_CORE__ControlPort);
	LilvNode *input = lilv_new_uri(hw->world, LV2_CORE__InputPort);
	uint32_t controls = 0;
	for (uint32_t k = 0; k < n; k++) {
		const LilvPort *port = lilv_plugin_get_port_by_index(hw->plugin, k);
		const LilvNode *sym = lilv_port_get_symbol(hw->plugin, port);
		LilvNode *name = lilv_port_get_name(hw->plugin, port);
		char where[64];
		snprintf(where, sizeof(where), "port %u (%s)", k, sym ? lilv_node_as_string(sym) : "?");
		check(sym != NULL, "a port without lv2:symbol", where);
		check(name != NULL, "a port without lv2:name", where);
		lilv_node_free(name);
		// lv2lint notes a port without a comment; hosts show it as the port's help.
		LilvNode *comment_uri =
			lilv_new_uri(hw->world, "http://www.w3.org/2000/01/rdf-schema#comment");
		LilvNodes *comment = lilv_port_get_value(hw->plugin, port, comment_uri);
		check(comment && lilv_nodes_size(comment) > 0, "a port without rdfs:comment", where);
		lilv_nodes_free(comment);
		lilv_node_free(comment_uri);
		if (!lilv_port_is_a(hw->plugin, port, control) || !lilv_port_is_a(hw->plugin, port, input))
			continue;
		controls++;
		LilvNode *def = NULL, *min = NULL, *max = NULL;
		lilv_port_get_range(hw->plugin, port, &def, &min, &max);
		check(def && min && max, "a control port without default, minimum and maximum", where);
		if (def && min && max) {
			const float d = lilv_node_as_float(def), lo = lilv_node_as_float(min),
						hi = lilv_node_as_float(max);
			printf("%s: default %g in [%g, %g]\n", where, d, lo, hi);
			check(lo < hi, "minimum not below maximum", where);
			check(lo <= d && d <= hi, "default outside [minimum, maximum]", where);
		}
		lilv_node_free(def);
		lilv_node_free(min);
		lilv_node_free(max);
	}
	// in_gain .. rate_mode, then output_mode, calibrate_input and interface_level (the latency
	// output sits between them).
	check(controls == LSTM_PORT_RATE_MODE - LSTM_PORT_IN_GAIN + 1 + 3,
	      "expected 11 control input ports", NULL);
	lilv_node_free(control);
	lilv_node_free(input);
}

static void check_preset_value(const char *symbol, void *user_data, const void *value,
                               uint32_t size, uint32_t type)
{
	HostWorld *hw = user_data;
	(void)type;
	LilvNode *sym = lilv_new_string(hw->world, symbol);
	const LilvPort *port = lilv_plugin_get_port_by_symbol(hw->plugin, sym);
	lilv_node_free(sym);
	check(port != NULL, "a preset sets a port the plugin does not have", symbol);
	if (!port || size != sizeof(float))
		return;
	LilvNode *min = NULL, *max = NULL;
	lilv_port_get_range(hw->plugin, port, NULL, &min, &max);
	float v;
	memcpy(&v, value, sizeof(v));
	preset_values++;
	if (min && max)
		check(v >= lilv_node_as_float(min) && v <= lilv_node_as_float(max),
		      "a preset value outside its port's range", symbol);
	lilv_node_free(min);
	lilv_node_free(max);
}

// Every number a host can read or write has a range (lv2lint warns otherwise).
static void test_parameters(HostWorld *hw)
{
	static const char *const numbers[] = {LSTM__modelEsr, LSTM__modelLatency};
	LilvNode *lo = lilv_new_uri(hw->world, LV2_CORE__minimum);
	LilvNode *hi = lilv_new_uri(hw->world, LV2_CORE__maximum);
	for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++) {
		LilvNode *param = lilv_new_uri(hw->world, numbers[k]);
		LilvNode *a = lilv_world_get(hw->world, param, lo, NULL);
		LilvNode *b = lilv_world_get(hw->world, param, hi, NULL);
		check(a && b && lilv_node_as_float(a) < lilv_node_as_float(b),
		      "a number parameter without lv2:minimum < lv2:maximum", numbers[k]);
		lilv_node_free(a);
		lilv_node_free(b);
		lilv_node_free(param);
	}
	lilv_node_free(lo);
	lilv_node_free(hi);
}

static void test_presets(HostWorld *hw)
{
	LilvNode *preset_class = lilv_new_uri(hw->world, LV2_PRESETS__Preset);
	LilvNodes *presets = lilv_plugin_get_related(hw->plugin, preset_class);
	uint32_t count = 0;
	LILV_FOREACH(nodes, i, presets)
	{
		const LilvNode *preset = lilv_nodes_get(presets, i);
		lilv_world_load_resource(hw->world, preset);
		LilvState *state = lilv_state_new_from_world(hw->world, &hw->map, preset);
		check(state != NULL, "a preset lilv cannot load", lilv_node_as_uri(preset));
		if (state) {
			lilv_state_emit_port_values(state, check_preset_value, hw);
			lilv_state_free(state);
			count++;
		}
	}
	printf("%u presets, %u port values, each within its port's range\n", count, preset_values);
	check(count == 3, "expected 3 presets", NULL);
	check(preset_values >= count, "the presets set no port value", NULL);
	lilv_nodes_free(presets);
	lilv_node_free(preset_class);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <bundle-dir>\n", argv[0]);
		return 2;
	}
	HostWorld *hw = host_world_new(argv[1]);
	test_project(hw);
	test_ports(hw);
	test_parameters(hw);
	test_presets(hw);
	host_world_free(hw);
	if (failures) {
		fprintf(stderr, "%d metadata problems\n", failures);
		return 1;
	}
	printf("metadata complete and consistent\n");
	return 0;
}
