// Convolutions through oneDNN's C API; see include/tuner_dnnl.h.
#include "tuner_dnnl.h"

#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

// libgomp's, which libdnnl (built with the OpenMP runtime) uses for its threads. The count is the
// calling thread's own setting, so parallel trials each keep theirs.
extern void omp_set_num_threads(int count);
extern int omp_get_max_threads(void);

enum { KIND_FORWARD = 0, KIND_BACKWARD_DATA = 1, KIND_BACKWARD_WEIGHTS = 2 };

typedef struct {
    tuner_conv2d_geometry geometry;
    int64_t kind, activation, hasBias;
} cache_key;

// One primitive ready to run, with the reorder between Keras's filter layout and the one it chose.
typedef struct cache_entry {
    cache_key key;
    dnnl_primitive_t primitive;
    dnnl_memory_desc_t source, destination, userWeights, weights, bias, scratch;
    dnnl_primitive_t reorder;  // NULL when the primitive takes HWIO filters itself
    dnnl_memory_desc_t reorderScratch;
    // Winograd takes activations in a blocked layout: the primitive's source and destination (or
    // output gradient) descriptions and the reorders to them from NHWC (the destination's back to
    // NHWC in the forward pass); NULL reorders when the primitive takes NHWC itself.
    dnnl_memory_desc_t blockedSource, blockedDestination;
    dnnl_primitive_t sourceReorder, destinationReorder;
    dnnl_memory_desc_t sourceReorderScratch, destinationReorderScratch;
    struct cache_entry *next;
} cache_entry;

// Primitives are kept for this many geometries; beyond it they are made for the call and dropped.
#define CACHE_CAPACITY 256

static pthread_mutex_t cacheLock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry *cacheHead = NULL;
static int cacheCount = 0;

static pthread_once_t setupOnce = PTHREAD_ONCE_INIT;
static dnnl_engine_t engine = NULL;
static pthread_key_t stateKey;
static int setupStatus = dnnl_runtime_error;

enum { BUFFER_SCRATCH = 0, BUFFER_WEIGHTS = 1, BUFFER_SOURCE = 2, BUFFER_DESTINATION = 3, BUFFER_KEPT = 4, BUFFERS = 5 };

// What each thread keeps between calls: its stream (a CPU stream is only a handle) and five buffers
// that grow to the largest call so far (oneDNN's scratch memory, the filter in oneDNN's layout,
// Winograd's blocked source and destination, and a kept blocked source), so a training step does not
// map fresh pages on every call. Freed when the thread exits.
//
// The kept source: a forward pass that reorders its input to Winograd's blocked layout can keep that
// copy (BUFFER_KEPT) for the filter gradient of the same step, which reads the same input in the same
// layout (the reorders were a tenth of oneDNN's time in the epoch's profile, docs/convolutions.md).
// It is described by a ticket that is unique in the process (so a ticket from another thread, or
// from an earlier forward pass whose copy was since replaced, never matches), the geometry, the input
// address and the blocked layout; keptTicket is 0 while there is no valid copy.
typedef struct {
    dnnl_stream_t stream;
    void *buffers[BUFFERS];
    size_t sizes[BUFFERS];
    uint64_t keptTicket, keptUses;
    tuner_conv2d_geometry keptGeometry;
    const void *keptInput;
    dnnl_memory_desc_t keptLayout;
} thread_state;

// The last ticket handed out, process-wide.
static _Atomic uint64_t lastTicket = 0;

static void destroyThreadState(void *pointer) {
    thread_state *state = (thread_state *)pointer;
    if (state->stream) dnnl_stream_destroy(state->stream);
    for (int i = 0; i < BUFFERS; i++) free(state->buffers[i]);
    free(state);
}

static void setup(void) {
    if (pthread_key_create(&stateKey, destroyThreadState) != 0) return;
    setupStatus = dnnl_engine_create(&engine, dnnl_cpu, 0);
}

static thread_state *threadState(void) {
    thread_state *state = (thread_state *)pthread_getspecific(stateKey);
    if (state) return state;
    state = calloc(1, sizeof(thread_state));
    if (!state) return NULL;
    if (dnnl_stream_create(&state->stream, engine, dnnl_stream_default_flags) != dnnl_success) {
        free(state);
        return NULL;
    }
    if (pthread_setspecific(stateKey, state) != 0) {
        destroyThreadState(state);
        return NULL;
    }
    return state;
}

