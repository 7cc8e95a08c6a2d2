/// What a `register…Hook` call returns: ``remove()`` unregisters the hook.
///
/// Dropping the handle leaves the hook in place (as in PyTorch); keep it to remove the hook later.
/// Removing twice, or after the tensor, parameter or module is gone, does nothing.
///
/// ```swift
/// let handle = p.registerPostAccumulateGradHook { p in allReduce(p) }
/// // ... train ...
/// handle.remove()
/// ```
public final class HookHandle: @unchecked Sendable {
    private var onRemove: (() -> Void)?

    package init(_ onRemove: @escaping () -> Void) {
        self.onRemove = onRemove
    }

    /// Unregisters the hook; later backward and forward passes no longer call it.
    public func remove() {
        let body = onRemove
        onRemove = nil
        body?()
    }
}

/// Hooks of one kind in registration order, each under an id its ``HookHandle`` removes it by.
///
/// Callers iterate ``hooks`` (an array value, so a hook that registers or removes hooks while running
/// does not disturb the loop).
package struct HookList<Hook> {
    private var entries: [(id: Int, hook: Hook)] = []
    private var nextID = 0

    package init() {}

    package var isEmpty: Bool { entries.isEmpty }
    package var hooks: [Hook] { entries.map(\.hook) }

    /// Adds `hook` last and returns the id to remove it by.
    package mutating func append(_ hook: Hook) -> Int {
        nextID += 1
        entries.append((nextID, hook))
        return nextID
    }

    package mutating func remove(id: Int) {
        entries.removeAll { $0.id == id }
    }
}

/// The hooks of one autograd node, and the bookkeeping a leaf with hooks needs during ``Tensor/backward(_:)``.
///
/// A node without hooks has `hooks == nil`, so backward pays one nil check per edge and nothing else.
///
/// Leaves: `pendingContributions` is set at the start of a backward to the number of graph edges that
/// end at the leaf, and counts down as the nodes feeding it are processed; at zero every contribution
/// of this backward is in, so the gradient hooks run on their sum (`pendingGradient`), the result is
/// added to `grad`, and the post-accumulate hooks run. A leaf used twice in the graph therefore fires
/// once, after its last contribution.
final class GradHooks {
    typealias GradientHook = (_ gradient: Tensor) -> Tensor?
    typealias PostAccumulateHook = (_ grad: Tensor) -> Void

    var gradient = HookList<GradientHook>()
    var postAccumulate = HookList<PostAccumulateHook>()

    var pendingContributions = 0
    var pendingGradient: Tensor?
    var receivedGradient = false

    var isEmpty: Bool { gradient.isEmpty && postAccumulate.isEmpty }
}

extension GradNode {
    /// The node's hooks, created on first use.
    var hookStorage: GradHooks {
        if let hooks { return hooks }
        let created = GradHooks()
        hooks = created
        return created
    }

    /// Drops the hook storage once the last hook is removed, outside a backward in progress.
    func dropHooksIfEmpty() {
        if let hooks, hooks.isEmpty, hooks.pendingContributions == 0 { self.hooks = nil }
    }

    /// Passes `gradient` through the gradient hooks in registration order; each gets the previous
    /// hook's result and may replace it (same shape and dtype) or return nil to keep it.
    func runGradientHooks(_ gradient: Tensor) -> Tensor {
        guard let hooks else { return gradient }
        var g = gradient
        for hook in hooks.gradient.hooks {
            guard let replaced = hook(g) else { continue }
            precondition(replaced.shape == g.shape && replaced.dtype == g.dtype,
                         "gradient hook: returned \(replaced.dtype) \(replaced.shape), the gradient is \(g.dtype) \(g.shape)")
            g = replaced.detach()
        }
        return g
    }

    /// Counts, for every leaf with hooks, the edges of `order` that end at it, and returns those leaves.
    /// Returns `[]` without allocating when no leaf has hooks.
    static func prepareHookedLeaves(_ order: [GradNode]) -> [GradNode] {
        var leaves: [GradNode] = []
        for node in order {
            for input in node.inputs {
                guard let leaf = input.node, leaf.isLeaf, let hooks = leaf.hooks else { continue }
                if hooks.pendingContributions == 0 {
                    leaves.append(leaf)
                    hooks.pendingGradient = nil
                    hooks.receivedGradient = false
                }
                hooks.pendingContributions += 1
            }
        }
        return leaves
    }

    /// Whether contributions to this leaf go through ``receiveLeafContribution(_:)`` in this backward.
    var awaitsContributions: Bool { (hooks?.pendingContributions ?? 0) > 0 }

    /// One edge's contribution to a leaf with hooks (`nil` when that edge carried no gradient). The
    /// last one finishes the leaf for this backward.
    func receiveLeafContribution(_ g: Tensor?) {
        guard let hooks else { return }
        if let g {
            hooks.receivedGradient = true
            if hooks.gradient.isEmpty && hooks.pendingGradient == nil {
                accumulate(g)  // no gradient hook to see the sum: add in place as usual
            } else if let sum = hooks.pendingGradient {
                hooks.pendingGradient = sum + g
            } else {
                hooks.pendingGradient = g
            }
        }
        hooks.pendingContributions -= 1
        if hooks.pendingContributions == 0 { finishLeaf() }
    }

    /// Runs the gradient hooks on this backward's gradient, adds it to `grad`, then runs the
    /// post-accumulate hooks (which see the full accumulated `grad`).
    func finishLeaf() {
        guard let hooks else { return }
        hooks.pendingContributions = 0
        if let sum = hooks.pendingGradient {
            hooks.pendingGradient = nil
            accumulate(runGradientHooks(sum))
        }
        guard hooks.receivedGradient else { return }
        hooks.receivedGradient = false
        for hook in hooks.postAccumulate.hooks {
            guard let grad else { break }
            hook(grad)
        }
        dropHooksIfEmpty()
    }
}
