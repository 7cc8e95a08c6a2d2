extension Tensor {
    /// Registers `hook` to be called with the gradient flowing into this tensor during ``backward(_:)``
    /// (PyTorch `tensor.register_hook`).
    ///
    /// The hook gets `∂loss/∂self`, shaped like this tensor, once per backward, after every path through
    /// the graph has contributed. It may return a replacement of the same shape and dtype, which is what
    /// flows on (into this tensor's inputs, or into ``grad`` for a leaf), or `nil` to keep the gradient.
    /// Several hooks run in registration order, each seeing the previous one's result. Hooks run with
    /// autograd off.
    ///
    /// - On a leaf (a tensor with ``requiresGrad`` set, or a ``Parameter/value``) the hook stays for every
    ///   later backward and sees this backward's gradient before it is added to ``grad``.
    /// - On an op result (an intermediate) it applies to the graph that produced the tensor and is
    ///   released with that graph.
    ///
    /// ```swift
    /// let h = x * 2
    /// h.registerHook { g in g * 0.5 }      // halves ∂loss/∂h on its way to x
    /// h.sum().backward()                   // x.grad == [1, 1, …]
    /// ```
    /// - Precondition: the tensor requires a gradient (it is a leaf with ``requiresGrad`` or was computed
    ///   from one with autograd on).
    @discardableResult
    public func registerHook(_ hook: @escaping (_ gradient: Tensor) -> Tensor?) -> HookHandle {
        guard let node else {
            preconditionFailure("registerHook: the tensor does not require a gradient (set requiresGrad, or compute it with autograd on)")
        }
        return node.addGradientHook(hook)
    }

    /// Registers `hook` to be called on a leaf once per ``backward(_:)``, after all of that backward's
    /// contributions have been added to ``grad`` (PyTorch `register_post_accumulate_grad_hook`); the
    /// hook receives the accumulated ``grad``. A leaf used several times in the graph fires once, after
    /// its last contribution, and not at all in a backward that does not reach it.
    ///
    /// - Precondition: the tensor is a leaf that requires a gradient.
    @discardableResult
    public func registerPostAccumulateGradHook(_ hook: @escaping (_ grad: Tensor) -> Void) -> HookHandle {
        guard let node, node.isLeaf else {
            preconditionFailure("registerPostAccumulateGradHook: needs a leaf that requires a gradient")
        }
        return node.addPostAccumulateHook(hook)
    }
}

extension GradNode {
    func addGradientHook(_ hook: @escaping GradHooks.GradientHook) -> HookHandle {
        let id = hookStorage.gradient.append(hook)
        return HookHandle { [weak self] in
            self?.hooks?.gradient.remove(id: id)
            self?.dropHooksIfEmpty()
        }
    }

    func addPostAccumulateHook(_ hook: @escaping GradHooks.PostAccumulateHook) -> HookHandle {
        let id = hookStorage.postAccumulate.append(hook)
        return HookHandle { [weak self] in
            self?.hooks?.postAccumulate.remove(id: id)
            self?.dropHooksIfEmpty()
        }
    }
}
