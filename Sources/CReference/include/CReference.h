#ifndef NEBULA_MEMORY_C_REFERENCE_H
#define NEBULA_MEMORY_C_REFERENCE_H

// The benchmark's "physical limit": the smallest correct C allocators for the workloads (a
// bounds-checked bump allocator and an intrusive free list of fixed-size blocks), with the
// workload loops written in C too, compiled with -O2 into the same binary. Each loop touches
// what it allocates (one store, at byte 8 of a 64-byte block so that a free list's link cannot
// make it dead) and returns a checksum, exactly like the Swift workloads.

#include <stddef.h>
#include <stdint.h>

// A reference allocator sized for `max_live` allocations of up to `max_size` bytes, kept
// across rounds like the Swift subjects (its memory is warm after the first round).
typedef struct cref_context cref_context;

// What one run gives: nanoseconds of the timed part, and a checksum of the allocations.
typedef struct {
    uint64_t nanoseconds;
    uintptr_t checksum;
} cref_result;

cref_context *cref_create(size_t max_live, size_t max_size);
void cref_destroy(cref_context *context);

// Each returns 0 when the allocator ran out of room (a sizing bug), else 1.

// W1: `count` allocations of 64 B, then a reset.
int cref_alloc64(cref_context *context, size_t count, cref_result *result);
// W2: `repetitions` × (100 allocations of 64 B, then a reset).
int cref_batch100(cref_context *context, size_t repetitions, cref_result *result);
// W3: `count` × (allocate 64 B from the free list, write, free).
int cref_reuse(cref_context *context, size_t count, cref_result *result);
// W4: `rounds` × (`allocations` of 64 B, then a reset); only the resets are timed, less the
// cost of the clock reads (an empty bracket after each).
int cref_reset_cost(cref_context *context, size_t rounds, size_t allocations, cref_result *result);
// W5: allocations of the given sizes (alignment 16), reset every 1,000.
int cref_mixed(cref_context *context, const size_t *sizes, size_t count, cref_result *result);

#endif
