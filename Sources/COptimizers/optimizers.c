// See include/tuner_optimizers.h.
#include "tuner_optimizers.h"
#include <math.h>

// No a * b + c fused into one rounding: the Swift loop this replaces rounds each operation.
#pragma clang fp contract(off)

// Built for each vector width; the loader picks the widest the machine has.
#if defined(__x86_64__)
#define TUNER_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TUNER_CLONES
#endif

TUNER_CLONES
void tuner_adam_update(float *restrict w, float *restrict m, float *restrict v, float *restrict vHat,
                       const float *restrict g, ptrdiff_t count, float keep1, float keep2, float alpha,
                       float epsilon, int hasDecay, float decay, float learningRate) {
    // One loop per case, so that the common ones (no AMSGrad) vectorize without a branch inside.
    if (vHat) {
        for (ptrdiff_t i = 0; i < count; ++i) {
            const float wi = hasDecay ? w[i] - w[i] * decay * learningRate : w[i];
            const float mi = m[i] + (g[i] - m[i]) * keep1;
            const float vi = v[i] + (g[i] * g[i] - v[i]) * keep2;
            // Swift.max(vHat, vi), which is `vi >= vHat ? vi : vHat`.
            const float vMax = vi >= vHat[i] ? vi : vHat[i];
            m[i] = mi;
            v[i] = vi;
            vHat[i] = vMax;
            w[i] = wi - (mi * alpha) / (sqrtf(vMax) + epsilon);
        }
    } else if (hasDecay) {
        for (ptrdiff_t i = 0; i < count; ++i) {
            const float wi = w[i] - w[i] * decay * learningRate;
            const float mi = m[i] + (g[i] - m[i]) * keep1;
            const float vi = v[i] + (g[i] * g[i] - v[i]) * keep2;
            m[i] = mi;
            v[i] = vi;
            w[i] = wi - (mi * alpha) / (sqrtf(vi) + epsilon);
        }
    } else {
        for (ptrdiff_t i = 0; i < count; ++i) {
            const float mi = m[i] + (g[i] - m[i]) * keep1;
            const float vi = v[i] + (g[i] * g[i] - v[i]) * keep2;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] - (mi * alpha) / (sqrtf(vi) + epsilon);
        }
    }
}
