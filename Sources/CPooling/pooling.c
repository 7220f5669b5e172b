// See include/tuner_pooling.h. Each function walks the windows in output order; a window's four taps
// are channels floats apart (top left, top right) and a row below (bottom left, bottom right).
// Eight channels go at a time in clang's portable vector types (AVX-512 or AVX2 where the machine has
// them, see TUNER_CLONES, else SSE2; NEON on arm64),
// with selects written as masks: left to its auto-vectorizer, the same loops ran branchy scalar code
// on random data (1.1 ms instead of 0.1 for the CNN's max-pooling gradient). The rest go one by one.
#include "tuner_pooling.h"
#include <stddef.h>
#include <string.h>

// Each exported loop is built three times and the loader picks the widest the machine runs
// (x86-64-v4 is AVX-512 with the byte and 256-bit forms these 8-float vectors need; AVX-512F alone
// compiled the gradient no faster than SSE2): on the CNN's poolings the forward pass with positions
// took 0.044 instead of 0.088 ms and the gradient 0.045 instead of 0.056 ms
// (Scripts/dnnl_pooling_bench.cpp, docs/convolutions.md "Pooling"). Only additions, comparisons and
// selects, and one product after the sums (nothing to fuse into an FMA), so every clone gives the
// same bits.
#if defined(__x86_64__)
#define TUNER_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define TUNER_CLONES
#endif

typedef float f32x8 __attribute__((vector_size(32)));
typedef int32_t i32x8 __attribute__((vector_size(32)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));

// Macros rather than functions: a function passing these 8-float vectors would need the same
// vector ABI in every clone below (clang refuses an AVX caller of an SSE2 helper).
#define load8(p) ({ f32x8 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define store8(p, v) do { const f32x8 s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)
// Lanes of yes where mask is all ones, of no where it is 0.
#define select8(mask, yes, no) ((f32x8)(((mask) & (i32x8)(yes)) | (~(mask) & (i32x8)(no))))
#define splat8(v) ((i32x8){(v), (v), (v), (v), (v), (v), (v), (v)})

// The offsets of window (n, oh, ow): its first output element and its top-left tap's first element.
#define FOR_EACH_WINDOW(g, output, input)                                                            \
    for (ptrdiff_t n_ = 0, output = 0; n_ < (g)->batch; ++n_)                                        \
        for (ptrdiff_t oh_ = 0; oh_ < (g)->outputHeight; ++oh_)                                      \
            for (ptrdiff_t ow_ = 0, input = ((n_ * (g)->inputHeight + 2 * oh_) * (g)->inputWidth)    \
                                            * (g)->channels;                                         \
                 ow_ < (g)->outputWidth; ++ow_, output += (g)->channels, input += 2 * (g)->channels)

TUNER_CLONES
void tuner_max_pool2_forward(const tuner_pool2_geometry *g, const float *x, float *values, uint8_t *positions) {
    const ptrdiff_t channels = g->channels, below = g->inputWidth * g->channels;
    FOR_EACH_WINDOW(g, output, input) {
        const float *restrict t0 = x + input, *restrict t1 = t0 + channels;
        const float *restrict t2 = t0 + below, *restrict t3 = t2 + channels;
        float *restrict m = values + output;
        ptrdiff_t c = 0;
        for (; c + 8 <= channels; c += 8) {
            const f32x8 a = load8(t0 + c), b = load8(t1 + c), d = load8(t2 + c), e = load8(t3 + c);
            // A later tap wins unless it is <= the current maximum (so a NaN wins).
            const i32x8 win1 = ~(b <= a);
            const f32x8 best1 = select8(win1, b, a);
            const i32x8 win2 = ~(d <= best1);
            const f32x8 best2 = select8(win2, d, best1);
            const i32x8 win3 = ~(e <= best2);
            store8(m + c, select8(win3, e, best2));
            if (positions) {
                i32x8 k = win1 & splat8(1);
                k = (win2 & splat8(2)) | (~win2 & k);
                k = (win3 & splat8(3)) | (~win3 & k);
                const u8x8 bytes = __builtin_convertvector(k, u8x8);
                memcpy(positions + output + c, &bytes, sizeof bytes);
            }
        }
        for (; c < channels; ++c) {
            float best = t0[c];
            uint8_t k = 0;
            if (!(t1[c] <= best)) { best = t1[c]; k = 1; }
            if (!(t2[c] <= best)) { best = t2[c]; k = 2; }
            if (!(t3[c] <= best)) { best = t3[c]; k = 3; }
            m[c] = best;
            if (positions) positions[output + c] = k;
        }
    }
}

// Zeroes what no window reads: an odd last column of the rows windows read, and an odd last row.
static void zero_unread(const tuner_pool2_geometry *g, float *out) {
    const ptrdiff_t row = g->inputWidth * g->channels, used = 2 * g->outputWidth * g->channels;
    const ptrdiff_t usedRows = 2 * g->outputHeight;
    for (ptrdiff_t n = 0; n < g->batch; ++n) {
        float *image = out + n * g->inputHeight * row;
        if (used < row) {
            for (ptrdiff_t h = 0; h < usedRows; ++h) memset(image + h * row + used, 0, (size_t)(row - used) * sizeof(float));
        }
        if (usedRows < g->inputHeight) {
            memset(image + usedRows * row, 0, (size_t)((g->inputHeight - usedRows) * row) * sizeof(float));
        }
    }
}

