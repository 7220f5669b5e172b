// 2x2 pooling at stride 2 over channels-last (NHWC) floats, for the Neural module's maxPool2d and
// avgPool2d when every window is whole (no padding before, windows inside the input): the fast path
// of PoolingKernels. In C because Swift's SIMD masks and byte conversions compiled to scalar code
// here (14 ms instead of 0.1 for the CNN's max-pooling gradient); eight channels go at a time in
// clang's portable vector types (docs/convolutions.md, "Kernels").
// Results equal those of Neural's general loops (only the sign of a zero can differ, where those add
// to a zero-filled buffer): the max takes the four taps in order (top left, top right, bottom left,
// bottom right) and a later tap wins unless it is <= the current maximum (the first of equal values
// stays, a NaN wins); the mean adds them in that order and multiplies by 1/4. Pure functions of
// their arguments: safe from any number of threads.
#ifndef TUNER_POOLING_H
#define TUNER_POOLING_H
#include <stdint.h>

// Input [batch, inputHeight, inputWidth, channels], output [batch, outputHeight, outputWidth,
// channels], with 2 * outputHeight <= inputHeight and 2 * outputWidth <= inputWidth (an odd last row
// or column is read by no window).
typedef struct {
    int64_t batch, inputHeight, inputWidth, channels, outputHeight, outputWidth;
} tuner_pool2_geometry;

// Each window's maximum per channel into values; when positions is not NULL, also which tap held it
// (0 top left, 1 top right, 2 bottom left, 3 bottom right), one byte per output element.
void tuner_max_pool2_forward(const tuner_pool2_geometry *geometry, const float *input, float *values,
                             uint8_t *positions);

// Max pooling's gradient into inputGradient (input-shaped): each upstream element at the tap its
// position names, 0 everywhere else. Writes every element exactly once.
void tuner_max_pool2_backward(const tuner_pool2_geometry *geometry, const float *upstream,
                              const uint8_t *positions, float *inputGradient);

// tuner_max_pool2_backward followed by the preceding ReLU's backward mask, in one pass: each upstream
// element at its tap where the pooled value (the max, that is the input at the tap) is > 0, and 0
// everywhere else (a NaN max gives 0, as the mask does). Bit for bit the two passes' result.
void tuner_max_pool2_backward_relu(const tuner_pool2_geometry *geometry, const float *upstream,
                                   const uint8_t *positions, const float *pooled, float *inputGradient);

// The adjoint of tuner_max_pool2_backward: each output element's value of x (input-shaped) at the
// tap its position names.
void tuner_max_pool2_gather(const tuner_pool2_geometry *geometry, const float *x, const uint8_t *positions,
                            float *output);

// Each window's mean per channel.
void tuner_avg_pool2_forward(const tuner_pool2_geometry *geometry, const float *input, float *output);

// Average pooling's gradient into inputGradient (input-shaped): a quarter of each upstream element
// at each of its window's taps, 0 where no window reads. Writes every element exactly once.
void tuner_avg_pool2_backward(const tuner_pool2_geometry *geometry, const float *upstream, float *inputGradient);

#endif
