// SPDX-License-Identifier: ISC
// Enum names kept as tables indexed by the enum ({[CELL_GRU] = "gru", ...}, every entry set):
// a value's name and a name's value are looked up here, the same way for every such enum.
// Any thread; no allocation.
#ifndef LSTM_NAME_TABLE_H
#define LSTM_NAME_TABLE_H

#include <stddef.h>
#include <string.h>

// names[value], or "unknown" for a value the table has no entry for.
static inline const char *name_table_name(const char *const *names, size_t count, unsigned value)
{
	return value < count ? names[value] : "unknown";
}

// The value whose name is name, or -1 for any other name or NULL.
static inline int name_table_value(const char *const *names, size_t count, const char *name)
{
	for (size_t k = 0; name && k < count; k++)
		if (strcmp(name, names[k]) == 0)
			return (int)k;
	return -1;
}

// The same for a table array in scope, its length taken from its type.
#define NAME_TABLE_NAME(names, value)                                                              \
	name_table_name((names), sizeof(names) / sizeof((names)[0]), (unsigned)(value))
#define NAME_TABLE_VALUE(names, name)                                                              \
	name_table_value((names), sizeof(names) / sizeof((names)[0]), (name))

#endif
