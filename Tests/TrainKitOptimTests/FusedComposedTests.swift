import Foundation
import Testing
import TrainKitCore
import TrainKitTestSupport

@testable import TrainKitOptim

/// The two forms of every rule agree: the CPU backend's fused float32 loop (`update` on a CPU float32 tensor)
/// and the rule's `composedUpdate` in tensor ops, on the same inputs over several steps, in the new value and in
/// every state tensor.

/// Every rule, with settings that reach each branch: decay, momentum, dampening, Nesterov, AMSGrad, decoupled
/// decay, centering, a lerp weight 1 − β ≥ 0.5 (its second form), RAdam's switch to the rectified step (t = 6).
let fusedComposedRules: [(String, any UpdateRule)] = [
    ("sgd/plain", SGD(lr: 0.1)),
    ("sgd/momentum_dampening_decay", SGD(lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)),
    ("sgd/nesterov", SGD(lr: 0.05, momentum: 0.9, weightDecay: 0.05, nesterov: true)),
    ("adam/default", Adam(lr: 0.01)),
    ("adam/amsgrad_decay", Adam(lr: 0.01, weightDecay: 0.1, amsgrad: true)),
    ("adamw/amsgrad", AdamW(lr: 0.01, weightDecay: 0.1, amsgrad: true)),
    ("adamw/small_beta1", AdamW(lr: 0.01, betas: (0.3, 0.999))),
    ("adamax/decay", Adamax(lr: 0.02, weightDecay: 0.01)),
    ("nadam/default", NAdam(lr: 0.01)),
    ("nadam/decoupled", NAdam(lr: 0.01, weightDecay: 0.05, decoupledWeightDecay: true)),
    ("radam/default", RAdam(lr: 0.01)),
    ("radam/decoupled", RAdam(lr: 0.01, weightDecay: 0.05, decoupledWeightDecay: true)),
    ("rmsprop/plain", RMSprop(lr: 0.01)),
    ("rmsprop/centered_momentum_decay", RMSprop(lr: 0.01, weightDecay: 0.01, momentum: 0.9, centered: true)),
    ("rmsprop/small_alpha_centered", RMSprop(lr: 0.01, alpha: 0.3, centered: true)),
    ("adagrad/decay", Adagrad(lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1)),
]

/// Runs `steps` steps of both forms from the same start; returns one message per disagreement.
func fusedComposedDisagreements<Rule: UpdateRule>(_ rule: Rule, steps: Int = 8) -> [String] {
    // 35 elements: eight full 4-lane vectors and a partial one.
    let start = Tensor.normal([5, 7], key: RandomKey(seed: 3), device: .cpu)
    guard rule.fusedRule(for: start) != nil else { return ["no fused loop for a float32 CPU tensor"] }
    var (fused, composed) = (start, start)
    var (fusedState, composedState) = (ParameterState(), ParameterState())
    var failures: [String] = []
    for t in 1...steps {
        let g = Tensor.normal([5, 7], std: 0.5, key: RandomKey(seed: UInt64(40 + t)), device: .cpu)
        fused = rule.update(fused, gradient: g, state: &fusedState)
        composed = rule.composedUpdate(composed, gradient: g, state: &composedState)
        // The same float32 operations in the same order, so they agree bit for bit today (the C kernels use no
        // fused multiply-add); the contract is agreement within float32 rounding.
        if let failure = closenessFailure(composed, fused, rtol: 1e-6, atol: 1e-7) {
            failures.append("step \(t), value: \(failure)")
        }
        if fusedState.step != t || composedState.step != t || fusedState.muProduct != composedState.muProduct {
            failures.append("step \(t): steps \(fusedState.step), \(composedState.step); mu_product differs")
        }
        let slots = (fusedState.tensors.map(\.slot), composedState.tensors.map(\.slot))
        if slots.0 != slots.1 { failures.append("step \(t): state slots \(slots.0) and \(slots.1)") }
        for (slot, tensor) in fusedState.tensors {
            guard let other = composedState[slot] else { continue }
            if let failure = closenessFailure(other, tensor, rtol: 1e-6, atol: 1e-7) {
                failures.append("step \(t), \(slot.rawValue): \(failure)")
            }
        }
    }
    return failures
}

