import Foundation
import Testing
@testable import TrainKitCore
import TrainKitTestSupport

@Suite struct AutogradTests {
    @Test func polynomialMatchesHandDerivative() {  // y = Σ x² + 5x + 4, so dy/dx = 2x + 5
        var x = Tensor([3, 1, 4] as [Float], shape: [3])
        x.requiresGrad = true
        (x * x + 5 * x + 4).sum().backward()
        #expect(x.grad!.toArray() == [11, 7, 13])
    }

    @Test func gradientsAccumulateUntilZeroed() {
        var x = Tensor([1, 2] as [Float])
        x.requiresGrad = true
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad!.toArray() == [6, 6])
        x.zeroGrad()
        #expect(x.grad == nil)
        (x * x).sum().backward()
        #expect(x.grad!.toArray() == [2, 4])
    }

    @Test func explicitUpstreamGradient() {
        var x = Tensor([1, 2, 3] as [Float])
        x.requiresGrad = true
        let y = x.exp()
        y.backward(Tensor([1, 0, 2] as [Float]))
        let e = [Float(1).exponential, 0, 2 * Float(3).exponential]
        for (a, b) in zip(x.grad!.toArray(), e) { #expect(Swift.abs(a - b) < 1e-4) }
    }

    @Test func broadcastGradientsSumBackToInputShape() {
        var a = Tensor.ones([2, 3]); a.requiresGrad = true
        var b = Tensor([1, 2, 3] as [Float]); b.requiresGrad = true
        var c = Tensor(scalar: 2); c.requiresGrad = true
        (a * b * c).sum().backward()
        #expect(b.grad!.shape == [3])
        #expect(b.grad!.toArray() == [4, 4, 4])
        #expect(c.grad!.shape == [])
        #expect(c.grad!.item() == 12)
        #expect(a.grad!.toArray() == [2, 4, 6, 2, 4, 6])
    }

    @Test func detachAndNoGradStopRecording() {
        var x = Tensor([1, 2] as [Float]); x.requiresGrad = true
        let d = x.detach()
        #expect(!d.requiresGrad)
        let y = noGrad { x * 2 }
        #expect(!y.requiresGrad)
        #expect(isGradEnabled)
        let z = (x * 2).detach() * x
        z.sum().backward()
        #expect(x.grad!.toArray() == [2, 4])  // only the non-detached factor contributes
    }

    @Test func sharedSubexpressionGetsBothPaths() {  // y = (x²)·(x²) = x⁴, dy/dx = 4x³
        var x = Tensor([2] as [Float]); x.requiresGrad = true
        let s = x * x
        (s * s).sum().backward()
        #expect(x.grad!.toArray() == [32])
    }

    @Test func gradientCheckDetectsAWrongDerivative() {
        let x = Tensor([0.3, -0.7, 1.1] as [Double])
        let failure = gradientCheckFailure([x]) { xs in
            Tensor.record(noGrad { xs[0].exp() }, op: "bad_exp", inputs: [xs[0]]) { g, out in [g * out * 1.01] }
        }
        #expect(failure != nil)
        #expect(gradientCheckFailure([x]) { xs in xs[0].exp() } == nil)
    }

    @Test func parameterKeepsItsLeafAcrossUpdates() {
        let p = Parameter(Tensor([1, 2] as [Float]))
        (p.value * p.value).sum().backward()
        #expect(p.grad!.toArray() == [2, 4])
        p.updateInPlace { ptr, n in for i in 0..<n { ptr[i] -= 1 } }
        #expect(p.detachedValue.toArray() == [0, 1])
        p.zeroGrad()
        (p.value * 3).sum().backward()
        #expect(p.grad!.toArray() == [3, 3])
    }

    @Test func inPlaceUpdateNeverChangesAnOutstandingCopy() {
        let p = Parameter(Tensor([1, 2] as [Float]))
        let snapshot = p.detachedValue
        p.updateInPlace { ptr, n in for i in 0..<n { ptr[i] = 0 } }
        #expect(snapshot.toArray() == [1, 2])
        #expect(p.detachedValue.toArray() == [0, 0])
    }
}

private extension Float { var exponential: Float { Float(Foundation.exp(Double(self))) } }

@Suite struct InPlaceTests {
    @Test func gradientsAccumulateIntoTheSameBuffer() {
        var x = Tensor([1, 2, 3] as [Float]); x.requiresGrad = true
        (x * 2).sum().backward()
        let first = ObjectIdentifier(x.grad!.storage)
        (x * 3).sum().backward()
        #expect(ObjectIdentifier(x.grad!.storage) == first)
        #expect(x.grad!.toArray() == [5, 5, 5])
    }

    @Test func uniqueParameterUpdatesInPlace() {
        let p = Parameter(Tensor([1, 2] as [Float]))
        let before = ObjectIdentifier(p.detachedValue.storage)
        p.updateInPlace { ptr, n in for i in 0..<n { ptr[i] += 1 } }
        #expect(ObjectIdentifier(p.detachedValue.storage) == before)
        #expect(p.detachedValue.toArray() == [2, 3])
    }
}
