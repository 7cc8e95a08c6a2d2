import Foundation
import Testing
import TrainKit

@Suite struct SamplerTests {
    static let space = try! SearchSpace([
        "lr": .logUniform(low: 1e-4, high: 1e-1),
        "width": .int(low: 8, high: 64, step: 8),
        "optimizer": .choice([.string("adam"), .string("sgd")]),
        "dropout": .uniform(low: 0, high: 0.5),
    ])

    /// A cheap objective (no training) so the samplers' sequences can be compared.
    static func score(_ trial: Trial) -> [String: Double] {
        let lr = log10(trial.double("lr"))
        return [
            "loss": (lr + 2.5) * (lr + 2.5) + trial.double("dropout") + (trial.string("optimizer") == "adam" ? 0 : 0.3)
        ]
    }

    static func paramsSequence(_ sampler: any Sampler, trials: Int = 16, seed: UInt64 = 0, parallel: Int = 1) throws
        -> [[String: ParameterValue]]
    {
        let study = try Study(space: space, metric: "loss", sampler: sampler, seed: seed)
        try study.optimize(trials: trials, parallel: parallel) { score($0) }
        return study.trials.sorted { $0.number < $1.number }.map(\.params)
    }

    @Test func sameSeedGivesTheSameSearch() throws {
        for sampler: any Sampler in [
            RandomSampler(seed: 7), TPESampler(seed: 7, startupTrials: 5), GridSampler(pointsPerDimension: 2),
        ] {
            let a = try Self.paramsSequence(sampler)
            #expect(a.count == 16)
            let b = try Self.paramsSequence(sampler)
            #expect(a == b, "\(type(of: sampler))")
        }
        let random7 = try Self.paramsSequence(RandomSampler(seed: 7))
        let random8 = try Self.paramsSequence(RandomSampler(seed: 8))
        #expect(random7 != random8)
        let tpe7 = try Self.paramsSequence(TPESampler(seed: 7, startupTrials: 5))
        let tpe8 = try Self.paramsSequence(TPESampler(seed: 8, startupTrials: 5))
        #expect(tpe7 != tpe8)
        // Random search is a function of the trial number: running 4 at a time gives the same trials.
        let random7Parallel = try Self.paramsSequence(RandomSampler(seed: 7), parallel: 4)
        #expect(random7Parallel == random7)
        // Trials get distinct seeds, a function of the study seed.
        let study = try Study(space: Self.space, metric: "loss", seed: 3)
        try study.optimize(trials: 5) { Self.score($0) }
        #expect(Set(study.trials.map(\.seed)).count == 5)
    }

    @Test func gridCoversTheFullProductOnce() throws {
        let grid = GridSampler(pointsPerDimension: 3)
        // dropout, lr, optimizer, width (8, 40, 64 of 8…64)
        #expect(Self.space.gridSize(pointsPerDimension: 3) == 3 * 3 * 2 * 3)
        let study = try Study(space: Self.space, metric: "loss", sampler: grid)
        let result = try study.optimize(trials: 1000, parallel: 3) { Self.score($0) }
        #expect(result.trials.count == 54)  // stops when the grid is used up
        var expected = Set<String>()
        for d in [0.0, 0.25, 0.5] {
            for lr in Distribution.logUniform(low: 1e-4, high: 1e-1).gridPoints(3) {
                for o in ["adam", "sgd"] { for w in [8, 40, 64] { expected.insert("\(d) \(lr) \(o) \(w)") } }
            }
        }
        let seen = result.trials.map { t in
            "\(t.params["dropout"]!) \(t.params["lr"]!) \(t.params["optimizer"]!) \(t.params["width"]!)"
        }
        #expect(Set(seen) == expected && seen.count == expected.count)
        #expect(result.best!.params["optimizer"] == .string("adam"))
    }

    /// Minimize (x − 3)² over x ∈ [−10, 10]. After 10 random start-up trials, TPE should put far more of its next
    /// 40 trials near the optimum (|x − 3| < 1: 10% of the range, so 10% for random search) than random search.
    /// Averaged over 6 seeds so one lucky draw cannot decide it.
    @Test func tpeConcentratesOnTheGoodRegionBetterThanRandom() throws {
        let space = try SearchSpace(["x": .uniform(low: -10, high: 10)])
        func nearFraction(_ sampler: any Sampler) throws -> Double {
            let study = try Study(space: space, metric: "loss", sampler: sampler)
            try study.optimize(trials: 50) { t in ["loss": (t.double("x") - 3) * (t.double("x") - 3)] }
            let later = study.trials.filter { $0.number >= 10 }
            return Double(later.count { abs($0.params["x"]!.doubleValue! - 3) < 1 }) / Double(later.count)
        }
        var tpe = 0.0
        var random = 0.0
        for seed: UInt64 in 0..<6 {
            tpe += try nearFraction(TPESampler(seed: seed, startupTrials: 10)) / 6
            random += try nearFraction(RandomSampler(seed: seed)) / 6
        }
        #expect(random < 0.25)
        #expect(tpe > 0.4, "TPE put \(tpe) of its trials near the optimum, random \(random)")
        #expect(tpe > random + 0.2)
    }

