import Testing
import TrainKitRL

/// Replays the trajectories Gymnasium recorded (`scripts/gymnasium-trajectories.py`) step by step.
@Suite struct GymnasiumTrajectoryTests {
    /// (id, tolerance on the float64 state and reward, tolerance on the observation).
    static let cases: [(String, Double, Double)] = [
        ("CartPole-v1", 1e-12, 1e-6),
    ]

    @Test(arguments: cases)
    func dynamicsMatchGymnasium(_ id: String, stateTolerance: Double, observationTolerance: Double) throws {
        let fixture = try GymnasiumFixture(id)
        #expect(fixture.episodes.count >= 3)
        let problems = try replay(fixture, stateTolerance: stateTolerance, observationTolerance: observationTolerance) {
            limit in
            var env = try Environments.makeStateful(id)
            if limit != fixture.maxEpisodeSteps { env = try Environments.makeStateful(id, maxEpisodeSteps: limit) }
            return env
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: cases.map(\.0))
    func registrationMatchesGymnasium(_ id: String) throws {
        let fixture = try GymnasiumFixture(id)
        let spec = try Environments.spec(id)
        #expect(spec.id == id)
        #expect(spec.maxEpisodeSteps == fixture.maxEpisodeSteps)
        #expect(spec.rewardThreshold == fixture.rewardThreshold)
    }

    @Test func fixturesEndInTerminationsAndTruncations() throws {
        for (id, _, _) in Self.cases {
            let ends = try GymnasiumFixture(id).episodes.compactMap(\.steps.last)
            #expect(ends.contains { $0.terminated } || id.hasPrefix("Pendulum"), "\(id) records no termination")
            #expect(ends.contains { $0.truncated }, "\(id) records no truncation")
        }
    }
}