// The thread's buffer `index` with room for `bytes` (64-byte aligned), or NULL when it cannot grow.
static void *threadBuffer(thread_state *state, int index, size_t bytes) {
    if (bytes == 0) return NULL;
    if (state->sizes[index] < bytes) {
        size_t rounded = (bytes + 4095) / 4096 * 4096;
        void *grown = aligned_alloc(64, rounded);
        if (!grown) return NULL;
        free(state->buffers[index]);
        state->buffers[index] = grown;
        state->sizes[index] = rounded;
    }
    return state->buffers[index];
}

static void destroyEntry(cache_entry *entry) {
    if (!entry) return;
    if (entry->primitive) dnnl_primitive_destroy(entry->primitive);
    if (entry->reorder) dnnl_primitive_destroy(entry->reorder);
    if (entry->sourceReorder) dnnl_primitive_destroy(entry->sourceReorder);
    if (entry->destinationReorder) dnnl_primitive_destroy(entry->destinationReorder);
    free(entry);
}

static dnnl_status_t makeAttributes(dnnl_primitive_attr_t *attributes, int64_t activation) {
    dnnl_status_t status = dnnl_primitive_attr_create(attributes);
    if (status != dnnl_success) return status;
    // Scratch memory comes with each call, so concurrent calls never share it.
    status = dnnl_primitive_attr_set_scratchpad_mode(*attributes, dnnl_scratchpad_mode_user);
    if (status != dnnl_success || activation == TUNER_DNNL_IDENTITY) return status;
    dnnl_alg_kind_t algorithm = activation == TUNER_DNNL_RELU      ? dnnl_eltwise_relu
                                : activation == TUNER_DNNL_SIGMOID ? dnnl_eltwise_logistic
                                                                   : dnnl_eltwise_tanh;
    dnnl_post_ops_t postOps;
    status = dnnl_post_ops_create(&postOps);
    if (status != dnnl_success) return status;
    status = dnnl_post_ops_append_eltwise(postOps, 1.0f, algorithm, 0.0f, 0.0f);
    if (status == dnnl_success) status = dnnl_primitive_attr_set_post_ops(*attributes, postOps);
    dnnl_post_ops_destroy(postOps);
    return status;
}

// A reorder primitive from `from` to `to` and its scratch description.
static dnnl_status_t makeReorder(const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to,
                                 dnnl_primitive_t *reorder, dnnl_memory_desc_t *scratch) {
    dnnl_primitive_attr_t attributes = NULL;
    dnnl_status_t status = makeAttributes(&attributes, TUNER_DNNL_IDENTITY);
    dnnl_primitive_desc_t descriptor = NULL;
    if (status == dnnl_success)
        status = dnnl_reorder_primitive_desc_create(&descriptor, from, engine, to, engine, attributes);
    if (status == dnnl_success) {
        *scratch = *dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0);
        status = dnnl_primitive_create(reorder, descriptor);
    }
    if (descriptor) dnnl_primitive_desc_destroy(descriptor);
    if (attributes) dnnl_primitive_attr_destroy(attributes);
    return status;
}

