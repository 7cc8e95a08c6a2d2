import Foundation
import Testing
import TrainKitCore
import TrainKitOptim

/// Saving an optimizer and a schedule mid-run (after 3 steps), restoring them into fresh objects and running
/// 3 more steps gives exactly the parameters of an uninterrupted 6-step run.

/// A small training problem: two parameters, gradients that depend on the parameters and on the step.
struct ResumeProblem {
    static let shapes = [[3, 4], [5]]

    static func initialValues() -> [Tensor] {
        shapes.enumerated().map { k, shape in
            Tensor.normal(shape, mean: 0, std: 1, key: RandomKey(seed: UInt64(10 + k)))
        }
    }

    /// g = 2(θ − target) + noise(step): deterministic in (θ, step).
    static func setGradients(_ parameters: [Parameter], step: Int) {
        for (k, parameter) in parameters.enumerated() {
            let noise = Tensor.normal(parameter.shape, mean: 0, std: 0.5, key: RandomKey(seed: UInt64(1000 * step + k)))
            parameter.grad = noise + (parameter.detachedValue - 0.25) * 2
        }
    }
}

/// How each resume case builds its optimizer (fresh each time) and schedule.
struct ResumeCase: CustomStringConvertible, Sendable {
    let name: String
    let makeOptimizer: @Sendable ([Parameter]) -> any OptimizerProtocol
    let makeSchedule: @Sendable (any OptimizerProtocol) -> any LearningRateSchedule
    var description: String { name }
}

/// Two groups with different hyperparameters (the second overrides lr and weight decay).
func groups<Rule: UpdateRule>(_ rule: Rule, _ parameters: [Parameter]) -> Optimizer<Rule> {
    Optimizer(
        rule,
        groups: [
            ParameterGroup(parameters: [parameters[0]]),
            ParameterGroup(parameters: [parameters[1]], lr: rule.lr / 2, weightDecay: 0.02),
        ])
}

let resumeCases: [ResumeCase] = [
    ResumeCase(
        name: "SGD nesterov + OneCycleLR (cycled momentum)",
        makeOptimizer: { groups(SGD(lr: 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true), $0) },
        makeSchedule: { OneCycleLR($0, maxLR: 0.1, totalSteps: 8) }),
    ResumeCase(
        name: "SGD dampening + StepLR",
        makeOptimizer: { groups(SGD(lr: 0.05, momentum: 0.8, dampening: 0.2), $0) },
        makeSchedule: { StepLR($0, stepSize: 2, gamma: 0.5) }),
    ResumeCase(
        name: "Adam amsgrad + CosineAnnealingWarmRestarts",
        makeOptimizer: { groups(Adam(lr: 0.01, weightDecay: 0.1, amsgrad: true), $0) },
        makeSchedule: { CosineAnnealingWarmRestarts($0, t0: 2, tMult: 2, etaMin: 1e-4) }),
    ResumeCase(
        name: "AdamW + SequentialLR(LinearLR, CosineAnnealingLR)",
        makeOptimizer: { groups(AdamW(lr: 0.01), $0) },
        makeSchedule: { optimizer in
            SequentialLR(
                optimizer,
                schedules: [
                    LinearLR(optimizer, startFactor: 0.1, totalIters: 2),
                    CosineAnnealingLR(optimizer, tMax: 6),
                ], milestones: [2])
        }),
    ResumeCase(
        name: "RMSprop centered momentum + MultiStepLR",
        makeOptimizer: { groups(RMSprop(lr: 0.01, alpha: 0.9, momentum: 0.9, centered: true), $0) },
        makeSchedule: { MultiStepLR($0, milestones: [1, 4], gamma: 0.3) }),
    ResumeCase(
        name: "Adagrad + ExponentialLR",
        makeOptimizer: { groups(Adagrad(lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1), $0) },
        makeSchedule: { ExponentialLR($0, gamma: 0.9) }),
    ResumeCase(
        name: "Adamax + LinearLR",
        makeOptimizer: { groups(Adamax(lr: 0.02, weightDecay: 0.01), $0) },
        makeSchedule: { LinearLR($0, startFactor: 1, endFactor: 0.1, totalIters: 5) }),
    ResumeCase(
        name: "NAdam + OneCycleLR three-phase (cycled beta1)",
        makeOptimizer: { groups(NAdam(lr: 0.01, weightDecay: 0.01), $0) },
        makeSchedule: { OneCycleLR($0, maxLR: 0.02, totalSteps: 8, annealStrategy: .linear, threePhase: true) }),
    ResumeCase(
        name: "RAdam decoupled + CosineAnnealingLR",
        makeOptimizer: { groups(RAdam(lr: 0.01, weightDecay: 0.01, decoupledWeightDecay: true), $0) },
        makeSchedule: { CosineAnnealingLR($0, tMax: 4, etaMin: 0.001) }),
]