@Test(arguments: fusedComposedRules.indices)
func fusedLoopMatchesComposedTensorOps(_ index: Int) {
    let (name, rule) = fusedComposedRules[index]
    for failure in fusedComposedDisagreements(rule) { Issue.record("\(name): \(failure)") }
}

@Test func optimizerStepsFloat32OnTheCPUInPlaceAndElsewhereComposed() {
    let rule = Adam(lr: 0.01)
    let cpu = Parameter(Tensor.normal([4], key: RandomKey(seed: 1), device: .cpu))
    #expect(rule.fusedRule(for: cpu.detachedValue) != nil)
    #expect(rule.fusedRule(for: cpu.detachedValue.to(.float64)) == nil)
    #expect(rule.fusedRule(for: cpu.detachedValue.to(device: .reference)) == nil)
    let reference = Parameter(cpu.detachedValue.to(device: .reference))
    let optimizer = Optimizer(rule, parameters: [cpu, reference])
    for t in 0..<3 {
        let g = Tensor.normal([4], key: RandomKey(seed: UInt64(9 + t)), device: .cpu)
        cpu.grad = g
        reference.grad = g.to(device: .reference)
        optimizer.step()
    }
    // The reference parameter and its state stay on the reference device.
    #expect(reference.detachedValue.device == .reference)
    #expect(optimizer.state(group: 0, index: 1)!.expAvg!.device == .reference)
    #expect(closenessFailure(reference.detachedValue, cpu.detachedValue, rtol: 2e-6, atol: 1e-7) == nil)
}

@Test func stateTensorsTakenFromAStateDictKeepTheirValues() {
    // A fused step writes state tensors in place only when the state holds the only reference.
    let parameter = Parameter(Tensor([1, 2, 3] as [Float], shape: [3], device: .cpu))
    let optimizer = Optimizer(SGD(lr: 0.1, momentum: 0.9), parameters: [parameter])
    parameter.grad = Tensor([1, 1, 1] as [Float], shape: [3], device: .cpu)
    optimizer.step()
    let saved = optimizer.stateDict().tensors["state.0.momentum_buffer"]!
    #expect(saved.toArray() == [1, 1, 1])
    parameter.grad = Tensor([1, 1, 1] as [Float], shape: [3], device: .cpu)
    optimizer.step()
    #expect(saved.toArray() == [1, 1, 1])
    #expect(optimizer.state(group: 0, index: 0)!.momentumBuffer!.toArray() == [1.9, 1.9, 1.9])
}

/// Optimizer state is long-lived: it must not take blocks from the buffer pool, where a cached activation
/// block of a larger size class would be wasted for the whole run.
@Suite struct OptimizerStateMemoryTests {
    /// On the `cpu` device (the fused path's), whatever the default device.
    @Test func fusedStateIsLongLivedMemory() throws {
        let parameter = Parameter(Tensor.uniform([300, 7], key: RandomKey(seed: 1)).to(device: .cpu))
        parameter.grad = Tensor.uniform([300, 7], key: RandomKey(seed: 2)).to(device: .cpu)
        let optimizer = Optimizer(Adam(lr: 1e-3), parameters: [parameter])
        optimizer.step()   // creates exp_avg and exp_avg_sq
        let state = try #require(optimizer.state(group: 0, index: 0))
        #expect(state.expAvg?.storage.isLongLived == true)
        #expect(state.expAvgSq?.storage.isLongLived == true)
        #expect(parameter.grad?.storage.isLongLived == false)
        optimizer.step()   // updated in place: still the long-lived buffers
        #expect(optimizer.state(group: 0, index: 0)?.expAvg?.storage.isLongLived == true)
    }
}
