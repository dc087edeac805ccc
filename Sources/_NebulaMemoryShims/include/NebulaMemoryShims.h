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

// Threads that hold an index now.
int32_t nm_thread_count(void);

// Called on a thread that exits while holding an index, before the index is given back: the
// budgets return the stocks that thread kept. Set once; NULL for none.
typedef void (*nm_thread_exit_hook)(int32_t index);
void nm_set_thread_exit_hook(nm_thread_exit_hook hook);

// Orders the compiler only: no instruction is emitted. The budgets' per-thread stocks pair it
// with nm_heavy_barrier on the rare side (an asymmetric fence), so their fast path needs none.
static inline void nm_compiler_barrier(void) {
    __asm__ __volatile__("" : : : "memory");
}

// A full memory barrier on every running thread of the process (Linux membarrier,
// private expedited). Returns 0 when done; -1 when the kernel does not offer it, and then
// callers must not rely on it (the budgets then charge exactly, with no stocks).
int nm_heavy_barrier(void);

// Whether nm_heavy_barrier works here: 1 or 0. Registers the process on first call.
int nm_heavy_barrier_available(void);

// Whether the allocation profiler samples. Every typed allocation reads it, so the read is
// inline: one relaxed load of a plain global and no call. Written only through
// nm_profiler_set_active.
extern int32_t nm_profiler_flag;

static inline int32_t nm_profiler_active(void) {
    return __atomic_load_n(&nm_profiler_flag, __ATOMIC_RELAXED);
}

// Turns sampling on (1) or off (0).
void nm_profiler_set_active(int32_t active);

// Sets `count` bytes at `pointer` to zero in a way the optimizer cannot remove as a dead
// store: the empty asm statement claims to read the memory through `pointer`.
void nm_secure_zero(void *pointer, size_t count);

#endif
