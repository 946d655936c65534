// SPDX-License-Identifier: ISC
// avx2 kernels: not written yet, so the dispatcher never selects this instruction set.
#include "net_layout.h"

const KernelSet *kernels_avx2(LstmActivations act)
{
	(void)act;
	return 0;
}
