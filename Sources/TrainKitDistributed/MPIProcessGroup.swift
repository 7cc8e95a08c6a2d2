import CTrainKitKernels
import TrainKitCore

/// A ``ProcessGroup`` over MPI's `MPI_COMM_WORLD`, with libmpi loaded at run time (`dlopen`, like the BLAS).
///
/// Open MPI (`libmpi.so.40`) and the MPICH ABI (`libmpi.so.12` / `libmpich.so.12`: MPICH, Intel MPI, MVAPICH)
/// are both found, the launcher's first; `TRAINKIT_MPI_LIBRARY` names another file (then the only one tried).
/// Tensors are copied to a host buffer, reduced in place and copied back. A collective that waits longer than `TRAINKIT_DIST_TIMEOUT` seconds (default 300) ends the process with
/// `DistributedError.collectiveTimeout` on standard error and exit status 75, so a dead rank never hangs the rest.
public final class MPIProcessGroup: ProcessGroup {
    public let rank: Int
    public let worldSize: Int
    /// "openmpi libmpi.so.40", "mpich libmpi.so.12", ...
    public let library: String

    /// Loads libmpi and calls `MPI_Init`.
    /// - Parameters:
    ///   - library: a path or soname; nil tries ``candidates(for:environment:)``.
    ///   - launch: the launcher's view, to report which variable asked for MPI and to check MPI's world size.
    /// - Throws: ``DistributedError/mpiLibraryNotFound(worldSize:variable:detail:)`` or
    ///   ``DistributedError/mpiFailed(_:)``.
    public init(library: String? = nil, launch: LaunchEnvironment = LaunchEnvironment()) throws {
        let candidates = library.map { [$0] } ?? Self.candidates(for: launch)
        var problems: [String] = []
        for candidate in candidates {
            if tk_mpi_load(candidate) == 0 { break }
            problems.append(String(cString: tk_mpi_last_error()))
        }
        guard !String(cString: tk_mpi_library_name()).isEmpty else {
            throw DistributedError.mpiLibraryNotFound(worldSize: launch.worldSize, variable: launch.source ?? "the caller",
                                                      detail: problems.joined(separator: "; "))
        }
        var r: Int32 = 0, n: Int32 = 0
        guard tk_mpi_init(&r, &n) == 0 else { throw DistributedError.mpiFailed(String(cString: tk_mpi_last_error())) }
        if launch.source != nil && launch.worldSize > 0 && (Int(n) != launch.worldSize || Int(r) != launch.rank) {
            throw DistributedError.mpiFailed(
                "MPI says rank \(r) of \(n), but \(launch.source!) says rank \(launch.rank) of \(launch.worldSize) "
                    + "(is libmpi from another MPI than the launcher's? set TRAINKIT_MPI_LIBRARY)")
        }
        rank = Int(r)
        worldSize = Int(n)
        self.library = String(cString: tk_mpi_library_name())
        let timeout = ProcessEnvironment.current["TRAINKIT_DIST_TIMEOUT"].flatMap(Double.init) ?? 300
        tk_mpi_set_timeout(timeout)
    }

    /// The libraries to try, in order: `TRAINKIT_MPI_LIBRARY` alone when set; else the launcher's own MPI first
    /// (MPICH's Hydra sets `PMI_*`: `libmpich.so.12`, Debian's name, and `libmpi.so.12`), then the others.
    static func candidates(for launch: LaunchEnvironment,
                           environment: [String: String] = ProcessEnvironment.current) -> [String] {
        if let chosen = environment["TRAINKIT_MPI_LIBRARY"], !chosen.isEmpty { return [chosen] }
        let openMPI = ["libmpi.so.40"], mpich = ["libmpi.so.12", "libmpich.so.12"]
        let ordered = launch.source?.hasPrefix("PMI_") == true ? mpich + openMPI : openMPI + mpich
        return ordered + ["libmpi.so"]
    }

    private static func check(_ rc: Int32, _ what: String) {
        precondition(rc == 0, "MPI \(what) failed with code \(rc): \(String(cString: tk_mpi_last_error()))")
    }

    private static func mpiType(_ dtype: DType, _ what: String) -> tk_mpi_dtype {
        switch dtype {
        case .float32: return TK_MPI_FLOAT32
        case .float64: return TK_MPI_FLOAT64
        default: preconditionFailure("\(what): float32 or float64 tensors only, got \(dtype)")
        }
    }

