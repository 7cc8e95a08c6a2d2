import Foundation
import Testing
import TrainKitCore
import TrainKitOptim

/// Schedule behaviour beyond the fixture cases: fractional epochs, momentum cycling, jumps, groups.

func sgd(_ lrs: [Double], momentum: Double = 0.9) -> Optimizer<SGD> {
    Optimizer(
        SGD(lr: lrs[0], momentum: momentum),
        groups: lrs.map { ParameterGroup(parameters: [Parameter(Tensor.zeros([1]))], lr: $0) })
}

/// Equal within `tolerance` (relative), element by element.
func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-14) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * abs($1) }
}

@Test func warmRestartsAcceptFractionalEpochs() {
    let optimizer = sgd([0.1])
    let schedule = CosineAnnealingWarmRestarts(optimizer, t0: 4, tMult: 2, etaMin: 0.001)
    func expected(_ tCur: Double, _ tI: Double) -> Double {
        0.001 + (0.1 - 0.001) * (1 + cos(Double.pi * tCur / tI)) / 2
    }
    schedule.step(epoch: 2.5)
    #expect(schedule.lastLRs == [expected(2.5, 4)] && schedule.lastEpoch == 2)
    schedule.step(epoch: 5.25)  // second cycle [4, 12): T_cur 1.25 of 8
    #expect(abs(optimizer.learningRates[0] - expected(1.25, 8)) < 1e-15)
    schedule.step()  // T_cur 2.25
    #expect(abs(optimizer.learningRates[0] - expected(2.25, 8)) < 1e-15)
    schedule.step(toEpoch: 12)  // third cycle starts
    #expect(schedule.tCur == 0 && schedule.tI == 16 && optimizer.learningRates[0] == 0.1)
}

@Test func oneCycleCyclesMomentumAndBeta1() {
    let optimizer = sgd([0.1, 0.1])
    let schedule = OneCycleLR(optimizer, maxLRs: [1, 2], totalSteps: 10, pctStart: 0.3)
    let initial: [Double] = [1.0 / 25, 2.0 / 25]
    #expect(close(optimizer.learningRates, initial))  // cos anneal at pct 0: end + (start − end)/2·2
    #expect(optimizer.momenta == [0.95, 0.95])
    #expect(optimizer.initialLearningRates == initial)
    schedule.step(toEpoch: 2)  // end of phase 1 (0.3·10 − 1 = 2): peak rate, base momentum
    #expect(optimizer.learningRates == [1, 2])
    #expect(optimizer.momenta.map { abs($0! - 0.85) < 1e-15 } == [true, true])
    schedule.step(toEpoch: 9)  // end: min rate, max momentum
    let minimum: Double = 1.0 / 25 / 1e4
    #expect(abs(optimizer.learningRates[0] - minimum) < 1e-18)
    #expect(optimizer.momenta[0] == 0.95)

    let adam = Optimizer(Adam(lr: 0.01), parameters: [Parameter(Tensor.zeros([1]))])
    _ = OneCycleLR(adam, maxLR: 0.1, totalSteps: 10)
    #expect(adam[group: 0].betas == (0.95, 0.999))
}

@Test func scheduleBasesComeFromTheFirstScheduleAttached() {
    // The second schedule built on an optimizer takes the original rate as its base (PyTorch's initial_lr),
    // not the rate the first one already changed.
    let optimizer = sgd([0.1, 0.2])
    let warmup = LinearLR(optimizer, startFactor: 0.5, totalIters: 4)
    #expect(optimizer.learningRates == [0.05, 0.1])
    let cosine = CosineAnnealingLR(optimizer, tMax: 10)
    #expect(optimizer.learningRates == [0.1, 0.2])
    let chain = SequentialLR(optimizer, schedules: [warmup, cosine], milestones: [4])
    #expect(optimizer.learningRates == [0.05, 0.1] && chain.lastLRs == [0.05, 0.1])
    for _ in 0..<4 { chain.step() }
    #expect(optimizer.learningRates == [0.1, 0.2])  // cosine restarted at its epoch 0
    chain.step()
    #expect(optimizer.learningRates == cosine.lastLRs && cosine.lastEpoch == 1)
    chain.step(toEpoch: 2)
    #expect(warmup.lastEpoch == 2 && close(optimizer.learningRates, [0.075, 0.15]))
}

@Test func plateauRespectsMinimumRateAndEps() {
    let optimizer = sgd([0.1, 1e-8])
    let plateau = ReduceLROnPlateau(optimizer, factor: 0.1, patience: 0, minLRs: [0.05, 0])
    plateau.step(metric: 1)  // best
    plateau.step(metric: 1)  // bad epoch 1 > patience 0: reduce
    #expect(optimizer.learningRates[0] == 0.05)  // max(0.01, minLR 0.05)
    #expect(optimizer.learningRates[1] == 1e-8)  // 1e-8 − 1e-9 < eps: unchanged
}
