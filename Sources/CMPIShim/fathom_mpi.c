// See include/fathom_mpi.h.
#include "fathom_mpi.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// The few MPI types used, by their ABI: Open MPI's handles are pointers.
typedef void *mpi_handle;
enum { MPI_THREAD_FUNNELED_VALUE = 1, MPI_MAX_ERROR_STRING_VALUE = 256, MPI_ERR_COUNT_VALUE = 2 };

static struct {
    int loaded;
    void *library;
    int (*init_thread)(int *, char ***, int, int *);
    int (*initialized)(int *);
    int (*finalized)(int *);
    int (*comm_rank)(mpi_handle, int *);
    int (*comm_size)(mpi_handle, int *);
    int (*comm_set_errhandler)(mpi_handle, mpi_handle);
    int (*allreduce)(const void *, void *, int, mpi_handle, mpi_handle, mpi_handle);
    int (*alltoall)(const void *, int, mpi_handle, void *, int, mpi_handle, mpi_handle);
    int (*allgather)(const void *, int, mpi_handle, void *, int, mpi_handle, mpi_handle);
    int (*bcast)(void *, int, mpi_handle, int, mpi_handle);
    int (*barrier)(mpi_handle);
    int (*finalize)(void);
    int (*abort)(mpi_handle, int);
    int (*error_string)(int, char *, int *);
    mpi_handle comm_world, float_type, byte_type, op_sum, errors_return;
} mpi;

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static int resolve(const char *name, void **slot, char *error, size_t capacity) {
    *slot = dlsym(mpi.library, name);
    if (*slot == NULL) {
        snprintf(error, capacity, "libmpi has no symbol %s (is it Open MPI 3.x, 4.x or 5.x?)", name);
        return -1;
    }
    return 0;
}

#define RESOLVE(field, name) \
    if (resolve(name, (void **)&mpi.field, error, capacity) != 0) goto failed;

int fathom_mpi_load(const char *path, char *error, size_t capacity) {
    pthread_mutex_lock(&load_lock);
    if (mpi.loaded) {
        pthread_mutex_unlock(&load_lock);
        return 0;
    }
    // RTLD_GLOBAL: Open MPI's plugins (mca_*.so) resolve their calls into libmpi through the
    // global namespace, and fail to load otherwise.
    const char *candidates[] = {path, "libmpi.so.40", "libmpi.so", "libmpi.40.dylib"};
    char tried[512] = "";
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates && mpi.library == NULL; i++) {
        if (candidates[i] == NULL) continue;
        mpi.library = dlopen(candidates[i], RTLD_NOW | RTLD_GLOBAL);
        if (mpi.library == NULL) {
            const char *reason = dlerror();
            size_t used = strlen(tried);
            snprintf(tried + used, sizeof tried - used, "%s%s (%s)", used ? "; " : "", candidates[i],
                     reason ? reason : "not found");
        }
    }
    if (mpi.library == NULL) {
        snprintf(error, capacity, "cannot load Open MPI's libmpi: %s", tried);
        pthread_mutex_unlock(&load_lock);
        return -1;
    }
    RESOLVE(init_thread, "MPI_Init_thread")
    RESOLVE(initialized, "MPI_Initialized")
    RESOLVE(finalized, "MPI_Finalized")
    RESOLVE(comm_rank, "MPI_Comm_rank")
    RESOLVE(comm_size, "MPI_Comm_size")
    RESOLVE(comm_set_errhandler, "MPI_Comm_set_errhandler")
    RESOLVE(allreduce, "MPI_Allreduce")
    RESOLVE(alltoall, "MPI_Alltoall")
    RESOLVE(allgather, "MPI_Allgather")
    RESOLVE(bcast, "MPI_Bcast")
    RESOLVE(barrier, "MPI_Barrier")
    RESOLVE(finalize, "MPI_Finalize")
    RESOLVE(abort, "MPI_Abort")
    RESOLVE(error_string, "MPI_Error_string")
    // The objects behind Open MPI's handle macros: MPI_COMM_WORLD is &ompi_mpi_comm_world, etc.
    RESOLVE(comm_world, "ompi_mpi_comm_world")
    RESOLVE(float_type, "ompi_mpi_float")
    RESOLVE(byte_type, "ompi_mpi_byte")
    RESOLVE(op_sum, "ompi_mpi_op_sum")
    RESOLVE(errors_return, "ompi_mpi_errors_return")
    mpi.loaded = 1;
    pthread_mutex_unlock(&load_lock);
    return 0;
