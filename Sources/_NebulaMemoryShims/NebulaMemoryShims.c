#include "NebulaMemoryShims.h"

#include <pthread.h>
#include <string.h>

_Thread_local int32_t nm_thread_index_plus_one = 0;

static pthread_mutex_t nm_index_lock = PTHREAD_MUTEX_INITIALIZER;
static int32_t nm_free_indices[NM_THREAD_SLOTS];
static int32_t nm_free_count = 0;
static int32_t nm_next_index = 0;
static pthread_key_t nm_exit_key;
static pthread_once_t nm_exit_key_once = PTHREAD_ONCE_INIT;

// Runs when a thread that holds an index exits: the index goes back for reuse. The mutex
// orders the exiting thread's last use of its slots before the next owner's first use.
static void nm_release_index(void *value) {
    int32_t index = (int32_t)(intptr_t)value - 1;
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
        pthread_setspecific(nm_exit_key, (void *)(intptr_t)(index + 1));
    }
    return index;
}

void nm_secure_zero(void *pointer, size_t count) {
    memset(pointer, 0, count);
    __asm__ __volatile__("" : : "r"(pointer) : "memory");
}
