import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// `env.normalize` (SB3's `VecNormalize`) in `trainkit rl`: the config keys, the statistics in the run directory
/// and the checkpoint, and `rl evaluate` with them.
@Suite struct RLNormalizeCommandTests {
    static let dqn = ["rl", RLCommandTests.dqnExample, "--set", "training.total_timesteps=600", "--set", "agent.learning_starts=200",
                      "--set", "agent.train_freq=100", "--set", "agent.gradient_steps=5", "--set", "evaluation.episodes=2",
                      "--set", "evaluation.every_steps=0"]

    @Test func badNormalizeValuesNameTheirKey() throws {
        let dir = try temporaryDirectory()
        func run(_ normalize: String) -> CLIResult {
            trainkit(Self.dqn + ["--set", "output=\(dir.path)/run", "--set", "env.normalize=\(normalize)"])
        }
        let clip = run("{clip_obs: 0}")
        #expect(clip.status == 2 && clip.diagnostics.contains("env.normalize.clip_obs"), "\(clip.diagnostics)")
        let gamma = run("{gamma: 1.5}")
        #expect(gamma.status == 2 && gamma.diagnostics.contains("env.normalize.gamma"), "\(gamma.diagnostics)")
        let typo = run("{norm_obz: true}")
        #expect(typo.status == 2 && typo.diagnostics.contains("env.normalize.norm_obz: unknown key; did you mean 'env.normalize.norm_obs'?"),
                "\(typo.diagnostics)")
        let type = run("3")
        #expect(type.status == 2 && type.diagnostics.contains("env.normalize"), "\(type.diagnostics)")
        let flag = run("{norm_reward: maybe}")
        #expect(flag.status == 2 && flag.diagnostics.contains("env.normalize.norm_reward"), "\(flag.diagnostics)")
    }

    @Test func theConfigReadsSB3sNames() throws {
        var node = try ConfigNode.parse(yaml: "env: {id: CartPole-v1, normalize: {norm_reward: false, clip_obs: 5, epsilon: 1e-6}}\n"
                                        + "agent: {name: dqn, gamma: 0.9}\ntraining: {total_timesteps: 10}\n", file: "c.yaml")
        var config = try RLConfig(node: node)
        #expect(config.normalize == RLNormalizeSettings(normObs: true, normReward: false, clipObs: 5, clipReward: 10, gamma: nil, epsilon: 1e-6))
        let n = try #require(try config.makeEnvironment().normalization)
        #expect(n.gamma == 0.9 && n.clipObservation == 5 && !n.normalizeRewards && n.normalizeObservations)
        try ConfigOverride.apply("env.normalize=false", to: &node)
        config = try RLConfig(node: node)
        let plain = try config.makeEnvironment()
        #expect(config.normalize == nil && plain.normalization == nil)
    }

    /// The run saves the statistics (model/vec_normalize.safetensors, and in the checkpoint); `rl evaluate` repeats
    /// the run's final evaluation with them and refuses to run without them; a finished run resumed ends the same.
    @Test func aNormalizedRunSavesResumesAndEvaluatesWithItsStatistics() throws {
        let dir = try temporaryDirectory()
        let run = dir.appendingPathComponent("run")
        let sets = ["--set", "output=\(run.path)", "--set", "env.normalize={norm_reward: false}", "--json"]
        let first = trainkit(Self.dqn + sets)
        #expect(first.status == 0, "\(first.diagnostics)")
        let metrics = try #require(try jsonObject(first.output)["metrics"] as? [String: Double])
        let statsFile = run.appendingPathComponent("model/vec_normalize.safetensors")
        let saved = try SafeTensors.read(from: statsFile).tensors
        let count = try #require(saved["obs_rms.count"]?.toArray(as: Double.self).first)
        #expect(abs(count - 601.0001) < 1e-9)  // the reset and 600 steps of one environment, from SB3's 1e-4
        let checkpoint = try RLCheckpoint.read(from: run.appendingPathComponent("checkpoints/agent.safetensors"))
        #expect(checkpoint.tensors["vec_normalize.obs_rms.mean"]?.toArray(as: Double.self) == saved["obs_rms.mean"]?.toArray(as: Double.self))

        let evaluated = trainkit(["rl", "evaluate", run.path, "--episodes", "2", "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let again = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        #expect(again["eval_mean_return"] == metrics["eval_mean_return"])

        let weights = run.appendingPathComponent("model/policy.safetensors")
        let (policyBefore, statsBefore) = (try Data(contentsOf: weights), try Data(contentsOf: statsFile))
        let resumed = trainkit(Self.dqn + sets + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        let (policyAfter, statsAfter) = (try Data(contentsOf: weights), try Data(contentsOf: statsFile))
        #expect(policyAfter == policyBefore && statsAfter == statsBefore)

        try FileManager.default.removeItem(at: statsFile)
        let missing = trainkit(["rl", "evaluate", run.path, "--episodes", "2"])
        #expect(missing.status == 3 && missing.diagnostics.contains("vec_normalize.safetensors"), "\(missing.diagnostics)")
    }
}
