import Foundation
import Testing
import TrainKitCore

@testable import TrainKitOptim

/// The `Optimizer` driver: which parameters it touches, parameter groups, the functional form, copy-on-write
/// and the parallel path.

@Test func stepSkipsParametersWithoutGradientOrFrozen() {
    let trained = Parameter(Tensor([1, 2] as [Float], shape: [2]))
    let noGradient = Parameter(Tensor([3, 4] as [Float], shape: [2]))
    let frozen = Parameter(Tensor([5, 6] as [Float], shape: [2]))
    frozen.isTrainable = false
    let optimizer = Optimizer(SGD(lr: 0.5, momentum: 0.9), parameters: [trained, noGradient, frozen])
    trained.grad = Tensor([1, -1] as [Float], shape: [2])
    frozen.grad = Tensor([1, 1] as [Float], shape: [2])
    optimizer.step()
    #expect(trained.detachedValue.toArray() == [0.5, 2.5])  // θ − 0.5·g (first step: buffer = g)
    #expect(noGradient.detachedValue.toArray() == [3, 4])
    #expect(frozen.detachedValue.toArray() == [5, 6])
    #expect(optimizer.state(group: 0, index: 1) == nil && optimizer.state(group: 0, index: 2) == nil)
    optimizer.zeroGrad()
    #expect(trained.grad == nil && frozen.grad == nil)
}

@Test func groupsKeepTheirOwnHyperparameters() {
    let a = Parameter(Tensor([1] as [Float], shape: [1]))
    let b = Parameter(Tensor([1] as [Float], shape: [1]))
    let c = Parameter(Tensor([1] as [Float], shape: [1]))
    let optimizer = Optimizer(
        SGD(lr: 0.1),
        groups: [
            ParameterGroup(parameters: [a]),
            ParameterGroup(parameters: [b], lr: 0.01),
            ParameterGroup(parameters: [c], weightDecay: 1) { $0.lr = 0.2 },
        ])
    #expect(optimizer.learningRates == [0.1, 0.01, 0.2])
    #expect(optimizer[group: 2].weightDecay == 1 && optimizer[group: 0].weightDecay == 0)
    for p in [a, b, c] { p.grad = Tensor([1] as [Float], shape: [1]) }
    optimizer.step()
    #expect(a.detachedValue.toArray() == [Float(1) - Float(0.1)])
    #expect(b.detachedValue.toArray() == [Float(1) - Float(0.01)])
    #expect(c.detachedValue.toArray() == [Float(1) + Float(-0.2) * (1 + 1)])  // g + λθ = 2
    optimizer[group: 1].lr = 0
    b.grad = Tensor([1] as [Float], shape: [1])
    optimizer.step()
    #expect(b.detachedValue.toArray() == [Float(1) - Float(0.01)])
}

@Test func functionalUpdateMatchesOptimizerStep() {
    let start = Tensor.normal([4, 3], mean: 0, std: 1, key: RandomKey(seed: 1))
    let parameter = Parameter(start)
    let rule = Adam(lr: 0.01, amsgrad: true)
    let optimizer = Optimizer(rule, parameters: [parameter])
    var value = start
    var state = ParameterState()
    for t in 0..<4 {
        let g = Tensor.normal([4, 3], mean: 0, std: 1, key: RandomKey(seed: UInt64(100 + t)))
        parameter.grad = g
        optimizer.step()
        value = rule.update(value, gradient: g, state: &state)
    }
    #expect(value.toArray() == parameter.detachedValue.toArray())
    #expect(state == optimizer.state(group: 0, index: 0))
    #expect(state.step == 4 && state.tensors.map(\.slot) == [.expAvg, .expAvgSq, .maxExpAvgSq])
}

@Test func stepLeavesOtherHoldersOfTheOldValueAlone() {
    let parameter = Parameter(Tensor([1, 2, 3] as [Float], shape: [3]))
    let held = parameter.detachedValue  // e.g. a tensor saved for backward
    let optimizer = Optimizer(SGD(lr: 1), parameters: [parameter])
    parameter.grad = Tensor([1, 1, 1] as [Float], shape: [3])
    optimizer.step()
    #expect(held.toArray() == [1, 2, 3])
    #expect(parameter.detachedValue.toArray() == [0, 1, 2])
}

