/* A plain MPI program that times MPI_Allreduce (in place, float sum) of N bytes: the bandwidth that
 * `trainkit-bench allreduce` is compared with in scripts/bench-ddp. Build: mpicc -O2 mpi_allreduce_probe.c.
 * Usage: mpirun -np 2 ./a.out BYTES REPS   (rank 0 prints one JSON line) */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long bytes = argc > 1 ? atol(argv[1]) : 1048576;
    int reps = argc > 2 ? atoi(argv[2]) : 20;
    long count = bytes / 4 > 0 ? bytes / 4 : 1;
    float *buffer = malloc(count * sizeof(float));
    for (long i = 0; i < count; i++) buffer[i] = 1.0f;
    for (int i = 0; i < 3; i++) MPI_Allreduce(MPI_IN_PLACE, buffer, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (int i = 0; i < reps; i++) MPI_Allreduce(MPI_IN_PLACE, buffer, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double seconds = (MPI_Wtime() - start) / reps;
    if (rank == 0)
        printf("{\"framework\": \"mpi_c\", \"workload\": \"allreduce\", \"ranks\": %d, \"bytes\": %ld, "
               "\"seconds_per_op\": %.9f, \"gb_per_s\": %.6f}\n", size, count * 4, seconds, count * 4 / seconds / 1e9);
    free(buffer);
    MPI_Finalize();
    return 0;
}
