import Testing
@testable import TrainKitCore

@Suite struct HookTests {
    // MARK: Gradient hooks (tensor.register_hook)

    @Test func hookOnIntermediateSeesItsGradient() {  // loss = Σ 3·h, h = x², so ∂loss/∂h = 3, ∂loss/∂x = 6x
        var x = Tensor([1, 2, 3] as [Float]); x.requiresGrad = true
        let h = x * x
        var seen: [Float] = []
        h.registerHook { g in seen = g.toArray(); return nil }
        (h * 3).sum().backward()
        #expect(seen == [3, 3, 3])
        #expect(x.grad!.toArray() == [6, 12, 18])
    }

    @Test func hookOnIntermediateCanScaleTheGradient() {
        var x = Tensor([1, 2, 3] as [Float]); x.requiresGrad = true
        let h = x * x
        h.registerHook { g in g * 0.5 }
        (h * 3).sum().backward()
        #expect(x.grad!.toArray() == [3, 6, 9])  // half of 6x
    }

    @Test func hookOnIntermediateSeesAllPathsSummed() {  // h feeds two ops: ∂loss/∂h = 2 + 5
        var x = Tensor([1, 2] as [Float]); x.requiresGrad = true
        let h = x * 1
        var calls = 0
        var seen: [Float] = []
        h.registerHook { g in calls += 1; seen = g.toArray(); return nil }
        (h * 2 + h * 5).sum().backward()
        #expect(calls == 1)
        #expect(seen == [7, 7])
    }

