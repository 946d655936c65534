// SPDX-License-Identifier: ISC
// Names of the file statuses, and the file-name prefix of messages.
#include "model_status.h"

#include <stdio.h>

const char *model_status_name(ModelStatus status)
{
	static const char *const names[] = {
		"I/O error", "syntax error",     "type error",     "unknown version",
		"too big",   "self-test failed", "unknown format",
	};
	if ((unsigned)status < MODEL_STATUS_DESC_END)
		return model_desc_status_name(status);
	unsigned k = (unsigned)status - MODEL_STATUS_DESC_END;
	if (k < sizeof names / sizeof names[0])
		return names[k];
	return "unknown error";
}

void model_error_prefix(ModelError *err, const char *name)
{
	if (!err || err->status == MODEL_OK || !name)
		return;
	char msg[MODEL_ERROR_LEN];
	snprintf(msg, sizeof msg, "%s", err->message);
	model_error_set(err, err->status, "%s: %s", name, msg);
}
