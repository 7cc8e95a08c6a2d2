import Foundation
import TrainKitCore

/// The 1cycle policy (PyTorch `OneCycleLR`; Smith & Topin): the learning rate rises from `maxLR / divFactor` to
/// `maxLR`, then anneals far below the start; the momentum moves the opposite way. Stepped once per **batch**.
///
/// With T = `totalSteps`, p = `pctStart`, `initial = maxLR / divFactor`, `min = initial / finalDivFactor`:
/// two phases end at steps `pT − 1` (initial → max; momentum maxMomentum → baseMomentum) and `T − 1`
/// (max → min; momentum back to maxMomentum). With `threePhase`: `pT − 1` (initial → max), `2pT − 2`
/// (max → initial), `T − 1` (initial → min, momentum held at maxMomentum). Within a phase from step `s` (the
/// previous phase's end, 0 for the first) to `e`, `pct = (t − s)/(e − s)` and
/// - cos: `lr = end + (start − end)/2 · (1 + cos(π·pct))`
/// - linear: `lr = start + (end − start)·pct`
///
/// The groups' current rates are ignored (each group's `initial_lr` becomes `initial`). With `cycleMomentum`,
/// the rule's `scheduledMomentum` (SGD momentum, Adam β1) is cycled too. Stepping past `totalSteps` is an error.
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - maxLRs: the peak learning rate of each group (`maxLR:` for one value for all groups).
///   - totalSteps: the number of steps in the cycle (or give `epochs` and `stepsPerEpoch`).
///   - pctStart: the fraction of the cycle spent increasing the rate.
///   - annealStrategy: `.cos` or `.linear`.
///   - cycleMomentum: also cycle the momentum between `baseMomentum` and `maxMomentum`.
///   - divFactor: `initial = maxLR / divFactor`.
///   - finalDivFactor: `min = initial / finalDivFactor`.
///   - threePhase: use the three-phase schedule (fast.ai's).
///
/// ```swift
/// let schedule = OneCycleLR(optimizer, maxLR: 0.1, epochs: 10, stepsPerEpoch: loader.count)
/// ```
public final class OneCycleLR: CoreBackedSchedule {
    public enum AnnealStrategy: String, Sendable { case cos, linear }

    struct Phase {
        var endStep: Double
        var startLR: KeyPath<Rates, Double>
        var endLR: KeyPath<Rates, Double>
        var startMomentum: Double
        var endMomentum: Double
    }
    struct Rates {
        var initial: Double
        var max: Double
        var min: Double
    }

    public let totalSteps: Int
    public let pctStart: Double
    public let annealStrategy: AnnealStrategy
    public let cycleMomentum: Bool
    public let baseMomentum: Double
    public let maxMomentum: Double
    public let divFactor: Double
    public let finalDivFactor: Double
    public let threePhase: Bool
    let rates: [Rates]
    let phases: [Phase]
    var core: ScheduleCore

    public convenience init(
        _ optimizer: any OptimizerProtocol, maxLR: Double, totalSteps: Int? = nil,
        epochs: Int? = nil, stepsPerEpoch: Int? = nil, pctStart: Double = 0.3,
        annealStrategy: AnnealStrategy = .cos, cycleMomentum: Bool = true,
        baseMomentum: Double = 0.85, maxMomentum: Double = 0.95, divFactor: Double = 25,
        finalDivFactor: Double = 1e4, threePhase: Bool = false
    ) {
        self.init(
            optimizer, maxLRs: Array(repeating: maxLR, count: optimizer.learningRates.count),
            totalSteps: totalSteps, epochs: epochs, stepsPerEpoch: stepsPerEpoch, pctStart: pctStart,
            annealStrategy: annealStrategy, cycleMomentum: cycleMomentum, baseMomentum: baseMomentum,
            maxMomentum: maxMomentum, divFactor: divFactor, finalDivFactor: finalDivFactor,
            threePhase: threePhase)
    }