    @Test func hooksChainInRegistrationOrder() {
        var x = Tensor([1] as [Float]); x.requiresGrad = true
        let h = x * 1
        var order: [String] = []
        h.registerHook { g in order.append("a"); return g + 1 }  // 1 -> 2
        h.registerHook { g in order.append("b"); #expect(g.item() == 2); return g * 10 }
        h.sum().backward()
        #expect(order == ["a", "b"])
        #expect(x.grad!.item() == 20)
    }

    @Test func hookOnLeafSeesThisBackwardsGradientOnce() {  // x used twice: ∂/∂x (2x + x²) = 2 + 2x
        var x = Tensor([1, 3] as [Float]); x.requiresGrad = true
        var seen: [[Float]] = []
        x.registerHook { g in seen.append(g.toArray()); return nil }
        (x * 2 + x * x).sum().backward()
        (x * 2).sum().backward()  // accumulates; the hook sees only this backward's [2, 2]
        #expect(seen == [[4, 8], [2, 2]])
        #expect(x.grad!.toArray() == [6, 10])
    }

    @Test func hookOnLeafReplacementIsWhatAccumulates() {
        var x = Tensor([1, 2] as [Float]); x.requiresGrad = true
        x.registerHook { g in g * 0 + 1 }
        (x * 7).sum().backward()
        #expect(x.grad!.toArray() == [1, 1])
    }

    @Test func hookOnParameterPersistsAcrossSteps() {
        let p = Parameter(Tensor([2] as [Float]))
        var calls = 0
        p.registerHook { g in calls += 1; return g * -1 }
        (p.value * 3).sum().backward()
        (p.value * 3).sum().backward()
        #expect(calls == 2)
        #expect(p.grad!.item() == -6)
    }

    @Test func hookOnLeafRootOfBackward() {
        var x = Tensor([1, 2] as [Float]); x.requiresGrad = true
        var seen: [Float] = []
        x.registerHook { g in seen = g.toArray(); return g * 2 }
        x.backward(Tensor([3, 4] as [Float]))
        #expect(seen == [3, 4])
        #expect(x.grad!.toArray() == [6, 8])
    }

    @Test func removedHookIsNotCalled() {
        var x = Tensor([1, 2] as [Float]); x.requiresGrad = true
        var calls = 0
        let handle = x.registerHook { g in calls += 1; return g * 100 }
        (x * 1).sum().backward()
        handle.remove()
        handle.remove()  // twice is harmless
        x.zeroGrad()
        (x * 1).sum().backward()
        #expect(calls == 1)
        #expect(x.grad!.toArray() == [1, 1])
        #expect(x.node?.hooks == nil)  // the storage goes with the last hook
    }

    @Test func removingOneHookKeepsTheOthers() {
        var x = Tensor([1] as [Float]); x.requiresGrad = true
        var calls: [String] = []
        let a = x.registerHook { _ in calls.append("a"); return nil }
        x.registerHook { _ in calls.append("b"); return nil }
        a.remove()
        x.sum().backward()
        #expect(calls == ["b"])
    }

    @Test func hooksRunWithAutogradOff() {
        var x = Tensor([1] as [Float]); x.requiresGrad = true
        var enabledInHook = true
        let h = x * 2
        h.registerHook { g in enabledInHook = isGradEnabled; return g * x }  // would record if autograd were on
        h.sum().backward()
        #expect(!enabledInHook)
        #expect(isGradEnabled)
        #expect(x.grad!.item() == 2)
    }

    @Test func noGradComputationNeverReachesTheHook() {
        let p = Parameter(Tensor([1, 2] as [Float]))
        var calls = 0
        p.registerHook { _ in calls += 1; return nil }
        p.registerPostAccumulateGradHook { _ in calls += 1 }
        let y = noGrad { p.value * 2 }
        #expect(!y.requiresGrad)
        var other = Tensor([1] as [Float]); other.requiresGrad = true
        (other * 2).sum().backward()  // a graph without p
        #expect(calls == 0)
        #expect(p.grad == nil)
    }

    // MARK: Gradient-complete hooks (register_post_accumulate_grad_hook)

    @Test func postAccumulateFiresOnceForASharedParameter() {  // p used by two ops: grad = a + b
        let p = Parameter(Tensor([1, 1] as [Float]))
        let a = Tensor([2, 3] as [Float]), b = Tensor([10, 20] as [Float])
        var seen: [[Float]] = []
        p.registerPostAccumulateGradHook { p in seen.append(p.grad!.toArray()) }
        (p.value * a + (p.value * b).exp().log()).sum().backward()
        #expect(seen.count == 1)
        #expect(seen[0].count == 2)
        #expect(Swift.abs(seen[0][0] - 12) < 1e-4 && Swift.abs(seen[0][1] - 23) < 1e-4)
    }

    @Test func postAccumulateFiresOnceForALeafUsedTwiceInOneOp() {  // d/dx x² = 2x
        var x = Tensor([3] as [Float]); x.requiresGrad = true
        var seen: [Float] = []
        x.registerPostAccumulateGradHook { grad in seen.append(grad.item().float) }
        (x * x).sum().backward()
        #expect(seen == [6])
    }

    @Test func postAccumulateSeesTheAccumulatedGradient() {
        let p = Parameter(Tensor([1] as [Float]))
        var seen: [Float] = []
        p.registerPostAccumulateGradHook { p in seen.append(p.grad!.item().float) }
        (p.value * 2).sum().backward()
        (p.value * 2).sum().backward()  // no zeroGrad: 2 + 2
        #expect(seen == [2, 4])
    }

    @Test func postAccumulateSeesTheGradientHooksResult() {
        let p = Parameter(Tensor([1] as [Float]))
        var seen: Float = 0
        p.registerHook { g in g * 10 }
        p.registerPostAccumulateGradHook { p in seen = p.grad!.item().float }
        (p.value * p.value * 2).sum().backward()  // 4p = 4, hooked to 40
        #expect(seen == 40)
        #expect(p.grad!.item() == 40)
    }

    @Test func postAccumulateFiresAsSoonAsTheParameterIsComplete() {  // loss = Σ exp(x·p1)·p2
        let p1 = Parameter(Tensor([0.5] as [Float])), p2 = Parameter(Tensor([2] as [Float]))
        let x = Tensor([1] as [Float])
        var events: [String] = []
        p2.registerPostAccumulateGradHook { _ in events.append("p2, p1 done: \(p1.grad != nil)") }
        p1.registerPostAccumulateGradHook { _ in events.append("p1, p2 done: \(p2.grad != nil)") }
        ((x * p1.value).exp() * p2.value).sum().backward()
        #expect(events == ["p2, p1 done: false", "p1, p2 done: true"])
    }

    @Test func postAccumulateMayReplaceTheGradient() {  // what an all-reduce does
        let p = Parameter(Tensor([1, 2] as [Float]))
        p.registerPostAccumulateGradHook { p in p.grad = p.grad! / 4 }
        (p.value * 8).sum().backward()
        #expect(p.grad!.toArray() == [2, 2])
    }

    @Test func postAccumulateNotFiredWhenBackwardMissesTheParameter() {
        let used = Parameter(Tensor([1] as [Float])), unused = Parameter(Tensor([1] as [Float]))
        var fired: [String] = []
        used.registerPostAccumulateGradHook { _ in fired.append("used") }
        unused.registerPostAccumulateGradHook { _ in fired.append("unused") }
        (used.value * 2).sum().backward()
        #expect(fired == ["used"])
    }

    @Test func postAccumulateHandleRemoves() {
        let p = Parameter(Tensor([1] as [Float]))
        var calls = 0
        let handle = p.registerPostAccumulateGradHook { _ in calls += 1 }
        (p.value * 2).sum().backward()
        handle.remove()
        (p.value * 2).sum().backward()
        #expect(calls == 1)
        #expect(p.leaf.hooks == nil)
    }

    @Test func postAccumulateRemovedDuringBackwardStillBalances() {  // a hook that removes itself
        let p = Parameter(Tensor([1] as [Float]))
        var calls = 0
        var handle: HookHandle?
        handle = p.registerPostAccumulateGradHook { _ in calls += 1; handle?.remove() }
        (p.value * p.value).sum().backward()
        (p.value * p.value).sum().backward()
        #expect(calls == 1)
        #expect(p.grad!.item() == 4)
    }
}

private extension Double {
    var float: Float { Float(self) }
}
