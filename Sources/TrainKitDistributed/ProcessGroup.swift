import TrainKitCore

/// How ``ProcessGroup/allReduce(_:op:)`` combines the ranks' tensors.
public enum AllReduceOp: Sendable {
    case sum
    /// The sum divided by the world size.
    case mean
}

/// A set of processes that run collectives together (PyTorch's `torch.distributed` process group).
///
/// Every rank must call the same collectives in the same order with tensors of the same shape and dtype
/// (float32 or float64); a call returns once every rank has made it. ``SingleProcessGroup`` is the world of one
/// process, where every collective is the identity; ``MPIProcessGroup`` runs over MPI.
///
/// ```swift
/// let group = try ProcessGroups.fromEnvironment()     // MPI under mpirun / srun, else one process
/// let mean = group.allReduce(localGradient, op: .mean)
/// let weights = group.broadcast(model.stateDict()["0.weight"]!, from: 0)
/// ```
public protocol ProcessGroup: AnyObject {
    /// This process's index, `0..<worldSize`.
    var rank: Int { get }
    var worldSize: Int { get }
    /// The element-wise sum (or mean) of every rank's `tensor`.
    func allReduce(_ tensor: Tensor, op: AllReduceOp) -> Tensor
    /// Rank `root`'s `tensor` on every rank.
    func broadcast(_ tensor: Tensor, from root: Int) -> Tensor
    /// Every rank's `tensor` stacked in rank order: `[worldSize, ...tensor.shape]`.
    func allGather(_ tensor: Tensor) -> Tensor
    /// Returns once every rank has called it.
    func barrier()
    /// In-place sum over ranks of a host buffer (the gradient buckets' path; no tensor is built).
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>)
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// Ends every rank at once (MPI_Abort); in one process, exits with `code`.
    func abort(code: Int32) -> Never
}

extension ProcessGroup {
    /// Whether this is rank 0, the rank that writes files, logs and progress.
    public var isRankZero: Bool { rank == 0 }

    /// The sum over ranks of a few doubles (counts, loss sums, flags).
    public func allReduceSum(_ values: [Double]) -> [Double] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { allReduceSum($0) }
        return copy
    }
}

/// The world of one process: every collective returns its input (PyTorch with `world_size = 1`).
public final class SingleProcessGroup: ProcessGroup {
    public init() {}
    public var rank: Int { 0 }
    public var worldSize: Int { 1 }
    public func allReduce(_ tensor: Tensor, op: AllReduceOp) -> Tensor { tensor }
    public func broadcast(_ tensor: Tensor, from root: Int) -> Tensor {
        precondition(root == 0, "broadcast: root \(root) is not a rank of a one-process group")
        return tensor
    }
    public func allGather(_ tensor: Tensor) -> Tensor { tensor.unsqueeze(0) }
    public func barrier() {}
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {}
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    public func abort(code: Int32) -> Never { exit(code) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
