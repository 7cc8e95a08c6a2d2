import Foundation
import Testing
import TrainKitCore
import TrainKitOptim
import TrainKitTestSupport

/// The PyTorch reference cases of `schedule.json`: SGD at `base_lr`, the schedule built on it, then 30 times
/// read the lr, `optimizer.step()`, `schedule.step()` (`step(metric:)` for reduce_on_plateau).

/// Builds the schedule a case (or a `sequential` child) describes.
func makeSchedule(_ kind: String, _ hyper: [String: Any], optimizer: any OptimizerProtocol) -> (
    any LearningRateSchedule
)? {
    func number(_ key: String) -> Double { (hyper[key] as! NSNumber).doubleValue }
    func int(_ key: String) -> Int { (hyper[key] as! NSNumber).intValue }
    func flag(_ key: String) -> Bool { (hyper[key] as! NSNumber).boolValue }
    switch kind {
    case "step": return StepLR(optimizer, stepSize: int("step_size"), gamma: number("gamma"))
    case "multistep":
        return MultiStepLR(
            optimizer, milestones: (hyper["milestones"] as! [NSNumber]).map(\.intValue),
            gamma: number("gamma"))
    case "exponential": return ExponentialLR(optimizer, gamma: number("gamma"))
    case "cosine": return CosineAnnealingLR(optimizer, tMax: int("T_max"), etaMin: number("eta_min"))
    case "cosine_warm_restarts":
        return CosineAnnealingWarmRestarts(optimizer, t0: int("T_0"), tMult: int("T_mult"), etaMin: number("eta_min"))
    case "onecycle":
        return OneCycleLR(
            optimizer, maxLR: number("max_lr"), totalSteps: int("total_steps"),
            pctStart: number("pct_start"),
            annealStrategy: OneCycleLR.AnnealStrategy(rawValue: hyper["anneal_strategy"] as! String)!,
            cycleMomentum: flag("cycle_momentum"), divFactor: number("div_factor"),
            finalDivFactor: number("final_div_factor"), threePhase: flag("three_phase"))
    case "linear":
        return LinearLR(
            optimizer, startFactor: number("start_factor"), endFactor: number("end_factor"),
            totalIters: int("total_iters"))
    case "sequential_warmup_cosine":
        let parts = ["warmup", "main"].map { hyper[$0] as! [String: Any] }
        let children = parts.compactMap {
            makeSchedule(scheduleKind($0["scheduler"] as! String), $0, optimizer: optimizer)
        }
        guard children.count == 2 else { return nil }
        return SequentialLR(
            optimizer, schedules: children,
            milestones: (hyper["milestones"] as! [NSNumber]).map(\.intValue))
    default: return nil
    }
}

/// Fixture children name schedules as torch's `lr_scheduler` classes or by the case names.
private func scheduleKind(_ name: String) -> String {
    ["linear": "linear", "cosine": "cosine", "LinearLR": "linear", "CosineAnnealingLR": "cosine"][name] ?? name
}

func runScheduleCase(_ c: FixtureCase) -> [String] {
    guard let kind = c.raw["scheduler"] as? String, let hyper = c.raw["hyper"] as? [String: Any],
        let baseLR = (c.raw["base_lr"] as? NSNumber)?.doubleValue,
        let lrs = (c.raw["lrs"] as? [NSNumber])?.map(\.doubleValue)
    else { return ["\(c.name): malformed case"] }
    let parameter = Parameter(Tensor([1, -2, 3] as [Float], shape: [3]))
    let optimizer = Optimizer(SGD(lr: baseLR), parameters: [parameter])
    var plateau: ReduceLROnPlateau?
    var schedule: (any LearningRateSchedule)?
    var metrics: [Double] = []
    if kind == "reduce_on_plateau" {
        func number(_ key: String) -> Double { (hyper[key] as! NSNumber).doubleValue }
        plateau = ReduceLROnPlateau(
            optimizer, mode: ReduceLROnPlateau.Mode(rawValue: hyper["mode"] as! String)!,
            factor: number("factor"), patience: (hyper["patience"] as! NSNumber).intValue,
            threshold: number("threshold"),
            thresholdMode: ReduceLROnPlateau.ThresholdMode(rawValue: hyper["threshold_mode"] as! String)!,
            cooldown: (hyper["cooldown"] as! NSNumber).intValue, minLR: number("min_lr"),
            eps: number("eps"))
        metrics = (c.raw["metrics"] as? [NSNumber])?.map(\.doubleValue) ?? []
        guard metrics.count == lrs.count else { return ["\(c.name): \(metrics.count) metrics for \(lrs.count) lrs"] }
    } else {
        schedule = makeSchedule(kind, hyper, optimizer: optimizer)
        guard schedule != nil else { return ["\(c.name): unknown scheduler '\(kind)'"] }
    }
    var failures: [String] = []
    for (t, want) in lrs.enumerated() {
        let got = optimizer.learningRates[0]
        if !(Swift.abs(got - want) <= c.atol + c.rtol * Swift.abs(want)) {
            failures.append("\(c.name): lr at step \(t) is \(got), expected \(want)")
        }
        parameter.grad = Tensor([0.5, 0.25, -1] as [Float], shape: [3])
        optimizer.step()
        if let plateau { plateau.step(metric: metrics[t]) } else { schedule!.step() }
    }
    return failures
}

@Test func schedule() throws {
    let cases = try Fixtures.cases("schedule")
    #expect(!cases.isEmpty, "schedule.json has no cases")
    for c in cases {
        for failure in runScheduleCase(c) { Issue.record(Comment(rawValue: failure)) }
    }
}