func train(
    _ parameters: [Parameter], _ optimizer: any OptimizerProtocol, _ schedule: any LearningRateSchedule,
    steps: Range<Int>
) {
    for t in steps {
        optimizer.zeroGrad()
        ResumeProblem.setGradients(parameters, step: t)
        optimizer.step()
        schedule.step()
    }
}

/// A JSON round trip of the metadata, as a checkpoint would store it.
func throughJSON<T: Codable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
}

func bits(_ parameters: [Parameter]) -> [[UInt32]] {
    parameters.map { $0.detachedValue.toArray().map(\.bitPattern) }
}

@Test(arguments: resumeCases)
func resumedRunMatchesUninterruptedRunBitForBit(_ c: ResumeCase) throws {
    // Uninterrupted: 6 steps.
    let straight = ResumeProblem.initialValues().map(Parameter.init)
    let optimizerA = c.makeOptimizer(straight)
    let scheduleA = c.makeSchedule(optimizerA)
    train(straight, optimizerA, scheduleA, steps: 0..<6)

    // Interrupted after 3 steps: save parameters, optimizer and schedule.
    let first = ResumeProblem.initialValues().map(Parameter.init)
    let optimizerB = c.makeOptimizer(first)
    let scheduleB = c.makeSchedule(optimizerB)
    train(first, optimizerB, scheduleB, steps: 0..<3)
    let savedValues = first.map(\.detachedValue)
    var savedOptimizer = optimizerB.stateDict()
    savedOptimizer.metadata = try throughJSON(savedOptimizer.metadata)
    let savedSchedule = try throughJSON(scheduleB.stateDict())

    // Resumed: fresh parameters, optimizer (default hyperparameters) and schedule; load; 3 more steps.
    let resumed = savedValues.map { Parameter($0.copied()) }
    let optimizerC = c.makeOptimizer(resumed)
    let scheduleC = c.makeSchedule(optimizerC)
    try optimizerC.load(stateDict: savedOptimizer)
    try scheduleC.load(stateDict: savedSchedule)
    #expect(optimizerC.learningRates == optimizerB.learningRates, "\(c.name): learning rates after load")
    #expect(optimizerC.momenta == optimizerB.momenta, "\(c.name): momenta after load")
    train(resumed, optimizerC, scheduleC, steps: 3..<6)

    #expect(bits(resumed) == bits(straight), "\(c.name): parameters differ after resuming")
    #expect(optimizerC.learningRates == optimizerA.learningRates, "\(c.name): learning rates differ after resuming")
    #expect(scheduleC.lastEpoch == scheduleA.lastEpoch)
    // The resumed state saves to exactly what the uninterrupted run saves.
    #expect(optimizerC.stateDict().metadata == optimizerA.stateDict().metadata)
    #expect(scheduleC.stateDict() == scheduleA.stateDict())
}

