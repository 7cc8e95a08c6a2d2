import Testing
import TrainKitRL

@Suite struct SpaceTests {
    @Test func containsChecksCaseLengthAndBounds() {
        let box = Space.box(low: [-1, 0], high: [1, 2])
        #expect(box.contains(.continuous([0.5, 2])))
        #expect(!box.contains(.continuous([1.5, 1])))
        #expect(!box.contains(.continuous([0])))
        #expect(!box.contains(.continuous([.nan, 1])))
        #expect(!box.contains(.discrete(0)))
        #expect(Space.discrete(3).contains(.discrete(2)))
        #expect(!Space.discrete(3).contains(.discrete(3)) && !Space.discrete(3).contains(.discrete(-1)))
        #expect(box.flatDimension == 2 && Space.discrete(7).flatDimension == 1)
        #expect(Space.discrete(4).containsObservation([3]) && !Space.discrete(4).containsObservation([1.5]))
    }

    /// Samples lie in the space, cover it (each discrete value and both halves of each box interval), and the same
    /// seed repeats them.
    @Test func samplesAreInsideAndReproducible() {
        let box = Space.box(low: [-2, 10], high: [2, 11])
        var rng = EnvironmentRandom(seed: 4)
        var counts = [0, 0, 0], low = 0
        for _ in 0..<3000 {
            let a = box.sample(using: &rng)
            #expect(box.contains(a))
            if case .continuous(let v) = a, v[0] < 0 { low += 1 }
            if case .discrete(let i) = Space.discrete(3).sample(using: &rng) { counts[i] += 1 }
        }
        #expect(counts.allSatisfy { $0 > 900 && $0 < 1100 })
        #expect(low > 1350 && low < 1650)
        var a = EnvironmentRandom(seed: 9), b = EnvironmentRandom(seed: 9), c = EnvironmentRandom(seed: 10)
        let first = (0..<5).map { _ in box.sample(using: &a) }
        #expect(first == (0..<5).map { _ in box.sample(using: &b) })
        #expect(first != (0..<5).map { _ in box.sample(using: &c) })
    }

    /// Unbounded coordinates follow Gymnasium's rule: `low + Exp(1)`, `high − Exp(1)`, `N(0, 1)` (mean and spread).
    @Test func unboundedCoordinatesFollowGymnasiumsRule() {
        let space = Space.box(low: [0, -.infinity, -.infinity], high: [.infinity, 5, .infinity])
        var rng = EnvironmentRandom(seed: 1)
        var sums = [0.0, 0.0, 0.0], squares = 0.0
        let n = 20_000
        for _ in 0..<n {
            guard case .continuous(let v) = space.sample(using: &rng) else { return }
            #expect(v[0] >= 0 && v[1] <= 5)
            for j in 0..<3 { sums[j] += v[j] }
            squares += v[2] * v[2]
        }
        #expect(abs(sums[0] / Double(n) - 1) < 0.05)       // E[Exp(1)] = 1
        #expect(abs(sums[1] / Double(n) - 4) < 0.05)       // 5 − 1
        #expect(abs(sums[2] / Double(n)) < 0.05)
        #expect(abs(squares / Double(n) - 1) < 0.05)       // Var N(0,1) = 1
    }

    @Test func seededResetsRepeatAndUnseededResetsContinue() throws {
        for id in Environments.ids {
            var a = try Environments.make(id), b = try Environments.make(id)
            let first = a.reset(seed: 123).observation
            #expect(first == b.reset(seed: 123).observation, "\(id)")
            #expect(a.observationSpace.containsObservation(first), "\(id): \(first)")
            let next = a.reset(seed: nil).observation
            #expect(next == b.reset(seed: nil).observation, "\(id)")
        }
        var cart = try Environments.make("CartPole-v1")
        #expect(cart.reset(seed: 1).observation != cart.reset(seed: 2).observation)
    }
}

@Suite struct ActionAcceptanceTests {
    @Test func acceptsPassesOutOfBoundsContinuousValuesForTheEnvironmentToClip() {
        let box = Space.box(low: [-2], high: [2])
        #expect(box.accepts(.continuous([3])) && !box.contains(.continuous([3])))
        #expect(!box.accepts(.continuous([.infinity])) && !box.accepts(.continuous([1, 1])) && !box.accepts(.discrete(0)))
        #expect(box.clipped(.continuous([3])) == .continuous([2]) && box.clipped(.continuous([-0.5])) == .continuous([-0.5]))
        #expect(Space.discrete(2).clipped(.discrete(1)) == .discrete(1))
        #expect(Space.discrete(0).problem != nil && Space.box(low: [1], high: [0]).problem != nil)
        #expect(Space.box(low: [0, 0], high: [1]).problem != nil && Space.box(low: [0], high: [.infinity]).problem == nil)
    }

    /// Pendulum clips its torque, as Gymnasium's: an out-of-range action in a vector environment steps like the
    /// clipped one.
    @Test func vectorPendulumClipsLikeGymnasium() throws {
        let a = try VectorEnvironment(count: 1) { _ in try Environments.make("Pendulum-v1") }
        let b = try VectorEnvironment(count: 1) { _ in try Environments.make("Pendulum-v1") }
        #expect(a.reset(seed: 3) == b.reset(seed: 3))
        let wide = try a.step([.continuous([5])]), clipped = try b.step([a.actionSpace.clipped(.continuous([5]))])
        #expect(wide.observations == clipped.observations && wide.rewards == clipped.rewards)
        #expect(throws: EnvironmentError.self) { try a.step([.continuous([.nan])]) }
    }

    @Test func malformedSpacesAreNamedErrors() throws {
        struct Empty: Environment {
            var observationSpace: Space { .box(low: [0], high: [1]) }
            var actionSpace: Space { .discrete(0) }
            mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) { ([0], [:]) }
            mutating func step(_ action: Action) throws -> Step { Step(observation: [0], reward: 0, terminated: false) }
        }
        let envs = try VectorEnvironment(count: 2) { _ in Empty() }
        envs.reset(seed: 0)
        #expect(throws: EnvironmentError.self) { try envs.step([.discrete(0), .discrete(0)]) }
        var checked = CheckedEnvironment(Empty())
        _ = checked.reset(seed: nil)
        #expect(throws: EnvironmentError.self) { try checked.step(.discrete(0)) }
    }
}
