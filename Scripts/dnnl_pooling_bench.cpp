// The CNN's two 2x2 stride-2 poolings (NHWC, f32, batch 32, one thread) on oneDNN's pooling primitive
// (inference forward, training forward with its workspace, backward) and on CPooling's loops (forward
// without and with positions, backward): median ms of 41 calls after 5 warm-ups, buffers allocated
// once. docs/convolutions.md, "Pooling". From the repository root:
//   clang -O2 -c Sources/CPooling/pooling.c -I Sources/CPooling/include -o /tmp/pooling.o
//   g++ -O2 Scripts/dnnl_pooling_bench.cpp /tmp/pooling.o -I Sources/CPooling/include -ldnnl -fopenmp \
//     -o /tmp/dnnl_pooling_bench && /tmp/dnnl_pooling_bench
#include <oneapi/dnnl/dnnl.hpp>
extern "C" {
#include "tuner_pooling.h"
}
#include <omp.h>
#include "bench_median.hpp"
#include <chrono>
#include <algorithm>
#include <vector>
#include <cstdio>
#include <cstdlib>
using namespace dnnl;
int main() {
    omp_set_num_threads(1);
    engine eng(engine::kind::cpu, 0); stream s(eng);
    int shapes[2][4] = {{32, 26, 26, 32}, {32, 11, 11, 64}};
    for (auto &sh : shapes) for (int avg = 0; avg < 2; ++avg) {
        memory::dim N = sh[0], H = sh[1], W = sh[2], C = sh[3], OH = H / 2, OW = W / 2;
        memory::desc src({N, C, H, W}, memory::data_type::f32, memory::format_tag::nhwc);
        memory::desc dst({N, C, OH, OW}, memory::data_type::f32, memory::format_tag::nhwc);
        auto alg = avg ? algorithm::pooling_avg_exclude_padding : algorithm::pooling_max;
        pooling_forward::desc fd(prop_kind::forward_training, alg, src, dst, {2, 2}, {2, 2}, {0, 0}, {0, 0});
        pooling_forward::primitive_desc fpd(fd, eng);
        pooling_backward::desc bd(alg, src, dst, {2, 2}, {2, 2}, {0, 0}, {0, 0});
        pooling_backward::primitive_desc bpd(bd, eng, fpd);
        memory x(src, eng), y(dst, eng), dy(dst, eng), dx(src, eng), ws(fpd.workspace_desc(), eng);
        float *px = (float *)x.get_data_handle(); for (long i = 0; i < N * H * W * C; ++i) px[i] = (float)rand() / (float)RAND_MAX * 2 - 1;
        float *pdy = (float *)dy.get_data_handle(); for (long i = 0; i < N * OH * OW * C; ++i) pdy[i] = 1;
        pooling_forward f(fpd); pooling_backward b(bpd);
        double tf = median([&] { f.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}, {DNNL_ARG_WORKSPACE, ws}}); s.wait(); });
        pooling_forward::desc id(prop_kind::forward_inference, alg, src, dst, {2, 2}, {2, 2}, {0, 0}, {0, 0});
        pooling_forward inf(pooling_forward::primitive_desc(id, eng));
        double ti = median([&] { inf.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}}); s.wait(); });
        double tb = median([&] { b.execute(s, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}, {DNNL_ARG_WORKSPACE, ws}}); s.wait(); });
        printf("oneDNN %s %ldx%ldx%ld (%s): inference %.4f ms, training forward %.4f ms, backward %.4f ms\n",
               avg ? "avg" : "max", (long)H, (long)W, (long)C, fpd.impl_info_str(), ti, tf, tb);
        tuner_pool2_geometry g = {N, H, W, C, OH, OW};
        float *py = (float *)y.get_data_handle(), *pdx = (float *)dx.get_data_handle();
        std::vector<uint8_t> positions(N * OH * OW * C);
        if (avg) {
            double f = median([&] { tuner_avg_pool2_forward(&g, px, py); });
            double b = median([&] { tuner_avg_pool2_backward(&g, pdy, pdx); });
            printf("CPooling avg %ldx%ldx%ld: forward %.4f ms, backward %.4f ms\n", (long)H, (long)W, (long)C, f, b);
        } else {
            double f = median([&] { tuner_max_pool2_forward(&g, px, py, nullptr); });
            double fp = median([&] { tuner_max_pool2_forward(&g, px, py, positions.data()); });
            double b = median([&] { tuner_max_pool2_backward(&g, pdy, positions.data(), pdx); });
            printf("CPooling max %ldx%ldx%ld: forward %.4f ms, with positions %.4f ms, backward %.4f ms\n",
                   (long)H, (long)W, (long)C, f, fp, b);
        }
    }
}
