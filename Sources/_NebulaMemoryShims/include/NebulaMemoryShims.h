#ifndef NEBULA_MEMORY_SHIMS_H
#define NEBULA_MEMORY_SHIMS_H

#include <stddef.h>
#include <stdint.h>

// A small per-thread index for the thread-safe allocators: each allocator keeps one slot
// (a private allocation buffer or block cache) per index, so a thread's fast path touches no
// shared cache line and takes no lock. Indices are unique among live threads and are recycled
// when a thread exits; a thread that finds all NM_THREAD_SLOTS indices taken gets
// NM_THREAD_SLOTS and uses the allocators' shared, synchronized path.

#define NM_THREAD_SLOTS 64

// The calling thread's index plus one; 0 until assigned. Read through nm_thread_index().
extern _Thread_local int32_t nm_thread_index_plus_one;

// Assigns the calling thread an index (once per thread).
int32_t nm_thread_index_assign(void);

// The calling thread's slot index in 0...NM_THREAD_SLOTS.
static inline int32_t nm_thread_index(void) {
    int32_t value = nm_thread_index_plus_one;
    return value != 0 ? value - 1 : nm_thread_index_assign();
}

// Sets `count` bytes at `pointer` to zero in a way the optimizer cannot remove as a dead
// store: the empty asm statement claims to read the memory through `pointer`.
void nm_secure_zero(void *pointer, size_t count);

#endif
