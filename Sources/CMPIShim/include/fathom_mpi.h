// Open MPI, loaded at run time, for Fathom's Distributed module.
//
// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are macros over the addresses of
// `ompi_mpi_*` globals, which Swift cannot import; and linking libmpi would make every package
// that uses Fathom need libopenmpi-dev to build. So this shim dlopens libmpi (libmpi.so.40, the
// Open MPI 3.x-5.x ABI) on first use, looks up the few functions and globals below with dlsym,
// and exposes plain C functions over them. Nothing here needs mpi.h.
#ifndef FATHOM_MPI_H
#define FATHOM_MPI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads libmpi and resolves every symbol. Returns 0, or -1 with a message in `error`
/// (the library or the symbol that is missing). Idempotent; `path` NULL tries the defaults.
int fathom_mpi_load(const char *path, char *error, size_t error_capacity);

/// MPI_Init_thread(MPI_THREAD_FUNNELED), then MPI_ERRORS_RETURN on MPI_COMM_WORLD, then the
/// rank and size. Returns an MPI error code (0 = success).
int fathom_mpi_initialize(int *rank, int *size);

/// MPI_Allreduce of `count` floats in place with MPI_SUM.
int fathom_mpi_allreduce_sum_float(float *buffer, size_t count);

/// MPI_Alltoall of `count_per_rank` floats to and from every rank.
int fathom_mpi_alltoall_float(const float *send, float *receive, size_t count_per_rank);

/// MPI_Allgather of `bytes_per_rank` bytes from every rank into `receive` (rank order).
int fathom_mpi_allgather_bytes(const void *send, void *receive, size_t bytes_per_rank);

/// MPI_Bcast of `bytes` bytes from `root` (in pieces below 2^31 bytes).
int fathom_mpi_broadcast_bytes(void *buffer, size_t bytes, int root);

/// MPI_Barrier on MPI_COMM_WORLD.
int fathom_mpi_barrier(void);

/// MPI_Finalize (when initialized and not yet finalized).
int fathom_mpi_finalize(void);

/// MPI_Abort on MPI_COMM_WORLD: ends every rank of the job.
void fathom_mpi_abort(int code);

/// MPI_Error_string of `code` into `message`.
void fathom_mpi_error_string(int code, char *message, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