// `blockedGradient` (direct backward weights with the bias gradient, on a one-channel input only): the
// output gradient in the layout oneDNN picks (reordered from NHWC inside the call) and the input
// described as NCHW, which is the same memory as NHWC for one channel; see makeEntry.
static dnnl_status_t makeEntryWith(const cache_key *key, dnnl_alg_kind_t algorithm, int blockedGradient,
                                   cache_entry **result) {
    const tuner_conv2d_geometry *g = &key->geometry;
    int winograd = algorithm == dnnl_convolution_winograd;
    if (blockedGradient && (winograd || key->kind != KIND_BACKWARD_WEIGHTS || g->inputChannels != 1 || !key->hasBias))
        return dnnl_unimplemented;
    cache_entry *entry = calloc(1, sizeof(cache_entry));
    if (!entry) return dnnl_out_of_memory;
    entry->key = *key;
    dnnl_dims_t sourceDims = {g->batch, g->inputChannels, g->inputHeight, g->inputWidth};
    dnnl_dims_t destinationDims = {g->batch, g->outputChannels, g->outputHeight, g->outputWidth};
    dnnl_dims_t weightDims = {g->outputChannels, g->inputChannels, g->kernelHeight, g->kernelWidth};
    dnnl_dims_t biasDims = {g->outputChannels};
    dnnl_dims_t strides = {g->strideHeight, g->strideWidth};
    dnnl_dims_t dilations = {g->dilationHeight - 1, g->dilationWidth - 1};
    dnnl_dims_t padBefore = {g->padTop, g->padLeft}, padAfter = {g->padBottom, g->padRight};
    dnnl_memory_desc_t anyWeights, anySource, anyDestination;
    dnnl_status_t status =
        dnnl_memory_desc_init_by_tag(&entry->source, 4, sourceDims, dnnl_f32, blockedGradient ? dnnl_nchw : dnnl_nhwc);
    if (status == dnnl_success)
        status = dnnl_memory_desc_init_by_tag(&entry->destination, 4, destinationDims, dnnl_f32, dnnl_nhwc);
    if (status == dnnl_success)
        status = dnnl_memory_desc_init_by_tag(&entry->userWeights, 4, weightDims, dnnl_f32, dnnl_hwio);
    if (status == dnnl_success)
        status = dnnl_memory_desc_init_by_tag(&anyWeights, 4, weightDims, dnnl_f32, dnnl_format_tag_any);
    if (status == dnnl_success) status = dnnl_memory_desc_init_by_tag(&entry->bias, 1, biasDims, dnnl_f32, dnnl_x);
    if (status == dnnl_success)
        status = dnnl_memory_desc_init_by_tag(&anySource, 4, sourceDims, dnnl_f32, dnnl_format_tag_any);
    if (status == dnnl_success)
        status = dnnl_memory_desc_init_by_tag(&anyDestination, 4, destinationDims, dnnl_f32, dnnl_format_tag_any);
    const dnnl_memory_desc_t *bias = key->hasBias ? &entry->bias : NULL;
    // Direct convolutions take NHWC as it is; Winograd chooses its layout (and so does the output
    // gradient of a blockedGradient entry).
    const dnnl_memory_desc_t *source = winograd ? &anySource : &entry->source;
    const dnnl_memory_desc_t *destination = winograd || blockedGradient ? &anyDestination : &entry->destination;

    dnnl_primitive_attr_t attributes = NULL, forwardAttributes = NULL;
    dnnl_primitive_desc_t forward = NULL, descriptor = NULL;
    dnnl_convolution_desc_t forwardOp, op;
    if (status == dnnl_success)
        status = dnnl_dilated_convolution_forward_desc_init(
            &forwardOp, dnnl_forward_training, algorithm, source, &anyWeights, bias, destination, strides,
            dilations, padBefore, padAfter);
    if (status == dnnl_success)
        status = makeAttributes(&forwardAttributes, key->kind == KIND_FORWARD ? key->activation : TUNER_DNNL_IDENTITY);
    if (status == dnnl_success) status = dnnl_primitive_desc_create(&forward, &forwardOp, forwardAttributes, engine, NULL);
    if (status == dnnl_success && key->kind != KIND_FORWARD) {
        if (key->kind == KIND_BACKWARD_DATA)
            status = dnnl_dilated_convolution_backward_data_desc_init(
                &op, algorithm, source, &anyWeights, destination, strides, dilations, padBefore, padAfter);
        else
            status = dnnl_dilated_convolution_backward_weights_desc_init(
                &op, algorithm, source, &anyWeights, bias, destination, strides, dilations, padBefore, padAfter);
        if (status == dnnl_success) status = makeAttributes(&attributes, TUNER_DNNL_IDENTITY);
        if (status == dnnl_success) status = dnnl_primitive_desc_create(&descriptor, &op, attributes, engine, forward);
    }
    const_dnnl_primitive_desc_t chosen = key->kind == KIND_FORWARD ? forward : descriptor;
    if (status == dnnl_success) {
        entry->weights = *dnnl_primitive_desc_query_md(
            chosen, key->kind == KIND_BACKWARD_WEIGHTS ? dnnl_query_diff_weights_md : dnnl_query_weights_md, 0);
        entry->scratch = *dnnl_primitive_desc_query_md(chosen, dnnl_query_scratchpad_md, 0);
        entry->blockedSource = *dnnl_primitive_desc_query_md(
            chosen, key->kind == KIND_BACKWARD_DATA ? dnnl_query_diff_src_md : dnnl_query_src_md, 0);
        entry->blockedDestination = *dnnl_primitive_desc_query_md(
            chosen, key->kind == KIND_FORWARD ? dnnl_query_dst_md : dnnl_query_diff_dst_md, 0);
        // A blockedGradient entry is only worth it on a JIT kernel: oneDNN's reference loops are
        // hundreds of times slower than the NHWC kernel it replaces.
        if (blockedGradient) {
            const char *name = NULL;
            if (dnnl_primitive_desc_query(chosen, dnnl_query_impl_info_str, 0, &name) != dnnl_success || !name ||
                strncmp(name, "ref", 3) == 0)
                status = dnnl_unimplemented;
        }
        if (status == dnnl_success) status = dnnl_primitive_create(&entry->primitive, chosen);
    }
    // Backward data (never Winograd here) writes the input gradient: its source must be NHWC.
    if (status == dnnl_success && key->kind == KIND_BACKWARD_DATA &&
        !(dnnl_memory_desc_equal(&entry->blockedSource, &entry->source) &&
          dnnl_memory_desc_equal(&entry->blockedDestination, &entry->destination)))
        status = dnnl_unimplemented;
    if (status == dnnl_success && key->kind != KIND_BACKWARD_DATA &&
        !dnnl_memory_desc_equal(&entry->blockedSource, &entry->source))
        status = makeReorder(&entry->source, &entry->blockedSource, &entry->sourceReorder,
                             &entry->sourceReorderScratch);
    if (status == dnnl_success && key->kind != KIND_BACKWARD_DATA &&
        !dnnl_memory_desc_equal(&entry->blockedDestination, &entry->destination)) {
        if (key->kind == KIND_FORWARD)
            status = makeReorder(&entry->blockedDestination, &entry->destination, &entry->destinationReorder,
                                 &entry->destinationReorderScratch);
        else
            status = makeReorder(&entry->destination, &entry->blockedDestination, &entry->destinationReorder,
                                 &entry->destinationReorderScratch);
    }
    if (status == dnnl_success && !dnnl_memory_desc_equal(&entry->weights, &entry->userWeights)) {
        if (key->kind == KIND_BACKWARD_WEIGHTS)
            status = makeReorder(&entry->weights, &entry->userWeights, &entry->reorder, &entry->reorderScratch);
        else
            status = makeReorder(&entry->userWeights, &entry->weights, &entry->reorder, &entry->reorderScratch);
    }
    if (descriptor) dnnl_primitive_desc_destroy(descriptor);
    if (forward) dnnl_primitive_desc_destroy(forward);
    if (attributes) dnnl_primitive_attr_destroy(attributes);
    if (forwardAttributes) dnnl_primitive_attr_destroy(forwardAttributes);
    if (status != dnnl_success) {
        destroyEntry(entry);
        return status;
    }
    *result = entry;
    return dnnl_success;
}

