// The timing rule of the hand-built C++ benchmarks in Scripts/ (dnnl_pooling_bench.cpp,
// dnnl_conv_layouts_bench.cpp, dnnl_first_layer_gradient_bench.cpp): the median ms of 41 calls of `f` after 5 warm-up calls.
#pragma once
#include <algorithm>
#include <chrono>
#include <vector>

template <class F> double median(F f) {
    for (int i = 0; i < 5; ++i) f();
    std::vector<double> t;
    for (int i = 0; i < 41; ++i) {
        auto a = std::chrono::steady_clock::now(); f();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end()); return t[20];
}
