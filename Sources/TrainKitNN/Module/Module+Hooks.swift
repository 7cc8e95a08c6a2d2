import TrainKitCore

// Forward and backward hooks on layers, as PyTorch's `nn.Module` has them. A hook is called with the
// layer it is registered on (so a hook stored on the layer need not capture it, which would be a
// retain cycle). Hooks run for every call `layer(x)`, inside a `Sequential` or a parent's `forward`
// alike; calling `forward(_:)` directly skips them. See docs/hooks.md.

extension Layer {
    /// Registers `hook` to run before every ``forward(_:)`` with the input; it may return a
    /// replacement input, or `nil` to keep it (PyTorch `register_forward_pre_hook`).
    @discardableResult
    public func registerForwardPreHook(_ hook: @escaping (_ layer: Self, _ input: Tensor) -> Tensor?) -> HookHandle {
        moduleState.addHook(\.forwardPre) { layer, x in hook(layer as! Self, x) }
    }

    /// Registers `hook` to run after every ``forward(_:)`` with the input (after pre-hooks) and the
    /// output; it may return a replacement output, or `nil` to keep it (PyTorch `register_forward_hook`).
    /// Forward hooks run under ``noGrad(_:)`` too.
    ///
    /// ```swift
    /// let h = fc.registerForwardHook { fc, x, y in print(fc.pathDescription, y.shape); return nil }
    /// ```
    @discardableResult
    public func registerForwardHook(
        _ hook: @escaping (_ layer: Self, _ input: Tensor, _ output: Tensor) -> Tensor?
    ) -> HookHandle {
        moduleState.addHook(\.forward) { layer, x, y in hook(layer as! Self, x, y) }
    }

    /// Registers `hook` to run during ``Tensor/backward(_:)`` once the gradients with respect to this
    /// call's input and output are known (PyTorch `register_full_backward_hook`).
    ///
    /// The hook gets `gradInput = ∂loss/∂x` and `gradOutput = ∂loss/∂y` for a call `y = layer(x)`, each
    /// shaped like its tensor, and may return a replacement `gradInput` (same shape and dtype), which
    /// is what flows on to `x`, or `nil` to keep it. `gradInput` is `nil` when `x` does not require a
    /// gradient (the hook then runs when `gradOutput` is known, and its result is ignored). A layer
    /// called several times gets one hook call per call it was part of the backward of. Calls made
    /// while autograd is off (``noGrad(_:)``) are not recorded, so they never reach the hook; neither do
    /// calls whose output does not require a gradient.
    ///
    /// ```swift
    /// fc.registerFullBackwardHook { fc, gradInput, gradOutput in
    ///     print(gradOutput.square().sum().item())   // ‖∂loss/∂y‖²
    ///     return nil
    /// }
    /// ```
    @discardableResult
    public func registerFullBackwardHook(
        _ hook: @escaping (_ layer: Self, _ gradInput: Tensor?, _ gradOutput: Tensor) -> Tensor?
    ) -> HookHandle {
        moduleState.addHook(\.backward) { layer, gx, gy in hook(layer as! Self, gx, gy) }
    }
}

extension Layer {
    /// Calls ``callAsFunction(_:)``: the computation of a layer written before ``forward(_:)`` existed.
    public func forward(_ x: Tensor) -> Tensor { self(x) }

    /// Runs ``forward(_:)`` with this layer's hooks around it; just `forward(x)` when it has none.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let hooks = moduleState.hooks else { return forward(x) }
        return hooks.call(self, x)
    }
}

extension Module {
    /// Whether any forward or backward hook is registered on this module.
    public var hasHooks: Bool { moduleState.hooks != nil }
}

/// The hooks registered on one layer.
final class ModuleHooks {
    typealias ForwardPreHook = (_ layer: any Layer, _ input: Tensor) -> Tensor?
    typealias ForwardHook = (_ layer: any Layer, _ input: Tensor, _ output: Tensor) -> Tensor?
    typealias BackwardHook = (_ layer: any Layer, _ gradInput: Tensor?, _ gradOutput: Tensor) -> Tensor?

    var forwardPre = HookList<ForwardPreHook>()
    var forward = HookList<ForwardHook>()
    var backward = HookList<BackwardHook>()

    var isEmpty: Bool { forwardPre.isEmpty && forward.isEmpty && backward.isEmpty }

    /// PyTorch's order: pre-hooks, input wrapped for the backward hooks, forward, forward hooks, output
    /// wrapped for the backward hooks.
    func call(_ layer: any Layer, _ input: Tensor) -> Tensor {
        var x = input
        for hook in forwardPre.hooks {
            if let replaced = hook(layer, x) { x = replaced }
        }
        let backwardHooks = isGradEnabled ? backward.hooks : []
        let pass = backwardHooks.isEmpty ? nil : FullBackwardHookCall(layer, backwardHooks, inputTracked: x.requiresGrad)
        if let pass, x.requiresGrad { x = pass.wrapInput(x) }
        var y = layer.forward(x)
        for hook in forward.hooks {
            if let replaced = hook(layer, x, y) { y = replaced }
        }
        if let pass { y = pass.wrapOutput(y) }
        return y
    }
}

/// One recorded call of a layer with full backward hooks: identity ops on its input and output catch
/// `∂loss/∂y` (the output's op runs first in backward) and then `∂loss/∂x` (the input's op runs once
/// every path through the layer has contributed), where the hooks run.
private final class FullBackwardHookCall {
    let layer: any Layer
    let hooks: [ModuleHooks.BackwardHook]
    let inputTracked: Bool
    var gradOutput: Tensor?

    init(_ layer: any Layer, _ hooks: [ModuleHooks.BackwardHook], inputTracked: Bool) {
        self.layer = layer
        self.hooks = hooks
        self.inputTracked = inputTracked
    }

    func wrapInput(_ x: Tensor) -> Tensor {
        Tensor.record(x, op: "fullBackwardHookInput", x) { g, _ in [self.run(gradInput: g)] }
    }

    func wrapOutput(_ y: Tensor) -> Tensor {
        Tensor.record(y, op: "fullBackwardHookOutput", y) { g, _ in
            self.gradOutput = g
            if !self.inputTracked { _ = self.run(gradInput: nil) }
            return [g]
        }
    }

    /// Runs the hooks in registration order, each seeing the previous one's `gradInput`.
    func run(gradInput: Tensor?) -> Tensor? {
        guard let gradOutput else { return gradInput }  // the output took no part in this backward
        var gx = gradInput
        for hook in hooks {
            guard let replaced = hook(layer, gx, gradOutput) else { continue }
            if let current = gx {
                precondition(replaced.shape == current.shape && replaced.dtype == current.dtype,
                             "\(layer.pathDescription): full backward hook returned \(replaced.dtype) \(replaced.shape), gradInput is \(current.dtype) \(current.shape)")
                gx = replaced.detach()
            }
        }
        return gx
    }
}

extension ModuleState {
    func addHook<Hook>(_ list: ReferenceWritableKeyPath<ModuleHooks, HookList<Hook>>, _ hook: Hook) -> HookHandle {
        let storage: ModuleHooks
        if let hooks {
            storage = hooks
        } else {
            storage = ModuleHooks()
            hooks = storage
        }
        let id = storage[keyPath: list].append(hook)
        return HookHandle { [weak self, weak storage] in
            guard let storage else { return }
            storage[keyPath: list].remove(id: id)
            if storage.isEmpty, let self, self.hooks === storage { self.hooks = nil }
        }
    }
}