// Winograd F(4x4, 3x3) for 3x3 filters at stride 1 (oneDNN has it for AVX-512 with channel counts
// that are multiples of 16) in the forward pass and the filter gradient: about half the multiplies
// of a direct convolution, and measured 1.5-2x faster on the CNN's second layer even with the
// activations reordered to its blocked layout and back. Everything else, and every shape Winograd
// declines, is a direct convolution on NHWC.
//
// The fused filter-and-bias gradient of a convolution of a one-channel input (the CNN's first layer)
// reads the output gradient in oneDNN's blocked layout (nChw16c here) rather than NHWC: on NHWC,
// oneDNN's kernel takes 0.22-0.25 ms with the bias gradient against 0.08-0.10 ms without it, on the
// blocked layout 0.14 ms with it, the reorder from NHWC included (docs/convolutions.md, "Fourth
// pass"). Without a bias gradient NHWC stays faster, and so does the forward pass (on a blocked
// output oneDNN takes about as long once the output is reordered back).
static dnnl_status_t makeEntry(const cache_key *key, cache_entry **result) {
    const tuner_conv2d_geometry *g = &key->geometry;
    if (key->kind != KIND_BACKWARD_DATA && g->kernelHeight == 3 && g->kernelWidth == 3 && g->strideHeight == 1 &&
        g->strideWidth == 1 && g->dilationHeight == 1 && g->dilationWidth == 1 && g->inputChannels % 16 == 0 &&
        g->outputChannels % 16 == 0 && makeEntryWith(key, dnnl_convolution_winograd, 0, result) == dnnl_success)
        return dnnl_success;
    if (key->kind == KIND_BACKWARD_WEIGHTS && g->inputChannels == 1 && key->hasBias &&
        makeEntryWith(key, dnnl_convolution_direct, 1, result) == dnnl_success)
        return dnnl_success;
    return makeEntryWith(key, dnnl_convolution_direct, 0, result);
}

