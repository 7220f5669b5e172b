// The Adam update over one variable's floats, for the Neural module's Adam and AdamW (adamUpdate):
// the loop that took about a quarter of the book's random search (a step updates every weight, its
// two moments and its gradient, 16 bytes read and 12 written per weight).
//
// In C so that it runs on the widest vectors the machine has: compiled for AVX-512, AVX2 and baseline
// x86-64 and picked at load time (target_clones), where the Swift loop ran 4 floats at a time (SSE,
// the baseline). Every clone does the same IEEE operations in the same order, with no fused
// multiply-adds, so the results equal the Swift loop's bit for bit on any machine: sqrt and division are
// correctly rounded at any vector width. Pure function of its arguments: safe from any number of threads
// on distinct buffers.
#ifndef TUNER_OPTIMIZERS_H
#define TUNER_OPTIMIZERS_H
#include <stddef.h>

// One Adam step over count weights, in place, for each i:
//   w  = hasDecay ? w - w * decay * learningRate : w
//   m' = m + (g - m) * keep1                  (keep1 = 1 - beta1)
//   v' = v + (g * g - v) * keep2              (keep2 = 1 - beta2)
//   with AMSGrad (vHat not NULL): vHat' = max(vHat, v'), and vHat' replaces v' below
//   w' = w - (m' * alpha) / (sqrt(v') + epsilon)
// The buffers must not overlap.
void tuner_adam_update(float *weights, float *momentum, float *velocity, float *velocityHat,
                       const float *gradient, ptrdiff_t count, float keep1, float keep2, float alpha,
                       float epsilon, int hasDecay, float decay, float learningRate);

#endif
