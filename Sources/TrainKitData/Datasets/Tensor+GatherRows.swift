import TrainKitCore

extension Tensor {
    /// The rows `indices` (along dim 0) in a new contiguous tensor, no autograd: one `indexSelect` on this
    /// tensor's device (which checks the range). Shapes: `[N, ...] -> [indices.count, ...]`.
    func gatheredRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatheredRows: needs rank >= 1, got shape \(shape)")
        return detach().indexSelect(0, Tensor(indices, shape: [indices.count], device: device))
    }
}