// The cached entry for `key`, made on first use. `*owned` is set when the entry was not cached and
// the caller must destroy it.
static dnnl_status_t findEntry(const cache_key *key, cache_entry **result, int *owned) {
    *owned = 0;
    pthread_mutex_lock(&cacheLock);
    for (cache_entry *entry = cacheHead; entry; entry = entry->next) {
        if (memcmp(&entry->key, key, sizeof(cache_key)) == 0) {
            pthread_mutex_unlock(&cacheLock);
            *result = entry;
            return dnnl_success;
        }
    }
    pthread_mutex_unlock(&cacheLock);
    // Made outside the lock (it can take milliseconds); a thread that made the same one first wins.
    cache_entry *made = NULL;
    dnnl_status_t status = makeEntry(key, &made);
    if (status != dnnl_success) return status;
    pthread_mutex_lock(&cacheLock);
    for (cache_entry *entry = cacheHead; entry; entry = entry->next) {
        if (memcmp(&entry->key, key, sizeof(cache_key)) == 0) {
            pthread_mutex_unlock(&cacheLock);
            destroyEntry(made);
            *result = entry;
            return dnnl_success;
        }
    }
    if (cacheCount < CACHE_CAPACITY) {
        made->next = cacheHead;
        cacheHead = made;
        cacheCount += 1;
    } else {
        *owned = 1;
    }
    pthread_mutex_unlock(&cacheLock);
    *result = made;
    return dnnl_success;
}

// Runs `primitive` on `count` (argument, description, pointer) triples plus its scratch memory.
typedef struct {
    int argument;
    const dnnl_memory_desc_t *description;
    void *pointer;
} argument_t;

static dnnl_status_t execute(dnnl_primitive_t primitive, const dnnl_memory_desc_t *scratch, argument_t *arguments,
                             int count, thread_state *state) {
    dnnl_exec_arg_t execArguments[6];
    dnnl_memory_t memories[6] = {NULL};
    dnnl_status_t status = dnnl_success;
    size_t scratchBytes = dnnl_memory_desc_get_size(scratch);
    void *scratchMemory = threadBuffer(state, BUFFER_SCRATCH, scratchBytes);
    if (scratchBytes > 0 && !scratchMemory) return dnnl_out_of_memory;
    int used = 0;
    for (int i = 0; i < count && status == dnnl_success; i++) {
        status = dnnl_memory_create(&memories[used], arguments[i].description, engine, arguments[i].pointer);
        execArguments[used].arg = arguments[i].argument;
        execArguments[used].memory = memories[used];
        if (status == dnnl_success) used += 1;
    }
    if (status == dnnl_success && scratchBytes > 0) {
        status = dnnl_memory_create(&memories[used], scratch, engine, scratchMemory);
        execArguments[used].arg = DNNL_ARG_SCRATCHPAD;
        execArguments[used].memory = memories[used];
        if (status == dnnl_success) used += 1;
    }
    if (status == dnnl_success) status = dnnl_primitive_execute(primitive, state->stream, used, execArguments);
    if (status == dnnl_success) status = dnnl_stream_wait(state->stream);
    for (int i = 0; i < used; i++) dnnl_memory_destroy(memories[i]);
    return status;
}

// Whether the thread's kept source is the one `ticket` names, for this input and geometry, in `layout`.
static int keptSourceMatches(const thread_state *state, uint64_t ticket, const tuner_conv2d_geometry *geometry,
                             const void *input, const dnnl_memory_desc_t *layout) {
    return ticket != 0 && state->keptTicket == ticket && state->keptInput == input &&
           memcmp(&state->keptGeometry, geometry, sizeof *geometry) == 0 &&
           dnnl_memory_desc_equal(&state->keptLayout, layout);
}

