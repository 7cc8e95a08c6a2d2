import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// `y = x · scale` elementwise, written with `forward`.
private final class Scale: Layer {
    let moduleState = ModuleState()
    let scale: Parameter
    init(_ values: [Float]) { scale = Parameter(Tensor(values)) }
    func forward(_ x: Tensor) -> Tensor { x * scale.value }
}

/// `y = fc(x)`: a layer that calls another inside its `forward`.
private final class Wrapped: Layer {
    let moduleState = ModuleState()
    let fc: Linear
    init(weight: Tensor, bias: Tensor) { fc = Linear(weight: weight, bias: bias) }
    func forward(_ x: Tensor) -> Tensor { fc(x) }
}

@Suite struct ModuleHookTests {
    // MARK: Forward hooks

    @Test func forwardPreHookSeesAndReplacesTheInput() {
        let layer = Scale([2, 3])
        var seen: [Float] = []
        layer.registerForwardPreHook { l, x in
            #expect(l === layer)
            seen = x.toArray()
            return x + 1
        }
        let y = layer(Tensor([1, 1] as [Float]))
        #expect(seen == [1, 1])
        #expect(y.toArray() == [4, 6])
    }

    @Test func forwardHookSeesInputAndOutputAndReplacesTheOutput() {
        let layer = Scale([2, 3])
        var seen: ([Float], [Float]) = ([], [])
        layer.registerForwardPreHook { _, x in x * 10 }
        layer.registerForwardHook { _, x, y in
            seen = (x.toArray(), y.toArray())
            return y - 1
        }
        let y = layer(Tensor([1, 2] as [Float]))
        #expect(seen.0 == [10, 20])  // the input after the pre-hook
        #expect(seen.1 == [20, 60])
        #expect(y.toArray() == [19, 59])
    }

    @Test func replacedOutputIsDifferentiated() {  // y' = 3·(x·s): ∂Σy'/∂s = 3x
        let layer = Scale([2])
        layer.registerForwardHook { _, _, y in y * 3 }
        layer(Tensor([5] as [Float])).sum().backward()
        #expect(layer.scale.grad!.item() == 15)
    }

    @Test func hooksRunForLayersInsideSequentialAndParents() {
        let a = Scale([2]), b = Scale([3])
        let model = Sequential([a, b])
        var calls: [String] = []
        for (name, module) in model.namedModules {
            guard let layer = module as? Scale else { continue }
            layer.registerForwardHook { _, x, y in calls.append("\(name): \(x.item()) -> \(y.item())"); return nil }
        }
        _ = model(Tensor([1] as [Float]))
        #expect(calls == ["0: 1.0 -> 2.0", "1: 2.0 -> 6.0"])

        let wrapped = Wrapped(weight: Tensor([2] as [Float], shape: [1, 1]), bias: Tensor([0] as [Float]))
        var outer = 0
        wrapped.registerForwardHook { _, _, _ in outer += 1; return nil }
        _ = Sequential([wrapped])(Tensor([1] as [Float], shape: [1, 1]))
        #expect(outer == 1)
    }

    @Test func forwardHooksRunUnderNoGrad() {
        let layer = Scale([2])
        var calls = 0
        var backwardCalls = 0
        layer.registerForwardHook { _, _, _ in calls += 1; return nil }
        layer.registerFullBackwardHook { _, _, _ in backwardCalls += 1; return nil }
        var x = Tensor([1] as [Float]); x.requiresGrad = true
        let y = noGrad { layer(x) }
        #expect(calls == 1)
        #expect(!y.requiresGrad)  // not recorded, so no backward hook can be reached
        #expect(backwardCalls == 0)
    }

    @Test func removedModuleHooksStopRunning() {
        let layer = Scale([2])
        var calls = 0
        let pre = layer.registerForwardPreHook { _, _ in calls += 1; return nil }
        let post = layer.registerForwardHook { _, _, _ in calls += 1; return nil }
        #expect(layer.hasHooks)
        _ = layer(Tensor([1] as [Float]))
        pre.remove()
        #expect(layer.hasHooks)
        post.remove()
        #expect(!layer.hasHooks)
        _ = layer(Tensor([1] as [Float]))
        #expect(calls == 2)
    }

    // MARK: Full backward hooks

    @Test func fullBackwardHookSeesGradInputAndGradOutput() {  // y = x·s, loss = Σ c·y
        let layer = Scale([2, 3])
        var x = Tensor([1, 1] as [Float]); x.requiresGrad = true
        var seen: (input: [Float], output: [Float]) = ([], [])
        layer.registerFullBackwardHook { _, gx, gy in
            seen = (gx!.toArray(), gy.toArray())
            return nil
        }
        (layer(x) * Tensor([5, 7] as [Float])).sum().backward()
        #expect(seen.output == [5, 7])  // ∂loss/∂y = c
        #expect(seen.input == [10, 21])  // ∂loss/∂x = c·s
        #expect(x.grad!.toArray() == [10, 21])
        #expect(layer.scale.grad!.toArray() == [5, 7])
    }