    public init(
        _ optimizer: any OptimizerProtocol, maxLRs: [Double], totalSteps: Int? = nil,
        epochs: Int? = nil, stepsPerEpoch: Int? = nil, pctStart: Double = 0.3,
        annealStrategy: AnnealStrategy = .cos, cycleMomentum: Bool = true, baseMomentum: Double = 0.85,
        maxMomentum: Double = 0.95, divFactor: Double = 25, finalDivFactor: Double = 1e4,
        threePhase: Bool = false
    ) {
        let groups = optimizer.learningRates.count
        precondition(maxLRs.count == groups, "OneCycleLR: \(maxLRs.count) maxLRs for \(groups) groups")
        let total: Int
        if let totalSteps {
            total = totalSteps
        } else {
            guard let epochs, let stepsPerEpoch else {
                preconditionFailure("OneCycleLR: give totalSteps, or epochs and stepsPerEpoch")
            }
            total = epochs * stepsPerEpoch
        }
        precondition(total > 0, "OneCycleLR: totalSteps must be > 0, got \(total)")
        precondition(pctStart >= 0 && pctStart <= 1, "OneCycleLR: pctStart must be in [0, 1], got \(pctStart)")
        self.totalSteps = total
        self.pctStart = pctStart
        self.annealStrategy = annealStrategy
        self.cycleMomentum = cycleMomentum
        self.baseMomentum = baseMomentum
        self.maxMomentum = maxMomentum
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.threePhase = threePhase
        rates = maxLRs.map { Rates(initial: $0 / divFactor, max: $0, min: $0 / divFactor / finalDivFactor) }
        let ramp = pctStart * Double(total)
        if threePhase {
            phases = [
                Phase(
                    endStep: ramp - 1, startLR: \.initial, endLR: \.max, startMomentum: maxMomentum,
                    endMomentum: baseMomentum),
                Phase(
                    endStep: 2 * ramp - 2, startLR: \.max, endLR: \.initial, startMomentum: baseMomentum,
                    endMomentum: maxMomentum),
                Phase(
                    endStep: Double(total) - 1, startLR: \.initial, endLR: \.min, startMomentum: maxMomentum,
                    endMomentum: maxMomentum),
            ]
        } else {
            phases = [
                Phase(
                    endStep: ramp - 1, startLR: \.initial, endLR: \.max, startMomentum: maxMomentum,
                    endMomentum: baseMomentum),
                Phase(
                    endStep: Double(total) - 1, startLR: \.max, endLR: \.min, startMomentum: baseMomentum,
                    endMomentum: maxMomentum),
            ]
        }
        if cycleMomentum {
            precondition(
                optimizer.momenta.allSatisfy { $0 != nil },
                "OneCycleLR: the optimizer has no momentum or beta1 to cycle; pass cycleMomentum: false")
        }
        core = ScheduleCore(optimizer, kind: "OneCycleLR")
        optimizer.initialLearningRates = rates.map(\.initial)
        core.baseLRs = rates.map(\.initial)
        step(toEpoch: 0)
    }

    /// The learning rate and momentum of group `group` at step `step`.
    public func values(group: Int, step: Int) -> (lr: Double, momentum: Double) {
        precondition(step <= totalSteps, "OneCycleLR: tried to step \(step) times; totalSteps is \(totalSteps)")
        let t = Double(step)
        var start = 0.0
        for (i, phase) in phases.enumerated() {
            if t <= phase.endStep || i == phases.count - 1 {
                let pct = (t - start) / (phase.endStep - start)
                return (
                    anneal(rates[group][keyPath: phase.startLR], rates[group][keyPath: phase.endLR], pct),
                    anneal(phase.startMomentum, phase.endMomentum, pct)
                )
            }
            start = phase.endStep
        }
        preconditionFailure("OneCycleLR: no phase")
    }

    private func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch annealStrategy {
        case .cos: end + (start - end) / 2.0 * (cos(Double.pi * pct) + 1)
        case .linear: (end - start) * pct + start
        }
    }

    public func step(toEpoch epoch: Int) {
        core.lastEpoch = epoch
        let values = rates.indices.map { self.values(group: $0, step: epoch) }
        core.write(values.map(\.lr))
        if cycleMomentum { optimizer.momenta = values.map(\.momentum) }
    }

    var hyperparameters: [String: [Double]] {
        [
            "max_lrs": rates.map(\.max), "total_steps": [Double(totalSteps)], "pct_start": [pctStart],
            "anneal_linear": [annealStrategy == .linear ? 1 : 0], "cycle_momentum": [cycleMomentum ? 1 : 0],
            "base_momentum": [baseMomentum], "max_momentum": [maxMomentum], "div_factor": [divFactor],
            "final_div_factor": [finalDivFactor], "three_phase": [threePhase ? 1 : 0],
        ]
    }

    public func load(stateDict: ScheduleStateDict) throws {
        try core.validate(stateDict, hyperparameters: hyperparameters)
        core.restore(stateDict)
        if cycleMomentum { optimizer.momenta = rates.indices.map { values(group: $0, step: core.lastEpoch).momentum } }
    }
}
