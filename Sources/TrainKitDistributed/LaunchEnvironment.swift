#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rank and world size as the launcher set them in the environment: Open MPI's `mpirun`
/// (`OMPI_COMM_WORLD_RANK`/`_SIZE`), MPICH's Hydra and Intel MPI (`PMI_RANK`/`PMI_SIZE`), PMIx launchers
/// (`PMIX_RANK`), and Slurm's `srun` (`SLURM_PROCID` with `SLURM_STEP_NUM_TASKS` or `SLURM_NTASKS`).
///
/// The first launcher whose variables are present wins; without any, the process is rank 0 of 1.
public struct LaunchEnvironment: Equatable, Sendable {
    public var rank: Int
    public var worldSize: Int
    /// The variable that gave the world size (`nil`: none, one process).
    public var source: String?

    public init(rank: Int, worldSize: Int, source: String?) {
        self.rank = rank
        self.worldSize = worldSize
        self.source = source
    }

    /// Reads `environment` (the process's by default).
    public init(_ environment: [String: String] = ProcessEnvironment.current) {
        func int(_ name: String) -> Int? { environment[name].flatMap { Int($0) } }
        let pairs: [(rank: String, size: String)] = [
            ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE"),
            ("PMIX_RANK", "PMIX_SIZE"), ("SLURM_PROCID", "SLURM_STEP_NUM_TASKS"), ("SLURM_PROCID", "SLURM_NTASKS"),
        ]
        for (rankName, sizeName) in pairs {
            if let size = int(sizeName), size >= 1 {
                self.init(rank: int(rankName) ?? 0, worldSize: size, source: sizeName)
                return
            }
        }
        // PMIx without a size variable: MPI tells the size once loaded.
        if let rank = int("PMIX_RANK") {
            self.init(rank: rank, worldSize: 0, source: "PMIX_RANK")
            return
        }
        self.init(rank: 0, worldSize: 1, source: nil)
    }

    /// Whether a launcher started this process as one of several ranks (or of an unknown number).
    public var isDistributed: Bool { source != nil && worldSize != 1 }
}

/// The process's environment variables.
public enum ProcessEnvironment {
    public static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}