    @Test func fullBackwardHookMatchesLinearGradients() {  // y = x·Wᵀ + b: ∂loss/∂x = g·W
        let w = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let layer = Wrapped(weight: w, bias: Tensor([0, 0] as [Float]))
        var x = Tensor([1, 0, -1, 2, 1, 0] as [Float], shape: [2, 3]); x.requiresGrad = true
        let upstream = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        var seen: (input: Tensor?, output: Tensor?) = (nil, nil)
        layer.registerFullBackwardHook { _, gx, gy in seen = (gx, gy); return nil }
        layer(x).backward(upstream)
        #expect(seen.output!.toArray() == upstream.toArray())
        #expect(seen.input!.shape == [2, 3])
        #expect(seen.input!.toArray() == upstream.matmul(w).toArray())
        #expect(x.grad!.toArray() == seen.input!.toArray())
    }

    @Test func fullBackwardHookReplacesGradInput() {
        let layer = Scale([2])
        var x = Tensor([1] as [Float]); x.requiresGrad = true
        layer.registerFullBackwardHook { _, gx, _ in gx! * 0.5 }
        layer.registerFullBackwardHook { _, gx, _ in
            #expect(gx!.item() == 1)  // sees the first hook's result
            return nil
        }
        layer(x).sum().backward()
        #expect(x.grad!.item() == 1)
        #expect(layer.scale.grad!.item() == 1)  // the layer's own parameters are unaffected
    }

    @Test func fullBackwardHookWithInputWithoutGradient() {
        let layer = Scale([2, 3])
        var seen: (input: Tensor?, output: [Float])? = nil
        layer.registerFullBackwardHook { _, gx, gy in seen = (gx, gy.toArray()); return nil }
        (layer(Tensor([1, 1] as [Float])) * 4).sum().backward()
        #expect(seen != nil)
        #expect(seen?.input == nil)
        #expect(seen?.output == [4, 4])
        #expect(layer.scale.grad!.toArray() == [4, 4])
    }

    @Test func fullBackwardHookRunsOncePerCall() {  // the same layer twice: y = (x·s)·s
        let layer = Scale([3])
        var x = Tensor([2] as [Float]); x.requiresGrad = true
        var seen: [(Double, Double)] = []
        layer.registerFullBackwardHook { _, gx, gy in seen.append((gx!.item(), gy.item())); return nil }
        layer(layer(x)).sum().backward()
        #expect(seen.count == 2)
        #expect(seen[0] == (3, 1))  // outer call first: ∂/∂h (h·s) = s
        #expect(seen[1] == (9, 3))
        #expect(x.grad!.item() == 9)
    }

    @Test func fullBackwardHookInsideSequentialSeesItsOwnSlice() {  // model = [a, b]: b's gradInput is a's gradOutput
        let a = Scale([2]), b = Scale([5])
        var x = Tensor([1] as [Float]); x.requiresGrad = true
        var grads: [String: (Double, Double)] = [:]
        a.registerFullBackwardHook { _, gx, gy in grads["a"] = (gx!.item(), gy.item()); return nil }
        b.registerFullBackwardHook { _, gx, gy in grads["b"] = (gx!.item(), gy.item()); return nil }
        Sequential([a, b])(x).sum().backward()
        #expect(grads["b"]! == (5, 1))
        #expect(grads["a"]! == (10, 5))
    }
}

@Suite struct BuiltInLayerHookTests {
    @Test func builtInLayersRunHooksInsideSequential() {
        let model = Sequential {
            Linear(weight: Tensor([2] as [Float], shape: [1, 1]), bias: Tensor([1] as [Float]))
            ReLU()
        }
        var calls: [String] = []
        for (name, module) in model.namedModules {
            guard let layer = module as? any Layer else { continue }
            layer.registerForwardHook { l, _, y in calls.append("\(name.isEmpty ? "root" : name) \(type(of: l)) \(y.item())"); return nil }
        }
        _ = model(Tensor([3] as [Float], shape: [1, 1]))
        #expect(calls == ["0 Linear 7.0", "1 ReLU 7.0", "root Sequential 7.0"])
    }

    @Test func convReLUFusionYieldsToHooks() {
        Random.seed(0)
        let conv = Conv2d(1, 2, kernelSize: 3, padding: 1)
        let relu = ReLU()
        let model = Sequential([conv, relu])
        let x = Tensor.uniform([1, 1, 4, 4], low: -1, high: 1, key: RandomKey(seed: 1))
        let fused = model(x).toArray()
        var seen = 0
        let handle = relu.registerForwardHook { _, x, y in
            seen += 1
            #expect(x.toArray().contains { $0 < 0 })  // the conv output before ReLU
            return nil
        }
        #expect(model(x).toArray() == fused)  // unfused: same values
        #expect(seen == 1)
        handle.remove()
        #expect(!relu.hasHooks)
    }
}
