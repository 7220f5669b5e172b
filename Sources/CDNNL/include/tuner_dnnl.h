// Convolutions through oneDNN (Debian's libdnnl-dev), for the Neural module's conv2d ops.
// Data is channels-last (NHWC) and filters Keras's [kh, kw, Cin, Cout] (HWIO), as Neural keeps them;
// oneDNN's own filter layouts are reached by reorders inside. Every call returns 0 on success and a
// nonzero oneDNN status when oneDNN declined the shape, so the caller can fall back to its own path.
// Safe to call from many threads at once: primitives are created once per geometry (a locked cache),
// and each call brings its own stream and scratch memory.
#ifndef TUNER_DNNL_H
#define TUNER_DNNL_H
#include <stdint.h>

// One convolution's geometry: input [batch, inputHeight, inputWidth, inputChannels], output
// [batch, outputHeight, outputWidth, outputChannels], kernel kernelHeight x kernelWidth, strides,
// dilations (1 = none, as in Keras) and the padding before and after each spatial axis.
typedef struct {
    int64_t batch, inputHeight, inputWidth, inputChannels;
    int64_t outputHeight, outputWidth, outputChannels;
    int64_t kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth;
    int64_t padTop, padLeft, padBottom, padRight;
} tuner_conv2d_geometry;

// The activation fused into the forward convolution.
enum { TUNER_DNNL_IDENTITY = 0, TUNER_DNNL_RELU = 1, TUNER_DNNL_SIGMOID = 2, TUNER_DNNL_TANH = 3 };

// output = activation(conv(input, filter) + bias); bias may be NULL.
// keptSource: NULL, or where to write a ticket for the input's copy in the primitive's blocked layout
// (Winograd's), kept on the calling thread for tuner_dnnl_conv2d_backward_weights on the same input so
// that it skips the same reorder; 0 when nothing was kept (a direct convolution reads NHWC as it is).
// The calling thread keeps one copy: each keeping call replaces the one before. The caller must not
// change the input's memory while it may pass the ticket on.
int tuner_dnnl_conv2d_forward(const tuner_conv2d_geometry *geometry, const float *input, const float *filter,
                              const float *bias, int activation, float *output, int threads, uint64_t *keptSource);

// inputGradient = the gradient of conv(input, filter) with respect to its input, given the output's.
int tuner_dnnl_conv2d_backward_data(const tuner_conv2d_geometry *geometry, const float *outputGradient,
                                    const float *filter, float *inputGradient, int threads);

// filterGradient (HWIO) = the gradient with respect to the filter; biasGradient ([Cout]) when not NULL.
// keptSource: 0, or a ticket from tuner_dnnl_conv2d_forward on this same input. The kept copy is used
// only when it is still this thread's, was made from the same input address with the same geometry,
// and has the layout this primitive reads; otherwise the input is reordered as without a ticket.
int tuner_dnnl_conv2d_backward_weights(const tuner_conv2d_geometry *geometry, const float *input,
                                       const float *outputGradient, float *filterGradient, float *biasGradient,
                                       int threads, uint64_t keptSource);

// How many tuner_dnnl_conv2d_backward_weights calls on the calling thread used a kept copy of their
// input (for the tests, which check that the copy is used when it should be and never when stale).
uint64_t tuner_dnnl_kept_source_uses(void);
#endif
