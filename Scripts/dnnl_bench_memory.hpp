// What the hand-built oneDNN benchmarks in Scripts/ (dnnl_conv_layouts_bench.cpp,
// dnnl_first_layer_gradient_bench.cpp) share: one CPU engine and stream, and `mk`, a memory of a
// descriptor filled with values in [-1, 1).
#pragma once
#include <oneapi/dnnl/dnnl.hpp>
#include <cstdlib>

static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
static dnnl::stream s(eng);

inline dnnl::memory mk(const dnnl::memory::desc &d) {
    dnnl::memory m(d, eng);
    float *p = (float *)m.get_data_handle();
    size_t n = d.get_size() / 4;
    for (size_t i = 0; i < n; i++) p[i] = (rand() % 200 - 100) / 100.0f;
    return m;
}
