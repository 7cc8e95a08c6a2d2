import Testing
import TrainKitRL

/// Replays the trajectories Gymnasium recorded (`scripts/gymnasium-trajectories.py`) step by step.
@Suite struct GymnasiumTrajectoryTests {
    /// (id, tolerance on the float64 state and reward, tolerance on the observation), relative to max(1, |x|).
    /// 0 means bit-for-bit: those environments repeat Gymnasium's float64 and float32 operations in its order.
    static let cases: [(String, Double, Double)] = [
        ("CartPole-v1", 0, 0),
        ("Acrobot-v1", 1e-9, 1e-6),  // chaotic: ulp-level differences in sin/cos grow; see the one-step test
        ("MountainCar-v0", 0, 0),
        ("MountainCarContinuous-v0", 0, 0),
        ("Pendulum-v1", 0, 0),
        ("FrozenLake-v1", 0, 0),
        ("FrozenLake8x8-v1", 0, 0),
    ]

    @Test(arguments: cases)
    func dynamicsMatchGymnasium(_ id: String, stateTolerance: Double, observationTolerance: Double) throws {
        let fixture = try GymnasiumFixture.named(id)
        #expect(fixture.episodes.count >= 3)
        let problems = try replay(fixture, stateTolerance: stateTolerance, observationTolerance: observationTolerance) {
            limit in
            try Environments.makeStateful(id, maxEpisodeSteps: limit, options: fixture.options)
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// Every recorded transition from its recorded start state, one step at a time, so differences cannot grow
    /// over a trajectory: float64 state and reward within 1e-12 (relative to max(1, |x|)). MountainCarContinuous is
    /// left out: its state turns float32 after the first step, and `reset(state:)` starts a float64 episode as
    /// Gymnasium's reset does, so only the whole replay (above, 1e-12) reproduces its later steps.
    @Test(arguments: cases.map(\.0).filter { $0 != "MountainCarContinuous-v0" })
    func singleStepsMatchGymnasiumToFloat64Precision(_ id: String) throws {
        let fixture = try GymnasiumFixture.named(id)
        let options = fixture.options
        var worst = 0.0, count = 0
        for episode in fixture.episodes {
            var previous = episode.state
            for record in episode.steps {
                var env = try Environments.makeStateful(id, maxEpisodeSteps: nil, options: options)
                _ = try env.reset(state: previous)
                let step = try env.step(record.action)
                worst = max(worst, worstDifference(env.state, record.state),
                            abs(step.reward - record.reward) / max(1, abs(record.reward)))
                #expect(step.terminated == record.terminated, "\(id) step \(count)")
                previous = record.state
                count += 1
            }
        }
        #expect(count > 50)
        #expect(worst <= 1e-12, "\(id): worst one-step difference \(worst)")
    }

    /// The replay can fail: Acrobot's "nips" dynamics (no θ̇₁² term) leave the recorded "book" trajectory.
    @Test func nipsDynamicsDoNotMatchTheBookTrajectory() throws {
        let fixture = try GymnasiumFixture.named("Acrobot-v1")
        let problems = try replay(fixture, stateTolerance: 1e-9, observationTolerance: 1e-6) { limit in
            try Environments.makeStateful("Acrobot-v1", maxEpisodeSteps: limit, options: ["book_or_nips": "nips"])
        }
        #expect(!problems.isEmpty)
    }

    @Test(arguments: cases.map(\.0))
    func registrationMatchesGymnasium(_ id: String) throws {
        let fixture = try GymnasiumFixture.named(id)
        let spec = try Environments.spec(id)
        #expect(spec.id == id)
        #expect(spec.maxEpisodeSteps == fixture.maxEpisodeSteps)
        #expect(spec.rewardThreshold == fixture.rewardThreshold)
    }

    @Test func fixturesEndInTerminationsAndTruncations() throws {
        for (id, _, _) in Self.cases {
            let ends = try GymnasiumFixture.named(id).episodes.compactMap(\.steps.last)
            #expect(ends.contains { $0.terminated } || id.hasPrefix("Pendulum"), "\(id) records no termination")
            #expect(ends.contains { $0.truncated }, "\(id) records no truncation")
        }
    }
}