    @Test func tpeHandlesChoicesAndInts() throws {
        // Only "b" with a width near 40 is good; TPE should pick "b" most of the time after start-up.
        let space = try SearchSpace([
            "kind": .choice([.string("a"), .string("b"), .string("c")]), "width": .int(low: 1, high: 100),
        ])
        let study = try Study(space: space, metric: "loss", sampler: TPESampler(seed: 1, startupTrials: 8))
        try study.optimize(trials: 40) { t in
            ["loss": (t.string("kind") == "b" ? 0 : 1) + abs(Double(t.int("width")) - 40) / 100]
        }
        let later = study.trials.filter { $0.number >= 8 }
        #expect(later.count { $0.params["kind"] == .string("b") } > later.count / 2)
        #expect(later.allSatisfy { (1...100).contains($0.params["width"]!.intValue!) })
        #expect(study.bestTrial!.params["kind"] == .string("b"))
    }

    // MARK: - TPE and pruned trials

    static func record(
        _ number: Int, x: Double, state: TrialState, value: Double? = nil, reported: [Int: Double] = [:]
    ) -> TrialRecord {
        TrialRecord(
            number: number, params: ["x": .double(x)], seed: 0, state: state,
            value: value ?? reported[reported.keys.max() ?? 0], intermediate: reported)
    }

    /// Complete trials by value, then pruned ones: stopped later first, then by the value at that epoch;
    /// running and failed trials left out.
    @Test func tpeRanksPrunedTrialsByTheirLastEpochThenValue() {
        let trials = [
            Self.record(0, x: 0, state: .complete, value: 0.80, reported: [0: 0.7, 8: 0.80]),
            Self.record(1, x: 1, state: .pruned, reported: [0: 0.75]),
            Self.record(2, x: 2, state: .pruned, reported: [0: 0.74, 2: 0.78]),
            Self.record(3, x: 3, state: .complete, value: 0.85, reported: [0: 0.6, 8: 0.85]),
            Self.record(4, x: 4, state: .pruned, reported: [0: 0.79]),
            Self.record(5, x: 5, state: .running, reported: [0: 0.9]),
            Self.record(6, x: 6, state: .failed),
            Self.record(7, x: 7, state: .pruned, reported: [0: 0.76, 2: 0.77]),
        ]
        #expect(TPESampler.rankedBestFirst(trials, direction: .maximize).map(\.number) == [3, 0, 2, 7, 4, 1])
        #expect(TPESampler.rankedBestFirst(trials, direction: .minimize).map(\.number) == [0, 3, 7, 2, 1, 4])
    }

    /// Two complete trials, both far from x = 8, and fifteen pruned ones (17 trials: the best 5 are good). When
    /// the three pruned trials near x = 8 got past the first rung (they reported epoch 2, the others only epoch
    /// 0), they rank just below the complete trials, join the good set and draw TPE's proposals towards 8; when they were stopped at the first
    /// rung like the rest, they fall in the bad set and push proposals away. Same seed, same records, so the
    /// comparison is deterministic.
    @Test func tpePrunedTrialsShapeItsProposals() throws {
        let space = try SearchSpace(["x": .uniform(low: 0, high: 10)])
        let sampler = TPESampler(seed: 3, startupTrials: 4)
        func trials(nearEightGotFurther: Bool) -> [TrialRecord] {
            var out = [
                Self.record(0, x: 1, state: .complete, value: 0.80),
                Self.record(1, x: 4, state: .complete, value: 0.79),
            ]
            for (i, x) in [7.7, 8.0, 8.3].enumerated() {
                let reported: [Int: Double] = nearEightGotFurther ? [0: 0.70, 2: 0.78] : [0: 0.60]
                out.append(Self.record(2 + i, x: x, state: .pruned, reported: reported))
            }
            for (i, x) in [0.3, 0.7, 1.5, 2.0, 2.5, 3.0, 3.5, 4.5, 5.0, 5.5, 6.0, 9.7].enumerated() {
                out.append(Self.record(5 + i, x: x, state: .pruned, reported: [0: 0.62]))
            }
            return out
        }
        func nearEight(_ trials: [TrialRecord]) -> Int {
            (16..<56).count { n in
                let x = sampler.sample(space: space, trialNumber: n, trials: trials, direction: .maximize)!["x"]!
                return abs(x.doubleValue! - 8) < 1
            }
        }
        let promoted = nearEight(trials(nearEightGotFurther: true))
        let stopped = nearEight(trials(nearEightGotFurther: false))
        #expect(promoted == nearEight(trials(nearEightGotFurther: true)), "the same seed gives the same proposals")
        #expect(promoted >= 20, "\(promoted) of 40 proposals near 8 when the pruned trials there went furthest")
        #expect(stopped <= 4, "\(stopped) of 40 proposals near 8 when the pruned trials there were stopped first")
    }

    /// Pruned trials count towards the start-up: with one complete and four pruned trials, a sampler with
    /// `startupTrials: 5` already uses its model (its proposal differs from the random start-up draw).
    @Test func tpeStartupCountsPrunedTrials() throws {
        let space = try SearchSpace(["x": .uniform(low: 0, high: 10)])
        let sampler = TPESampler(seed: 0, startupTrials: 5)
        let finished =
            [Self.record(0, x: 9, state: .complete, value: 0.9)]
            + (1...4).map { Self.record($0, x: Double($0), state: .pruned, reported: [0: 0.5]) }
        let random = sampler.sample(space: space, trialNumber: 5, trials: [], direction: .maximize)
        let modelled = sampler.sample(space: space, trialNumber: 5, trials: finished, direction: .maximize)
        let tooFew = sampler.sample(space: space, trialNumber: 5, trials: Array(finished.prefix(4)), direction: .maximize)
        #expect(tooFew == random)
        #expect(modelled != random)
    }
}
