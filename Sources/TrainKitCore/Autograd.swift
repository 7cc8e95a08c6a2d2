/// One entry of the define-by-run tape.
///
/// A leaf node belongs to a tensor that requires a gradient and accumulates it in `grad`. An op node
/// holds its inputs' nodes, their shapes (to un-broadcast gradients), the op's output values and its
/// backward function; all of that is released as soon as `backward()` has used it, so the graph of a
/// training step is freed after the step.
final class GradNode: @unchecked Sendable {
    typealias Backward = (_ gradient: Tensor, _ output: Tensor) -> [Tensor?]

    let op: StaticString
    let isLeaf: Bool
    /// The op's inputs as given (their nodes are the graph's edges, their shapes un-broadcast gradients).
    var inputs: [Tensor]
    var backward: Backward?
    var output: Tensor?
    /// Leaf: the accumulated gradient. Op node: the gradient gathered so far during `backward()`.
    var grad: Tensor?
    /// Gradient and post-accumulate hooks (Hooks.swift); nil, and free, when none was registered.
    var hooks: GradHooks?

    init(leaf: Void) {
        op = "leaf"
        isLeaf = true
        inputs = []
    }

    init(op: StaticString, inputs: [Tensor], output: Tensor, backward: @escaping Backward) {
        self.op = op
        self.isLeaf = false
        self.inputs = inputs
        self.output = output
        self.backward = backward
    }

    func release() {
        inputs = []
        backward = nil
        output = nil
        grad = nil
        hooks = nil
    }

    /// Adds `g` to the gradient, in place when this node holds the only reference to its buffer.
    func accumulate(_ g: Tensor) {
        guard var current = grad else {
            grad = g
            return
        }
        grad = nil
        if current.dtype == g.dtype, current.shape == g.shape, current.isContiguous, current.offset == 0,
            isKnownUniquelyReferenced(&current.storage)
        {
            let src = g.contiguousData()
            switch g.dtype {
            case .float32, .float64:
                let backend = Tensor.commonBackend(current, src, op: "gradient accumulation")
                backend.accumulate(g.dtype, count: g.count, source: src.address, destination: current.address)
            case .int32, .int64, .bool:
                current = noGrad { current + g }
            }
            grad = current
        } else {
            grad = noGrad { current + g }
        }
    }
}

extension Tensor {
    /// Whether ops on this tensor are recorded for differentiation. Setting it to `true` makes the tensor a
    /// leaf whose gradient accumulates in ``grad``; only floating-point tensors can require a gradient.
    public var requiresGrad: Bool {
        get { node != nil }
        set {
            if newValue {
                precondition(dtype.isFloatingPoint, "requiresGrad: only float tensors can require a gradient, got \(dtype)")
                if node == nil || !node!.isLeaf { node = GradNode(leaf: ()) }
            } else {
                node = nil
            }
        }
    }

    /// Whether this tensor is a leaf of the graph (it requires a gradient and was not produced by an op).
    public var isLeaf: Bool { node?.isLeaf ?? true }

    /// The gradient accumulated by ``backward(_:)`` into this leaf, or `nil`.
    public var grad: Tensor? { node?.isLeaf == true ? node?.grad : nil }

    /// Clears the accumulated gradient of this leaf.
    public func zeroGrad() { if node?.isLeaf == true { node?.grad = nil } }

    /// The same values, cut off from the graph.
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// Records `result` as the output of `op` applied to `inputs` when autograd is on and some input
    /// requires a gradient; otherwise returns it untouched.
    ///
    /// `backward(g, out)` receives the upstream gradient (shaped like the output) and the output values,
    /// and returns one gradient per input (`nil` for inputs without one). Gradients shaped like a
    /// broadcast of their input are summed back to the input's shape here, so ops need not un-broadcast.
    @inline(__always)
    public static func record(
        _ result: Tensor, op: StaticString, inputs: [Tensor],
        backward: @escaping (_ gradient: Tensor, _ output: Tensor) -> [Tensor?]
    ) -> Tensor {
        guard ThreadState.current.pointee.gradEnabled, inputs.contains(where: { $0.node != nil }) else { return result }
        var out = result
        out.node = GradNode(op: op, inputs: inputs, output: result.detach(), backward: backward)
        return out
    }