// `keepSource` (forward only): where to write the ticket of the kept blocked source, or NULL.
// `keptSource` (backward weights only): a ticket from a forward pass, or 0.
static dnnl_status_t run(int64_t kind, const tuner_conv2d_geometry *geometry, int64_t activation, int hasBias,
                         const float *first, const float *second, const float *bias, float *output,
                         float *biasGradient, int threads, uint64_t *keepSource, uint64_t keptSource) {
    if (keepSource) *keepSource = 0;
    pthread_once(&setupOnce, setup);
    if (setupStatus != dnnl_success) return setupStatus;
    thread_state *state = threadState();
    if (!state) return dnnl_out_of_memory;
    if (threads < 1) threads = 1;
    if (omp_get_max_threads() != threads) omp_set_num_threads(threads);

    cache_key key;
    memset(&key, 0, sizeof key);
    key.geometry = *geometry;
    key.kind = kind;
    key.activation = activation;
    key.hasBias = hasBias;
    cache_entry *entry = NULL;
    int owned = 0;
    dnnl_status_t status = findEntry(&key, &entry, &owned);
    if (status != dnnl_success) return status;

    // The filter in the primitive's layout when it is not HWIO.
    void *weights = NULL;
    if (entry->reorder) {
        weights = threadBuffer(state, BUFFER_WEIGHTS, dnnl_memory_desc_get_size(&entry->weights));
        if (!weights) status = dnnl_out_of_memory;
    }
    if (status == dnnl_success && entry->reorder && kind != KIND_BACKWARD_WEIGHTS) {
        argument_t reorderArguments[] = {
            {DNNL_ARG_FROM, &entry->userWeights, (void *)second},
            {DNNL_ARG_TO, &entry->weights, weights},
        };
        status = execute(entry->reorder, &entry->reorderScratch, reorderArguments, 2, state);
    }
    // The source (and the output gradient) in Winograd's layout: the kept copy when the filter
    // gradient has a valid one, a copy to keep when the forward pass is asked to keep it.
    void *blockedSource = (void *)first, *blockedDestination = kind == KIND_FORWARD ? (void *)output : (void *)second;
    if (status == dnnl_success && entry->sourceReorder && kind == KIND_BACKWARD_WEIGHTS &&
        keptSourceMatches(state, keptSource, geometry, first, &entry->blockedSource)) {
        blockedSource = state->buffers[BUFFER_KEPT];
        state->keptUses += 1;
    } else if (status == dnnl_success && entry->sourceReorder) {
        int keeping = kind == KIND_FORWARD && keepSource != NULL;
        // The copy kept before is overwritten (or its buffer moved) from here on: invalid until the
        // reorder below has succeeded.
        if (keeping) state->keptTicket = 0;
        blockedSource = threadBuffer(state, keeping ? BUFFER_KEPT : BUFFER_SOURCE,
                                     dnnl_memory_desc_get_size(&entry->blockedSource));
        if (!blockedSource) status = dnnl_out_of_memory;
        argument_t reorderArguments[] = {
            {DNNL_ARG_FROM, &entry->source, (void *)first},
            {DNNL_ARG_TO, &entry->blockedSource, blockedSource},
        };
        if (status == dnnl_success)
            status = execute(entry->sourceReorder, &entry->sourceReorderScratch, reorderArguments, 2, state);
        if (status == dnnl_success && keeping) {
            state->keptTicket = atomic_fetch_add(&lastTicket, 1) + 1;
            state->keptGeometry = *geometry;
            state->keptInput = first;
            state->keptLayout = entry->blockedSource;
            *keepSource = state->keptTicket;
        }
    }
    if (status == dnnl_success && entry->destinationReorder) {
        blockedDestination = threadBuffer(state, BUFFER_DESTINATION, dnnl_memory_desc_get_size(&entry->blockedDestination));
        if (!blockedDestination) status = dnnl_out_of_memory;
        if (status == dnnl_success && kind == KIND_BACKWARD_WEIGHTS) {
            argument_t reorderArguments[] = {
                {DNNL_ARG_FROM, &entry->destination, (void *)second},
                {DNNL_ARG_TO, &entry->blockedDestination, blockedDestination},
            };
            status = execute(entry->destinationReorder, &entry->destinationReorderScratch, reorderArguments, 2, state);
        }
    }
    if (status == dnnl_success) {
        if (kind == KIND_FORWARD) {
            argument_t arguments[] = {
                {DNNL_ARG_SRC, &entry->blockedSource, blockedSource},
                {DNNL_ARG_WEIGHTS, &entry->weights, entry->reorder ? weights : (void *)second},
                {DNNL_ARG_DST, &entry->blockedDestination, blockedDestination},
                {DNNL_ARG_BIAS, &entry->bias, (void *)bias},
            };
            status = execute(entry->primitive, &entry->scratch, arguments, hasBias ? 4 : 3, state);
            if (status == dnnl_success && entry->destinationReorder) {
                argument_t reorderArguments[] = {
                    {DNNL_ARG_FROM, &entry->blockedDestination, blockedDestination},
                    {DNNL_ARG_TO, &entry->destination, output},
                };
                status = execute(entry->destinationReorder, &entry->destinationReorderScratch, reorderArguments, 2,
                                 state);
            }
        } else if (kind == KIND_BACKWARD_DATA) {
            argument_t arguments[] = {
                {DNNL_ARG_DIFF_DST, &entry->destination, (void *)first},
                {DNNL_ARG_WEIGHTS, &entry->weights, entry->reorder ? weights : (void *)second},
                {DNNL_ARG_DIFF_SRC, &entry->source, output},
            };
            status = execute(entry->primitive, &entry->scratch, arguments, 3, state);
        } else {
            argument_t arguments[] = {
                {DNNL_ARG_SRC, &entry->blockedSource, blockedSource},
                {DNNL_ARG_DIFF_DST, &entry->blockedDestination, blockedDestination},
                {DNNL_ARG_DIFF_WEIGHTS, &entry->weights, entry->reorder ? weights : output},
                {DNNL_ARG_DIFF_BIAS, &entry->bias, biasGradient},
            };
            status = execute(entry->primitive, &entry->scratch, arguments, hasBias ? 4 : 3, state);
            if (status == dnnl_success && entry->reorder) {
                argument_t reorderArguments[] = {
                    {DNNL_ARG_FROM, &entry->weights, weights},
                    {DNNL_ARG_TO, &entry->userWeights, output},
                };
                status = execute(entry->reorder, &entry->reorderScratch, reorderArguments, 2, state);
            }
        }
    }
    if (owned) destroyEntry(entry);
    // A forward pass that failed after keeping hands out no ticket (the copy stays valid for nobody).
    if (status != dnnl_success && keepSource) *keepSource = 0;
    return status;
}

