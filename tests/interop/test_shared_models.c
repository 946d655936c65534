// SPDX-License-Identifier: ISC
#undef NDEBUG
#include "interop_common.h"
int main(void) { return 0; }