// The gradient of a 2×2 max pooling: each window's upstream value to its winning tap, zero to the
// others. With `pooled` (the pooling's output), masked by ReLU's `pooled > 0` on the way, for a pooling
// of a ReLU's output (`tuner_max_pool2_backward_relu`). Inlined into both callers with `pooled` a
// constant, so neither loop tests it.
static inline __attribute__((always_inline)) void max_pool2_backward(const tuner_pool2_geometry *g, const float *upstream,
                                                                     const uint8_t *positions, const float *pooled,
                                                                     float *dx) {
    const ptrdiff_t channels = g->channels, below = g->inputWidth * g->channels;
    FOR_EACH_WINDOW(g, output, input) {
        float *restrict t0 = dx + input, *restrict t1 = t0 + channels;
        float *restrict t2 = t0 + below, *restrict t3 = t2 + channels;
        const float *restrict u = upstream + output;
        const uint8_t *restrict p = positions + output;
        ptrdiff_t c = 0;
        for (; c + 8 <= channels; c += 8) {
            const f32x8 zero = {0};
            f32x8 v = load8(u + c);
            // The upstream value where the max is > 0 (false for a NaN), +0 elsewhere: ReLU's mask.
            if (pooled) v = select8(load8(pooled + output + c) > zero, v, zero);
            u8x8 bytes;
            memcpy(&bytes, p + c, sizeof bytes);
            const i32x8 k = __builtin_convertvector(bytes, i32x8);
            store8(t0 + c, select8(k == splat8(0), v, zero));
            store8(t1 + c, select8(k == splat8(1), v, zero));
            store8(t2 + c, select8(k == splat8(2), v, zero));
            store8(t3 + c, select8(k == splat8(3), v, zero));
        }
        for (; c < channels; ++c) {
            const float v = !pooled || pooled[output + c] > 0.0f ? u[c] : 0.0f;
            const uint8_t k = p[c];
            t0[c] = k == 0 ? v : 0.0f;
            t1[c] = k == 1 ? v : 0.0f;
            t2[c] = k == 2 ? v : 0.0f;
            t3[c] = k == 3 ? v : 0.0f;
        }
    }
    zero_unread(g, dx);
}

TUNER_CLONES
void tuner_max_pool2_backward(const tuner_pool2_geometry *g, const float *upstream, const uint8_t *positions,
                              float *dx) {
    max_pool2_backward(g, upstream, positions, NULL, dx);
}

TUNER_CLONES
void tuner_max_pool2_backward_relu(const tuner_pool2_geometry *g, const float *upstream, const uint8_t *positions,
                                   const float *pooled, float *dx) {
    max_pool2_backward(g, upstream, positions, pooled, dx);
}

TUNER_CLONES
void tuner_max_pool2_gather(const tuner_pool2_geometry *g, const float *x, const uint8_t *positions,
                            float *out) {
    const ptrdiff_t channels = g->channels, below = g->inputWidth * g->channels;
    FOR_EACH_WINDOW(g, output, input) {
        for (ptrdiff_t c = 0; c < channels; ++c) {
            const int k = positions[output + c];
            out[output + c] = x[input + (k >> 1) * below + (k & 1) * channels + c];
        }
    }
}

TUNER_CLONES
void tuner_avg_pool2_forward(const tuner_pool2_geometry *g, const float *x, float *out) {
    const ptrdiff_t channels = g->channels, below = g->inputWidth * g->channels;
    FOR_EACH_WINDOW(g, output, input) {
        const float *restrict t0 = x + input, *restrict t1 = t0 + channels;
        const float *restrict t2 = t0 + below, *restrict t3 = t2 + channels;
        float *restrict m = out + output;
        const f32x8 quarter = {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f};
        ptrdiff_t c = 0;
        for (; c + 8 <= channels; c += 8) {
            store8(m + c, (((load8(t0 + c) + load8(t1 + c)) + load8(t2 + c)) + load8(t3 + c)) * quarter);
        }
        for (; c < channels; ++c) m[c] = (((t0[c] + t1[c]) + t2[c]) + t3[c]) * 0.25f;
    }
}

TUNER_CLONES
void tuner_avg_pool2_backward(const tuner_pool2_geometry *g, const float *upstream, float *dx) {
    const ptrdiff_t channels = g->channels, below = g->inputWidth * g->channels;
    FOR_EACH_WINDOW(g, output, input) {
        float *restrict t0 = dx + input, *restrict t1 = t0 + channels;
        float *restrict t2 = t0 + below, *restrict t3 = t2 + channels;
        const float *restrict u = upstream + output;
        const f32x8 quarter = {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f};
        ptrdiff_t c = 0;
        for (; c + 8 <= channels; c += 8) {
            const f32x8 v = load8(u + c) * quarter;
            store8(t0 + c, v); store8(t1 + c, v); store8(t2 + c, v); store8(t3 + c, v);
        }
        for (; c < channels; ++c) {
            const float v = u[c] * 0.25f;
            t0[c] = v; t1[c] = v; t2[c] = v; t3[c] = v;
        }
    }
    zero_unread(g, dx);
}