@Test func parallelStepOfALargeParameterMatchesSmallPieces() {
    // One 262,144-element parameter (split over the thread pool) against the same numbers as 8 parameters
    // small enough to run on one thread: the result must not depend on the split.
    let n = 1 << 18
    let pieces = 8
    let start = Tensor.normal([n], mean: 0, std: 1, key: RandomKey(seed: 7)).toArray()
    let big = Parameter(Tensor(start, shape: [n]))
    let small = (0..<pieces).map { k in
        Parameter(Tensor(Array(start[(k * n / pieces)..<((k + 1) * n / pieces)]), shape: [n / pieces]))
    }
    for rule in [
        AnyRule(AdamW(lr: 0.01)), AnyRule(RMSprop(lr: 0.01, momentum: 0.9, centered: true)),
        AnyRule(SGD(lr: 0.1, momentum: 0.9, nesterov: true)),
    ] {
        let bigOptimizer = rule.optimizer([big])
        let smallOptimizer = rule.optimizer(small)
        for t in 0..<3 {
            let g = Tensor.normal([n], mean: 0, std: 1, key: RandomKey(seed: UInt64(50 + t))).toArray()
            big.grad = Tensor(g, shape: [n])
            for (k, p) in small.enumerated() {
                p.grad = Tensor(Array(g[(k * n / pieces)..<((k + 1) * n / pieces)]), shape: [n / pieces])
            }
            bigOptimizer.step()
            smallOptimizer.step()
        }
        #expect(big.detachedValue.toArray() == small.flatMap { $0.detachedValue.toArray() }, "\(rule.name)")
    }
}

/// Builds an optimizer of a rule chosen at run time.
struct AnyRule {
    let name: String
    let optimizer: ([Parameter]) -> any OptimizerProtocol
    init<Rule: UpdateRule>(_ rule: Rule) {
        name = Rule.name
        optimizer = { Optimizer(rule, parameters: $0) }
    }
}

@Test func hyperparametersRoundTripThroughMetadata() throws {
    let rule = NAdam(
        lr: 0.003, betas: (0.8, 0.95), eps: 1e-7, weightDecay: 0.1, momentumDecay: 0.01,
        decoupledWeightDecay: true)
    let values = try hyperparameterValues(rule)
    #expect(values["decoupledWeightDecay"] == .flag(true))
    #expect(values["beta1"] == .number(0.8))
    let back: NAdam = try TrainKitOptim.rule(from: values)
    #expect(back == rule)
}

@Test func stepUpdatesAnUnsharedParameterWithoutCopying() {
    // The fused in-place step is the CPU backend's; other devices replace the value.
    let parameter = Parameter(Tensor.zeros([1000], device: .cpu))
    let optimizer = Optimizer(SGD(lr: 0.1), parameters: [parameter])
    parameter.grad = Tensor.ones([1000], device: .cpu)
    let before = ObjectIdentifier(parameter.detachedValue.storage)
    optimizer.step()
    #expect(parameter.detachedValue.toArray().allSatisfy { $0 == -0.1 })
    // The parameter holds the only reference to its buffer, so the step writes in place (no copy).
    #expect(ObjectIdentifier(parameter.detachedValue.storage) == before)
}

@Test func stepUpdatesUnsharedStateTensorsWithoutCopying() {
    let parameter = Parameter(Tensor.zeros([1000], device: .cpu))
    let optimizer = Optimizer(Adam(lr: 0.1, amsgrad: true), parameters: [parameter])
    func storages() -> [ObjectIdentifier] {
        optimizer.state(group: 0, index: 0)!.tensors.map { ObjectIdentifier($0.tensor.storage) }
    }
    parameter.grad = Tensor.ones([1000], device: .cpu)
    optimizer.step()
    let first = storages()
    parameter.grad = Tensor.ones([1000], device: .cpu)
    optimizer.step()
    #expect(first.count == 3 && storages() == first)
}
