// The CNN's second convolution ([32, 13, 13, 32] * [3, 3, 32, 64], f32, one thread; the first with any
// argument) on each of oneDNN's algorithms and activation layouts: Winograd (its own blocked layout),
// direct on NHWC, on nChw16c and on the layout oneDNN picks; forward (bias + ReLU), backward data and
// backward weights, and the reorders between NHWC and nChw16c. Median ms of 41 calls after 5 warm-ups,
// buffers allocated once (so the data are in cache: the reorders cost more inside the epoch).
// docs/convolutions.md, "Third pass". Build and run:
//   g++ -O2 Scripts/dnnl_conv_layouts_bench.cpp -ldnnl -fopenmp -o /tmp/dnnl_conv_layouts_bench
//   /tmp/dnnl_conv_layouts_bench        # second layer;  /tmp/dnnl_conv_layouts_bench 1: first layer
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>
#include "bench_median.hpp"
#include "dnnl_bench_memory.hpp"
#include <chrono>
#include <algorithm>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <string>
using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;
void reo(const char *name, memory::dims dims, tag a, tag b) {
    auto ma = mk(memory::desc(dims, dt::f32, a)); auto mb = mk(memory::desc(dims, dt::f32, b));
    reorder r(ma, mb);
    printf("%-40s %.4f ms\n", name, median([&]{ r.execute(s, ma, mb); s.wait(); }));
}
int main(int argc, char **argv) {
    omp_set_num_threads(1);
    int N=32, IC=32, OC=64, IH=13, OH=11;
    if (argc > 1) { // layer 1
        IC=1; OC=32; IH=28; OH=26;
    }
    memory::dims src{N,IC,IH,IH}, dst{N,OC,OH,OH}, wei{OC,IC,3,3}, bia{OC}, st{1,1}, pad{0,0};
    struct L { const char *n; algorithm alg; tag t; };
    std::vector<L> ls = {{"wino", algorithm::convolution_winograd, tag::any}, {"direct nhwc", algorithm::convolution_direct, tag::nhwc}, {"direct nChw16c", algorithm::convolution_direct, tag::nChw16c}, {"direct any", algorithm::convolution_direct, tag::any}};
    for (auto &l : ls) {
        try {
            auto sd = memory::desc(src, dt::f32, l.t), dd = memory::desc(dst, dt::f32, l.t);
            auto wd = memory::desc(wei, dt::f32, tag::any), bd = memory::desc(bia, dt::f32, tag::x);
            auto fd = convolution_forward::desc(prop_kind::forward_training, l.alg, sd, wd, bd, dd, st, pad, pad);
            post_ops po; po.append_eltwise(1.0f, algorithm::eltwise_relu, 0, 0); primitive_attr at; at.set_post_ops(po);
            auto fpd = convolution_forward::primitive_desc(fd, at, eng);
            auto S = mk(fpd.src_desc()), W = mk(fpd.weights_desc()), B = mk(bd), D = mk(fpd.dst_desc());
            convolution_forward f(fpd);
            double tf = median([&]{ f.execute(s, {{DNNL_ARG_SRC,S},{DNNL_ARG_WEIGHTS,W},{DNNL_ARG_BIAS,B},{DNNL_ARG_DST,D}}); s.wait(); });
            printf("%-14s fwd  %-30s %.4f ms\n", l.n, fpd.impl_info_str(), tf);
            try {
                auto bdd = convolution_backward_data::desc(l.alg, sd, wd, dd, st, pad, pad);
                auto bpd = convolution_backward_data::primitive_desc(bdd, eng, fpd);
                auto dS = mk(bpd.diff_src_desc()), W2 = mk(bpd.weights_desc()), dD = mk(bpd.diff_dst_desc());
                convolution_backward_data b(bpd);
                double tb = median([&]{ b.execute(s, {{DNNL_ARG_DIFF_SRC,dS},{DNNL_ARG_WEIGHTS,W2},{DNNL_ARG_DIFF_DST,dD}}); s.wait(); });
                printf("%-14s bwdd %-30s %.4f ms\n", l.n, bpd.impl_info_str(), tb);
            } catch (error &e) { printf("%s bwdd: %s\n", l.n, e.what()); }
            try {
                auto bwd = convolution_backward_weights::desc(l.alg, sd, wd, bd, dd, st, pad, pad);
                auto bpd = convolution_backward_weights::primitive_desc(bwd, eng, fpd);
                auto S2 = mk(bpd.src_desc()), dW = mk(bpd.diff_weights_desc()), dB = mk(bd), dD = mk(bpd.diff_dst_desc());
                convolution_backward_weights b(bpd);
                double tb = median([&]{ b.execute(s, {{DNNL_ARG_SRC,S2},{DNNL_ARG_DIFF_WEIGHTS,dW},{DNNL_ARG_DIFF_BIAS,dB},{DNNL_ARG_DIFF_DST,dD}}); s.wait(); });
                printf("%-14s bwdw %-30s %.4f ms\n", l.n, bpd.impl_info_str(), tb);
            } catch (error &e) { printf("%s bwdw: %s\n", l.n, e.what()); }
        } catch (error &e) { printf("%s: %s\n", l.n, e.what()); }
    }
    reo("src nhwc->nChw16c", src, tag::nhwc, tag::nChw16c);
    reo("dst nChw16c->nhwc", dst, tag::nChw16c, tag::nhwc);
    reo("dst nhwc->nChw16c", dst, tag::nhwc, tag::nChw16c);
    reo("src nChw16c->nhwc", src, tag::nChw16c, tag::nhwc);
}
