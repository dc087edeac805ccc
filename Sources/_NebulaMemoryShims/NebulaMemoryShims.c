#include "NebulaMemoryShims.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

_Thread_local int32_t nm_thread_index_plus_one = 0;

static pthread_mutex_t nm_index_lock = PTHREAD_MUTEX_INITIALIZER;
static int32_t nm_free_indices[NM_THREAD_SLOTS];
static int32_t nm_free_count = 0;
static int32_t nm_next_index = 0;
static pthread_key_t nm_exit_key;
static pthread_once_t nm_exit_key_once = PTHREAD_ONCE_INIT;
static _Atomic int32_t nm_live_threads = 0;
static _Atomic(nm_thread_exit_hook) nm_exit_hook = NULL;

int32_t nm_thread_count(void) {
    return atomic_load_explicit(&nm_live_threads, memory_order_relaxed);
}

void nm_set_thread_exit_hook(nm_thread_exit_hook hook) {
    atomic_store_explicit(&nm_exit_hook, hook, memory_order_release);
}

// Runs when a thread that holds an index exits: the index goes back for reuse. The mutex
// orders the exiting thread's last use of its slots before the next owner's first use.
static void nm_release_index(void *value) {
    int32_t index = (int32_t)(intptr_t)value - 1;
    nm_thread_exit_hook hook = atomic_load_explicit(&nm_exit_hook, memory_order_acquire);
    if (hook != NULL) hook(index);
    atomic_fetch_sub_explicit(&nm_live_threads, 1, memory_order_relaxed);
    // Whatever this thread still runs (later thread-local destructors) takes the shared paths:
    // the index may belong to a new thread as soon as it is given back.
    nm_thread_index_plus_one = NM_THREAD_SLOTS + 1;
    pthread_mutex_lock(&nm_index_lock);
    nm_free_indices[nm_free_count++] = index;
    pthread_mutex_unlock(&nm_index_lock);
}

static void nm_make_exit_key(void) {
    pthread_key_create(&nm_exit_key, nm_release_index);
}

int32_t nm_thread_index_assign(void) {
    pthread_once(&nm_exit_key_once, nm_make_exit_key);
    pthread_mutex_lock(&nm_index_lock);
    int32_t index;
    if (nm_free_count > 0) {
        index = nm_free_indices[--nm_free_count];
    } else if (nm_next_index < NM_THREAD_SLOTS) {
        index = nm_next_index++;
    } else {
        index = NM_THREAD_SLOTS;
    }
    pthread_mutex_unlock(&nm_index_lock);
    nm_thread_index_plus_one = index + 1;
    if (index < NM_THREAD_SLOTS) {
        atomic_fetch_add_explicit(&nm_live_threads, 1, memory_order_relaxed);
        pthread_setspecific(nm_exit_key, (void *)(intptr_t)(index + 1));
    }
    return index;
}

int32_t nm_profiler_flag = 0;

void nm_profiler_set_active(int32_t active) {
    __atomic_store_n(&nm_profiler_flag, active, __ATOMIC_RELEASE);
}

void nm_secure_zero(void *pointer, size_t count) {
    memset(pointer, 0, count);
    __asm__ __volatile__("" : : "r"(pointer) : "memory");
}

static pthread_once_t nm_barrier_once = PTHREAD_ONCE_INIT;
static int nm_barrier_ready = 0;

static void nm_register_barrier(void) {
#ifdef __linux__
    long commands = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (commands < 0 || !(commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return;
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0) return;
    nm_barrier_ready = 1;
#endif
}

int nm_heavy_barrier_available(void) {
    pthread_once(&nm_barrier_once, nm_register_barrier);
    return nm_barrier_ready;
}

int nm_heavy_barrier(void) {
    if (!nm_heavy_barrier_available()) return -1;
#ifdef __linux__
    return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0 ? 0 : -1;
#else
    return -1;
#endif
}
