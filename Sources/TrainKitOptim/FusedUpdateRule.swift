import TrainKitCore

/// The CPU backend's fused optimizer capability: a rule's whole step as one pass of plain Swift SIMD loops over
/// host memory (FusedLoop.swift), for float32 parameters on the `cpu` device.
///
/// The loops stay in TrainKitOptim rather than behind a `Backend` protocol in Core: they are Swift over host
/// pointers, which is exactly what the CPU backend's memory is, and each rule's loop sits next to its composed
/// form, which it must match (FusedComposedTests). Any other device or dtype (float64, the `reference` backend,
/// a GPU later) takes the rule's `composedUpdate`. A rule outside TrainKit only writes `composedUpdate`.
///
/// A fused step reads the parameter and gradient once, writes the new value (in place when the output is the
/// parameter's own buffer, see `Parameter.withWritableValue`) and writes its state tensors in place after
/// `ParameterState.takeWritable` made each one the state's own. Its arithmetic is float32 in the order of the
/// composed form (and of PyTorch's CPU kernels).
protocol FusedUpdateRule: UpdateRule {
    /// One fused step: reads `step.value`, writes `step.out`, advances `state` (state tensors float32 on the CPU,
    /// shaped like the parameter).
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState)
}

/// The operands of one fused step: `count` float32 elements of host memory each.
struct FusedOperands {
    /// The parameter's shape (for new state tensors).
    let shape: [Int]
    let count: Int
    /// θ before the step.
    let value: UnsafePointer<Float>
    /// Where θ after the step goes: `value`'s own memory (in place) or memory that does not overlap it.
    let out: UnsafeMutablePointer<Float>
    /// The gradient g, contiguous.
    let gradient: UnsafePointer<Float>
}

extension UpdateRule {
    /// This rule as a fused rule when it has a fused loop and `value` is float32 on the CPU, else nil (compose).
    func fusedRule(for value: Tensor) -> (any FusedUpdateRule)? {
        guard value.device == .cpu else { return nil }
        switch value.dtype {
        case .float32: return self as? any FusedUpdateRule
        case .float64, .int32, .int64, .bool: return nil
        }
    }
}

extension ParameterState {
    /// Removes the tensor in `slot` and returns it writable in place (contiguous and referenced by nothing else:
    /// copied when a state dict or a caller still holds it), or a new float32 CPU tensor of `shape` filled with
    /// `initial` when the slot is empty. A fused step writes it, then puts it back.
    mutating func takeWritable(
        _ slot: WritableKeyPath<ParameterState, Tensor?>, shape: [Int], initial: Double = 0
    ) -> Tensor {
        guard var tensor = self[keyPath: slot] else {
            // The state lasts the run: exact-size memory, not a pool block (Backend.allocateLongLived).
            return Tensor.full(initial, shape: shape, dtype: .float32, on: BackendRegistry.require(.cpu), longLived: true)
        }
        self[keyPath: slot] = nil
        precondition(
            tensor.shape == shape && tensor.dtype == .float32 && tensor.device == .cpu,
            "optimizer state \(tensor.dtype) \(tensor.shape) on \(tensor.device) for a float32 \(shape) cpu parameter")
        tensor.makeWritableInPlace()
        return tensor
    }
}

extension Tensor {
    /// The float32 elements of a tensor made writable by `ParameterState.takeWritable`.
    var mutableFloats: UnsafeMutablePointer<Float> { address.assumingMemoryBound(to: Float.self) }
}