    /// `record(result, op:, inputs: [input], backward:)` without building the array when nothing is recorded.
    @inline(__always)
    public static func record(
        _ result: Tensor, op: StaticString, _ input: Tensor,
        backward: @escaping (_ gradient: Tensor, _ output: Tensor) -> [Tensor?]
    ) -> Tensor {
        guard input.node != nil, ThreadState.current.pointee.gradEnabled else { return result }
        var out = result
        out.node = GradNode(op: op, inputs: [input], output: result.detach(), backward: backward)
        return out
    }

    /// `record(result, op:, inputs: [a, b], backward:)` without building the array when nothing is recorded.
    @inline(__always)
    public static func record(
        _ result: Tensor, op: StaticString, _ a: Tensor, _ b: Tensor,
        backward: @escaping (_ gradient: Tensor, _ output: Tensor) -> [Tensor?]
    ) -> Tensor {
        guard a.node != nil || b.node != nil, ThreadState.current.pointee.gradEnabled else { return result }
        var out = result
        out.node = GradNode(op: op, inputs: [a, b], output: result.detach(), backward: backward)
        return out
    }

    /// Computes the gradient of this tensor with respect to every leaf that requires one, adding it to
    /// each leaf's ``grad``.
    ///
    /// - Parameter gradient: the upstream gradient, shaped like this tensor; may be omitted for a
    ///   one-element tensor (it is then 1).
    /// The graph is freed as it is used: calling `backward()` twice on the same graph is an error.
    public func backward(_ gradient: Tensor? = nil) {
        guard let root = node else {
            preconditionFailure("backward(): the tensor does not require a gradient (no input had requiresGrad)")
        }
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape,
                         "backward(): gradient shape \(gradient.shape) does not match tensor shape \(shape)")
            seed = gradient.to(dtype)
        } else {
            precondition(count == 1, "backward(): an implicit gradient needs a one-element tensor, got shape \(shape)")
            seed = Tensor.full(1.0, shape: shape, dtype: dtype, on: backend)
        }
        let state = ThreadState.current
        let previous = state.pointee.gradEnabled
        state.pointee.gradEnabled = false
        defer { state.pointee.gradEnabled = previous }
        if root.isLeaf {
            if let hooks = root.hooks {
                hooks.pendingContributions = 1
                root.receiveLeafContribution(seed)
            } else {
                root.accumulate(seed)
            }
            return
        }
        precondition(root.backward != nil, "backward(): the graph was already freed by an earlier backward()")
        let order = GradNode.topologicalOrder(from: root)
        let hookedLeaves = GradNode.prepareHookedLeaves(order)
        root.grad = seed
        for node in order.reversed() {
            var grads: [Tensor?] = []
            if let g = node.grad, let fn = node.backward, let output = node.output {
                grads = fn(node.hooks == nil ? g : node.runGradientHooks(g), output)
            }
            for (i, input) in node.inputs.enumerated() {
                guard let inputNode = input.node else { continue }
                var gi = i < grads.count ? grads[i] : nil
                if let g = gi, g.shape != input.shape { gi = g.sumToShape(input.shape) }
                if inputNode.isLeaf, inputNode.awaitsContributions {
                    inputNode.receiveLeafContribution(gi)  // counts down even without a gradient
                } else if let gi {
                    inputNode.accumulate(gi)
                }
            }
            node.release()
        }
        for leaf in hookedLeaves where leaf.awaitsContributions { leaf.finishLeaf() }
    }
}

extension GradNode {
    /// Op nodes reachable from `root`, children before parents (inputs first).
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var order: [GradNode] = []
        var stack: [(GradNode, Int)] = [(root, 0)]
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                if let child = node.inputs[next].node, !child.isLeaf, visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

/// Runs `body` with autograd recording off on this thread (inference, optimizer updates, metrics).
@discardableResult
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    let state = ThreadState.current
    let previous = state.pointee.gradEnabled
    state.pointee.gradEnabled = false
    defer { state.pointee.gradEnabled = previous }
    return try body()
}

/// Whether autograd is recording on this thread.
public var isGradEnabled: Bool { ThreadState.current.pointee.gradEnabled }
