extension Parameter {
    /// Registers `hook` to be called with the gradient flowing into this parameter during each
    /// ``Tensor/backward(_:)``, before it is added to ``grad``; it may return a replacement (same shape
    /// and dtype) or `nil`. The same as `value.registerHook`, but also valid while the parameter is frozen.
    @discardableResult
    public func registerHook(_ hook: @escaping (_ gradient: Tensor) -> Tensor?) -> HookHandle {
        leaf.addGradientHook(hook)
    }

    /// Registers `hook` to run once per ``Tensor/backward(_:)`` that reaches this parameter, after all of
    /// that backward's contributions are in ``grad`` (PyTorch `register_post_accumulate_grad_hook`).
    ///
    /// A parameter used several times in the graph (a shared layer, tied weights) accumulates once per
    /// use; the hook fires after the last one and sees the full gradient. This is the point at which
    /// data-parallel training can start reducing this parameter's gradient while backward goes on with
    /// the rest of the graph; the hook may replace it by setting ``grad``.
    ///
    /// ```swift
    /// for p in model.parameters {
    ///     p.registerPostAccumulateGradHook { p in p.grad = allReduceMean(p.grad!) }
    /// }
    /// ```
    @discardableResult
    public func registerPostAccumulateGradHook(_ hook: @escaping (Parameter) -> Void) -> HookHandle {
        leaf.addPostAccumulateHook { [weak self] _ in
            if let self { hook(self) }
        }
    }
}