int tuner_dnnl_conv2d_forward(const tuner_conv2d_geometry *geometry, const float *input, const float *filter,
                              const float *bias, int activation, float *output, int threads, uint64_t *keptSource) {
    if (activation < TUNER_DNNL_IDENTITY || activation > TUNER_DNNL_TANH) {
        if (keptSource) *keptSource = 0;
        return dnnl_invalid_arguments;
    }
    return run(KIND_FORWARD, geometry, activation, bias != NULL, input, filter, bias, output, NULL, threads,
               keptSource, 0);
}

int tuner_dnnl_conv2d_backward_data(const tuner_conv2d_geometry *geometry, const float *outputGradient,
                                    const float *filter, float *inputGradient, int threads) {
    return run(KIND_BACKWARD_DATA, geometry, TUNER_DNNL_IDENTITY, 0, outputGradient, filter, NULL, inputGradient,
               NULL, threads, NULL, 0);
}

int tuner_dnnl_conv2d_backward_weights(const tuner_conv2d_geometry *geometry, const float *input,
                                       const float *outputGradient, float *filterGradient, float *biasGradient,
                                       int threads, uint64_t keptSource) {
    return run(KIND_BACKWARD_WEIGHTS, geometry, TUNER_DNNL_IDENTITY, biasGradient != NULL, input, outputGradient,
               NULL, filterGradient, biasGradient, threads, NULL, keptSource);
}

uint64_t tuner_dnnl_kept_source_uses(void) {
    pthread_once(&setupOnce, setup);
    if (setupStatus != dnnl_success) return 0;
    thread_state *state = threadState();
    return state ? state->keptUses : 0;
}
