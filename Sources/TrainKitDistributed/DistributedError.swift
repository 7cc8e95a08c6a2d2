/// Why distributed training could not start or go on.
public enum DistributedError: Error, CustomStringConvertible, Equatable {
    /// The launcher's environment says `worldSize` ranks, but no MPI library could be loaded.
    case mpiLibraryNotFound(worldSize: Int, variable: String, detail: String)
    /// MPI loaded but failed to start, or its world disagrees with the launcher's environment.
    case mpiFailed(String)
    /// Ranks disagree on something that must be the same everywhere (`what`: parameter shapes, config, data size...).
    case ranksDisagree(what: String, values: [String])
    /// `--nproc N` needs `mpirun` on the PATH (or `$TRAINKIT_MPIRUN`).
    case launcherNotFound(String)
    /// A launched `mpirun` ended with a nonzero status.
    case launchFailed(status: Int32)

    public var description: String {
        switch self {
        case .mpiLibraryNotFound(let n, let variable, let detail):
            return "DistributedError.mpiLibraryNotFound: \(variable) says \(n) ranks, but MPI could not be loaded "
                + "(\(detail)); install Open MPI or MPICH (e.g. apt-get install openmpi-bin libopenmpi-dev) or set "
                + "TRAINKIT_MPI_LIBRARY to libmpi's path"
        case .mpiFailed(let detail):
            return "DistributedError.mpiFailed: \(detail)"
        case .ranksDisagree(let what, let values):
            let listed = values.enumerated().map { "rank \($0.offset): \($0.element)" }.joined(separator: ", ")
            return "DistributedError.ranksDisagree: the ranks differ in \(what) (\(listed)); every rank must run "
                + "the same config on the same data"
        case .launcherNotFound(let detail):
            return "DistributedError.launcherNotFound: --nproc needs mpirun: \(detail); install Open MPI "
                + "(apt-get install openmpi-bin) or set TRAINKIT_MPIRUN"
        case .launchFailed(let status):
            return "DistributedError.launchFailed: mpirun exited with status \(status)"
        }
    }
}
