// The CNN's first convolution ([32, 28, 28, 1] * [3, 3, 1, 32], f32, one thread): oneDNN's filter
// gradient with and without the bias gradient, on the output gradient in NHWC as the caller holds it,
// and in the blocked layout oneDNN picks (the input described as NCHW, the same memory for one
// channel) with the reorder from NHWC counted; the forward pass on NHWC and on a blocked output
// reordered back. Median ms of 41 calls after 5 warm-ups, buffers allocated once (data in cache).
// docs/convolutions.md, "Fourth pass". Build and run:
//   g++ -O2 Scripts/dnnl_first_layer_gradient_bench.cpp -ldnnl -fopenmp -o /tmp/dnnl_first_layer_gradient_bench
//   /tmp/dnnl_first_layer_gradient_bench
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>
#include "bench_median.hpp"
#include "dnnl_bench_memory.hpp"
#include <cstdio>
#include <cstdlib>
using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;
int main() {
    omp_set_num_threads(1);
    memory::dims src{32, 1, 28, 28}, dst{32, 32, 26, 26}, wei{32, 1, 3, 3}, bia{32}, st{1, 1}, pad{0, 0};
    auto nhwcDst = memory::desc(dst, dt::f32, tag::nhwc);
    auto Dn = mk(nhwcDst);
    // layout 0: NHWC input and output (gradient); 1: NCHW input (= NHWC for one channel), output any.
    for (int layout = 0; layout < 2; layout++) {
        auto sd = memory::desc(src, dt::f32, layout == 0 ? tag::nhwc : tag::nchw);
        auto dd = memory::desc(dst, dt::f32, layout == 0 ? tag::nhwc : tag::any);
        auto wd = memory::desc(wei, dt::f32, tag::any), bd = memory::desc(bia, dt::f32, tag::x);
        auto fd = convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, sd, wd, bd, dd, st, pad, pad);
        post_ops po; po.append_eltwise(1.0f, algorithm::eltwise_relu, 0, 0); primitive_attr at; at.set_post_ops(po);
        auto fpd = convolution_forward::primitive_desc(fd, at, eng);
        auto S = mk(fpd.src_desc()), W = mk(fpd.weights_desc()), B = mk(bd), D = mk(fpd.dst_desc());
        convolution_forward f(fpd);
        bool back = fpd.dst_desc() != nhwcDst;
        reorder toNHWC = back ? reorder(D, Dn) : reorder();
        printf("%s forward %-24s %.4f ms\n", layout == 0 ? "nhwc   " : "blocked", fpd.impl_info_str(), median([&] {
            f.execute(s, {{DNNL_ARG_SRC, S}, {DNNL_ARG_WEIGHTS, W}, {DNNL_ARG_BIAS, B}, {DNNL_ARG_DST, D}});
            if (back) toNHWC.execute(s, D, Dn);
            s.wait(); }));
        for (int withBias = 0; withBias < 2; withBias++) {
            auto bwd = withBias ? convolution_backward_weights::desc(algorithm::convolution_direct, sd, wd, bd, dd, st, pad, pad)
                                : convolution_backward_weights::desc(algorithm::convolution_direct, sd, wd, dd, st, pad, pad);
            auto bpd = convolution_backward_weights::primitive_desc(bwd, eng, fpd);
            auto S2 = mk(bpd.src_desc()), dW = mk(bpd.diff_weights_desc()), dB = mk(bd), dD = mk(bpd.diff_dst_desc());
            bool to = bpd.diff_dst_desc() != nhwcDst;
            reorder fromNHWC = to ? reorder(Dn, dD) : reorder();
            convolution_backward_weights b(bpd);
            printf("%s filter gradient %s bias %-14s %.4f ms\n", layout == 0 ? "nhwc   " : "blocked", withBias ? "with   " : "without",
                   bpd.impl_info_str(), median([&] {
                if (to) fromNHWC.execute(s, Dn, dD);
                if (withBias) b.execute(s, {{DNNL_ARG_SRC, S2}, {DNNL_ARG_DIFF_WEIGHTS, dW}, {DNNL_ARG_DIFF_BIAS, dB}, {DNNL_ARG_DIFF_DST, dD}});
                else b.execute(s, {{DNNL_ARG_SRC, S2}, {DNNL_ARG_DIFF_WEIGHTS, dW}, {DNNL_ARG_DIFF_DST, dD}});
                s.wait(); }));
        }
    }
}