@Test func reduceOnPlateauResumesExactly() throws {
    let metrics = [1.0, 0.9, 0.95, 0.97, 0.96, 0.99, 0.8, 0.85, 0.86, 0.9]
    func run(_ range: Range<Int>, _ plateau: ReduceLROnPlateau) { for t in range { plateau.step(metric: metrics[t]) } }
    let a = Optimizer(SGD(lr: 0.1), parameters: [Parameter(Tensor.zeros([2]))])
    let plateauA = ReduceLROnPlateau(a, factor: 0.5, patience: 1, cooldown: 1)
    run(0..<10, plateauA)

    let b = Optimizer(SGD(lr: 0.1), parameters: [Parameter(Tensor.zeros([2]))])
    let plateauB = ReduceLROnPlateau(b, factor: 0.5, patience: 1, cooldown: 1)
    run(0..<5, plateauB)
    let saved = try throughJSON(plateauB.stateDict())
    let c = Optimizer(SGD(lr: 0.1), parameters: [Parameter(Tensor.zeros([2]))])
    let plateauC = ReduceLROnPlateau(c, factor: 0.5, patience: 1, cooldown: 1)
    try plateauC.load(stateDict: saved)
    #expect(c.learningRates == b.learningRates)
    run(5..<10, plateauC)
    #expect(c.learningRates == a.learningRates)
    #expect(plateauC.best == plateauA.best && plateauC.numBadEpochs == plateauA.numBadEpochs)
    #expect(a.learningRates[0] < 0.1, "the metrics plateau, so the rate must have been lowered")
}

@Test func loadRejectsMismatchedStateWithNamedErrors() throws {
    let parameters = ResumeProblem.initialValues().map(Parameter.init)
    let adam = Optimizer(Adam(lr: 0.01), parameters: parameters)
    ResumeProblem.setGradients(parameters, step: 0)
    adam.step()
    let saved = adam.stateDict()
    #expect(
        saved.tensors.keys.sorted() == [
            "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq",
        ])

    #expect(throws: OptimizerStateError.ruleMismatch(expected: "sgd", found: "adam")) {
        try Optimizer(SGD(lr: 0.1), parameters: parameters).load(stateDict: saved)
    }
    #expect(throws: OptimizerStateError.groupCountMismatch(expected: 2, found: 1)) {
        try groups(Adam(), parameters).load(stateDict: saved)
    }
    #expect(throws: OptimizerStateError.parameterCountMismatch(group: 0, expected: 1, found: 2)) {
        try Optimizer(Adam(), parameters: [parameters[0]]).load(stateDict: saved)
    }
    var wrongShape = saved
    wrongShape.tensors["state.1.exp_avg"] = Tensor.zeros([4])
    #expect(
        throws: OptimizerStateError.tensorMismatch(
            key: "state.1.exp_avg", expectedShape: [5], expectedDType: "float32", foundShape: [4],
            foundDType: "float32")
    ) {
        try Optimizer(Adam(), parameters: parameters).load(stateDict: wrongShape)
    }
    var missing = saved
    missing.tensors["state.0.exp_avg_sq"] = nil
    let fresh = Optimizer(Adam(lr: 0.5), parameters: parameters)
    #expect(throws: OptimizerStateError.missingTensor(key: "state.0.exp_avg_sq")) { try fresh.load(stateDict: missing) }
    #expect(fresh.learningRates == [0.5], "a refused state changes nothing")
    #expect(fresh.state(group: 0, index: 0) == nil)

    let schedule = StepLR(adam, stepSize: 3)
    #expect(throws: ScheduleStateError.kindMismatch(expected: "ExponentialLR", found: "StepLR")) {
        try ExponentialLR(Optimizer(SGD(lr: 0.1), parameters: parameters), gamma: 0.9).load(
            stateDict: schedule.stateDict())
    }
    #expect(throws: ScheduleStateError.hyperparameterMismatch(name: "step_size", expected: [4], found: [3])) {
        try StepLR(Optimizer(SGD(lr: 0.1), parameters: parameters), stepSize: 4).load(stateDict: schedule.stateDict())
    }
}