    /// A copy of `tensor`'s elements, changed in place by `body`, as a new tensor of `shape`.
    private func transformed(_ tensor: Tensor, shape: [Int]? = nil, count: Int? = nil, what: String,
                             _ body: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int, tk_mpi_dtype) -> Void) -> Tensor {
        let type = Self.mpiType(tensor.dtype, what)
        func run<T: TensorScalar & BinaryFloatingPoint>(_: T.Type) -> Tensor {
            var input = tensor.toArray(as: T.self)
            var output = [T](repeating: 0, count: count ?? input.count)
            input.withUnsafeMutableBytes { i in
                output.withUnsafeMutableBytes { o in body(i.baseAddress!, o.baseAddress!, tensor.count, type) }
            }
            return Tensor(output, shape: shape ?? tensor.shape)
        }
        return tensor.dtype == .float64 ? run(Double.self) : run(Float.self)
    }

    public func allReduce(_ tensor: Tensor, op: AllReduceOp) -> Tensor {
        let t = tensor.detach()
        let scale = op == .mean ? 1 / Double(worldSize) : 1
        let summed = transformed(t, what: "allReduce") { input, output, count, type in
            Self.check(tk_mpi_allreduce_sum(input, count, type), "all-reduce")
            output.copyMemory(from: input, byteCount: count * (type == TK_MPI_FLOAT64 ? 8 : 4))
        }
        return scale == 1 ? summed : noGrad { summed * scale }
    }

    public func broadcast(_ tensor: Tensor, from root: Int) -> Tensor {
        precondition(root >= 0 && root < worldSize, "broadcast: root \(root) is not a rank of \(worldSize)")
        return transformed(tensor.detach(), what: "broadcast") { input, output, count, type in
            Self.check(tk_mpi_broadcast(input, count, type, Int32(root)), "broadcast")
            output.copyMemory(from: input, byteCount: count * (type == TK_MPI_FLOAT64 ? 8 : 4))
        }
    }

    public func allGather(_ tensor: Tensor) -> Tensor {
        transformed(tensor.detach(), shape: [worldSize] + tensor.shape, count: tensor.count * worldSize,
                    what: "allGather") { input, output, count, type in
            Self.check(tk_mpi_allgather(input, output, count, type), "all-gather")
        }
    }

    public func barrier() { Self.check(tk_mpi_barrier(), "barrier") }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        Self.check(tk_mpi_allreduce_sum(base, buffer.count, TK_MPI_FLOAT32), "all-reduce")
    }

    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        Self.check(tk_mpi_allreduce_sum(base, buffer.count, TK_MPI_FLOAT64), "all-reduce")
    }

    /// Every rank's `bytes` (the same length on each), in rank order.
    public func allGather(bytes: [UInt8]) -> [[UInt8]] {
        var output = [UInt8](repeating: 0, count: bytes.count * worldSize)
        bytes.withUnsafeBytes { i in
            output.withUnsafeMutableBytes { o in
                Self.check(tk_mpi_allgather(i.baseAddress, o.baseAddress, bytes.count, TK_MPI_BYTE), "all-gather")
            }
        }
        return (0..<worldSize).map { Array(output[($0 * bytes.count)..<(($0 + 1) * bytes.count)]) }
    }

    public func abort(code: Int32) -> Never {
        tk_mpi_abort(code)
        fatalError("MPI_Abort returned")
    }

    /// `MPI_Finalize`: call once at the end, on every rank.
    public func finalize() { _ = tk_mpi_finalize() }
}

/// Picks the process group the launcher asked for.
public enum ProcessGroups {
    /// ``MPIProcessGroup`` when the launcher's environment says several ranks (``LaunchEnvironment``), else a
    /// ``SingleProcessGroup``.
    /// - Throws: ``DistributedError/mpiLibraryNotFound(worldSize:variable:detail:)`` when several ranks are asked
    ///   for and libmpi cannot be loaded.
    public static func fromEnvironment(_ launch: LaunchEnvironment = LaunchEnvironment(),
                                       library: String? = nil) throws -> any ProcessGroup {
        guard launch.isDistributed else { return SingleProcessGroup() }
        return try MPIProcessGroup(library: library, launch: launch)
    }
}
