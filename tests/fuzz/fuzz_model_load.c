// SPDX-License-Identifier: ISC
// libFuzzer harness for the model loader: any bytes go through format detection, every
// importer, validation and the self-test; what loads is built into a network and run.
// Built with -fsanitize=fuzzer under clang, or with replay_main.c to rerun a corpus anywhere.
#include "lstm_net.h"
#include "model_load.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ModelDesc m;
	ModelError err;
	if (model_load_buffer((const char *)data, size, "fuzz", &m, &err) != MODEL_OK)
		return 0;
	LstmNet *net = lstm_net_create(&m, NULL, &err);
	if (net) {
		float in[64], out[64];
		for (int t = 0; t < 64; t++)
			in[t] = (float)((t % 17) - 8) * 0.1f;
		const float *channels[MODEL_MAX_INPUTS] = {in, in, in, in};
		lstm_net_process(net, channels, out, 64);
		lstm_net_destroy(net);
	}
	model_desc_free(&m);
	return 0;
}
