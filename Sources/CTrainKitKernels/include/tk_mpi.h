// MPI found at run time (dlopen of libmpi), like the BLAS: `swift build` needs no MPI.
//
// Open MPI (libmpi.so.40) passes handles as addresses of exported globals (ompi_mpi_comm_world, ...);
// MPICH and its ABI family (libmpi.so.12: MPICH, Intel MPI, MVAPICH) as integer constants. tk_mpi_load
// tells them apart by the symbols present. Every call returns 0 on success, else an MPI error code
// (or -1 when no library is loaded); tk_mpi_last_error() describes the last failure.
#ifndef TK_MPI_H
#define TK_MPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TK_MPI_FLOAT32 = 0, TK_MPI_FLOAT64 = 1, TK_MPI_BYTE = 2 } tk_mpi_dtype;

/// Loads `path` (a file or soname), or when NULL $TRAINKIT_MPI_LIBRARY when set, else the first of
/// libmpi.so.40, libmpi.so.12, libmpi.so. Returns 0 on success (or when already loaded), -1 with tk_mpi_last_error() set.
int tk_mpi_load(const char *path);
/// "openmpi libmpi.so.40", "mpich libmpi.so.12", or "" when nothing is loaded.
const char *tk_mpi_library_name(void);
/// The description of the last failure ("" when none).
const char *tk_mpi_last_error(void);

/// MPI_Init (once; later calls return the same rank and size).
int tk_mpi_init(int *rank, int *size);
/// In-place sum over all ranks of `count` elements.
int tk_mpi_allreduce_sum(void *buffer, size_t count, tk_mpi_dtype dtype);
/// Rank `root`'s `count` elements into every rank's `buffer`.
int tk_mpi_broadcast(void *buffer, size_t count, tk_mpi_dtype dtype, int root);
/// Every rank's `count` elements of `send`, in rank order, into `receive` (`count × size` elements).
int tk_mpi_allgather(const void *send, void *receive, size_t count, tk_mpi_dtype dtype);
int tk_mpi_barrier(void);
/// MPI_Abort on MPI_COMM_WORLD: ends every rank.
void tk_mpi_abort(int code);
int tk_mpi_finalize(void);

/// A collective (not tk_mpi_finalize) that waits longer than `seconds` (a rank died or hangs) makes the
/// watchdog print DistributedError.collectiveTimeout and the collective's name to standard error and end this
/// process with exit status 75 (0: no watchdog).
void tk_mpi_set_timeout(double seconds);

#ifdef __cplusplus
}
#endif
#endif
