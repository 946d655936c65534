// SPDX-License-Identifier: ISC
// The number type of the training code. The trainer itself runs in float32; the same sources
// are compiled a second time with TRAIN_F64 defined (library lstm_train_f64) so the gradient
// tests can compare the hand-written backward pass with central finite differences in double.
#ifndef TRAIN_REAL_H
#define TRAIN_REAL_H

#ifdef TRAIN_F64
typedef double real;
#else
typedef float real;
#endif

#endif
