#include "CReference.h"

#include <stdlib.h>
#include <time.h>

typedef struct {
    char *base;
    char *cursor;
    char *limit;
} cref_bump;

typedef struct cref_node {
    struct cref_node *next;
} cref_node;

typedef struct {
    char *slab;
    cref_node *free;
    size_t untouched;
    size_t count;
    size_t stride;
} cref_freelist;

struct cref_context {
    cref_bump bump;
    cref_freelist list;
};

static inline uint64_t now(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

// Returns NULL when the request does not fit. `alignment` is a power of two.
static inline void *bump_alloc(cref_bump *bump, size_t size, size_t alignment) {
    uintptr_t start = ((uintptr_t)bump->cursor + alignment - 1) & ~(uintptr_t)(alignment - 1);
    if (start > (uintptr_t)bump->limit || size > (uintptr_t)bump->limit - start) {
        return NULL;
    }
    bump->cursor = (char *)(start + size);
    return (void *)start;
}

static inline void bump_reset(cref_bump *bump) {
    bump->cursor = bump->base;
}

// Returns NULL when every block is in use.
static inline void *list_alloc(cref_freelist *list) {
    cref_node *node = list->free;
    if (node != NULL) {
        list->free = node->next;
        return node;
    }
    if (list->untouched < list->count) {
        return list->slab + list->stride * list->untouched++;
    }
    return NULL;
}

static inline void list_free(cref_freelist *list, void *block) {
    cref_node *node = (cref_node *)block;
    node->next = list->free;
    list->free = node;
}

cref_context *cref_create(size_t max_live, size_t max_size) {
    cref_context *context = calloc(1, sizeof(cref_context));
    if (context == NULL) return NULL;
    size_t bytes = max_live * max_size + 4096;
    size_t stride = max_size < sizeof(cref_node) ? sizeof(cref_node) : max_size;
    stride = (stride + 15) & ~(size_t)15;
    context->bump.base = malloc(bytes);
    context->bump.cursor = context->bump.base;
    context->bump.limit = context->bump.base + bytes;
    context->list.slab = malloc(stride * max_live);
    context->list.count = max_live;
    context->list.stride = stride;
    if (context->bump.base == NULL || context->list.slab == NULL) {
        cref_destroy(context);
        return NULL;
    }
    return context;
}

void cref_destroy(cref_context *context) {
    if (context == NULL) return;
    free(context->bump.base);
    free(context->list.slab);
    free(context);
}

int cref_alloc64(cref_context *context, size_t count, cref_result *result) {
    uintptr_t checksum = 0;
    uint64_t start = now();
    for (size_t i = 0; i < count; i++) {
        size_t *p = bump_alloc(&context->bump, 64, 8);
        if (p == NULL) return 0;
        p[1] = i;
        checksum += (uintptr_t)p;
    }
    bump_reset(&context->bump);
    result->nanoseconds = now() - start;
    result->checksum = checksum;
    return 1;
}

int cref_batch100(cref_context *context, size_t repetitions, cref_result *result) {
    uintptr_t checksum = 0;
    uint64_t start = now();
    for (size_t r = 0; r < repetitions; r++) {
        for (size_t i = 0; i < 100; i++) {
            size_t *p = bump_alloc(&context->bump, 64, 8);
            if (p == NULL) return 0;
            p[1] = i;
            checksum += (uintptr_t)p;
        }
        bump_reset(&context->bump);
    }
    result->nanoseconds = now() - start;
    result->checksum = checksum;
    return 1;
}

int cref_reuse(cref_context *context, size_t count, cref_result *result) {
    uintptr_t checksum = 0;
    uint64_t start = now();
    for (size_t i = 0; i < count; i++) {
        size_t *p = list_alloc(&context->list);
        if (p == NULL) return 0;
        p[1] = i;
        checksum += (uintptr_t)p;
        list_free(&context->list, p);
    }
    result->nanoseconds = now() - start;
    result->checksum = checksum;
    return 1;
}

int cref_reset_cost(cref_context *context, size_t rounds, size_t allocations, cref_result *result) {
    uintptr_t checksum = 0;
    uint64_t timed = 0;
    uint64_t empty = 0;
    for (size_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < allocations; i++) {
            size_t *p = bump_alloc(&context->bump, 64, 8);
            if (p == NULL) return 0;
            p[1] = i;
            checksum += (uintptr_t)p;
        }
        uint64_t t0 = now();
        bump_reset(&context->bump);
        uint64_t t1 = now();
        uint64_t t2 = now();
        timed += t1 - t0;
        empty += t2 - t1;
    }
    result->nanoseconds = timed > empty ? timed - empty : 0;
    result->checksum = checksum;
    return 1;
}

int cref_mixed(cref_context *context, const size_t *sizes, size_t count, cref_result *result) {
    uintptr_t checksum = 0;
    size_t live = 0;
    uint64_t start = now();
    for (size_t i = 0; i < count; i++) {
        size_t *p = bump_alloc(&context->bump, sizes[i], 16);
        if (p == NULL) return 0;
        *p = live;
        checksum += (uintptr_t)p;
        if (++live == 1000) {
            bump_reset(&context->bump);
            live = 0;
        }
    }
    bump_reset(&context->bump);
    result->nanoseconds = now() - start;
    result->checksum = checksum;
    return 1;
}
