import Foundation
import TrainKit

/// `trainkit train CONFIG --nproc N`: starts N ranks of this same command on this machine through `mpirun`.
///
/// The ranks run the arguments given, without `--nproc`. For Open MPI it sets `OMPI_ALLOW_RUN_AS_ROOT*` (as
/// root) and `OMPI_MCA_rmaps_base_oversubscribe` (more ranks than cores) unless already set; MPICH ignores
/// them. Each rank gets `TRAINKIT_NUM_THREADS = max(1, cores / N)` unless it is set, so the ranks share the
/// cores instead of each spawning a thread per core.
enum DistributedLaunch {
    /// The command-line arguments without `--nproc N` / `--nproc=N`.
    static func removingNproc(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var skip = false
        for a in arguments {
            if skip { skip = false; continue }
            if a == "--nproc" { skip = true; continue }
            if a.hasPrefix("--nproc=") { continue }
            out.append(a)
        }
        return out
    }

    /// `mpirun`: `$TRAINKIT_MPIRUN`, else the first on `PATH`.
    static func findMpirun(_ environment: [String: String]) throws -> String {
        let fm = FileManager.default
        if let chosen = environment["TRAINKIT_MPIRUN"], !chosen.isEmpty {
            guard fm.isExecutableFile(atPath: chosen) else {
                throw DistributedError.launcherNotFound("TRAINKIT_MPIRUN=\(chosen) is not an executable file")
            }
            return chosen
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where fm.isExecutableFile(atPath: "\(dir)/mpirun") {
            return "\(dir)/mpirun"
        }
        throw DistributedError.launcherNotFound("mpirun is not on the PATH (\(path))")
    }

    /// Runs `mpirun -np N <this program> <arguments without --nproc>` and waits for it.
    /// - Throws: ``DistributedError/launcherNotFound(_:)``; ``DistributedError/launchFailed(status:)`` when it fails.
    static func run(nproc: Int, arguments: [String] = CommandLine.arguments) throws {
        var environment = ProcessInfo.processInfo.environment
        let mpirun = try findMpirun(environment)
        let program = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
        if getuid() == 0 {
            environment["OMPI_ALLOW_RUN_AS_ROOT"] = environment["OMPI_ALLOW_RUN_AS_ROOT"] ?? "1"
            environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] ?? "1"
        }
        environment["OMPI_MCA_rmaps_base_oversubscribe"] = environment["OMPI_MCA_rmaps_base_oversubscribe"] ?? "1"
        let cores = ProcessInfo.processInfo.activeProcessorCount
        environment["TRAINKIT_NUM_THREADS"] = environment["TRAINKIT_NUM_THREADS"] ?? "\(Swift.max(1, cores / nproc))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = ["-np", "\(nproc)", program] + removingNproc(Array(arguments.dropFirst()))
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw DistributedError.launchFailed(status: process.terminationStatus) }
    }
}