failed:
    dlclose(mpi.library);
    mpi.library = NULL;
    pthread_mutex_unlock(&load_lock);
    return -1;
}

int fathom_mpi_initialize(int *rank, int *size) {
    int initialized = 0, provided = 0, status;
    mpi.initialized(&initialized);
    if (!initialized) {
        status = mpi.init_thread(NULL, NULL, MPI_THREAD_FUNNELED_VALUE, &provided);
        if (status != 0) return status;
    }
    // Errors come back as codes (and become Swift errors) instead of aborting silently.
    status = mpi.comm_set_errhandler(mpi.comm_world, mpi.errors_return);
    if (status != 0) return status;
    status = mpi.comm_rank(mpi.comm_world, rank);
    if (status != 0) return status;
    return mpi.comm_size(mpi.comm_world, size);
}

int fathom_mpi_allreduce_sum_float(float *buffer, size_t count) {
    const void *in_place = (const void *)1;  // MPI_IN_PLACE
    for (size_t done = 0; done < count;) {
        size_t piece = count - done < (size_t)INT_MAX ? count - done : (size_t)INT_MAX;
        int status = mpi.allreduce(in_place, buffer + done, (int)piece, mpi.float_type, mpi.op_sum, mpi.comm_world);
        if (status != 0) return status;
        done += piece;
    }
    return 0;
}

int fathom_mpi_alltoall_float(const float *send, float *receive, size_t count_per_rank) {
    if (count_per_rank > (size_t)INT_MAX) return MPI_ERR_COUNT_VALUE;
    return mpi.alltoall(send, (int)count_per_rank, mpi.float_type, receive, (int)count_per_rank, mpi.float_type,
                        mpi.comm_world);
}

int fathom_mpi_allgather_bytes(const void *send, void *receive, size_t bytes_per_rank) {
    if (bytes_per_rank > (size_t)INT_MAX) return MPI_ERR_COUNT_VALUE;
    return mpi.allgather(send, (int)bytes_per_rank, mpi.byte_type, receive, (int)bytes_per_rank, mpi.byte_type,
                         mpi.comm_world);
}

int fathom_mpi_broadcast_bytes(void *buffer, size_t bytes, int root) {
    for (size_t done = 0; done < bytes;) {
        size_t piece = bytes - done < (size_t)INT_MAX ? bytes - done : (size_t)INT_MAX;
        int status = mpi.bcast((char *)buffer + done, (int)piece, mpi.byte_type, root, mpi.comm_world);
        if (status != 0) return status;
        done += piece;
    }
    return 0;
}

int fathom_mpi_barrier(void) { return mpi.barrier(mpi.comm_world); }

int fathom_mpi_finalize(void) {
    int initialized = 0, finalized = 0;
    mpi.initialized(&initialized);
    mpi.finalized(&finalized);
    return initialized && !finalized ? mpi.finalize() : 0;
}

void fathom_mpi_abort(int code) { mpi.abort(mpi.comm_world, code); }

void fathom_mpi_error_string(int code, char *message, size_t capacity) {
    char text[MPI_MAX_ERROR_STRING_VALUE] = "";
    int length = 0;
    if (mpi.error_string(code, text, &length) != 0) snprintf(text, sizeof text, "MPI error %d", code);
    snprintf(message, capacity, "%s", text);
}
