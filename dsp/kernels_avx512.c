// SPDX-License-Identifier: ISC
// avx512 kernels: not written yet, so the dispatcher never selects this instruction set.
#include "net_layout.h"

const KernelSet *kernels_avx512(LstmActivations act)
{
	(void)act;
	return 0;
}
