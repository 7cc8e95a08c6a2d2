import Foundation
import Testing
@testable import TrainKitCLICore

/// `trainkit rl` with the SAC and A2C example configs (short runs), their resume and their config errors.
@Suite struct RLNewAgentCommandTests {
    static let sacExample = repositoryRoot.appendingPathComponent("Examples/configs/rl/pendulum-sac.yaml").path
    static let a2cExample = repositoryRoot.appendingPathComponent("Examples/configs/rl/cartpole-a2c.yaml").path
    static let acrobotExample = repositoryRoot.appendingPathComponent("Examples/configs/rl/acrobot-ppo.yaml").path

    @Test func aShortSACRunTrainsAndResumesToTheSameWeights() throws {
        let dir = try temporaryDirectory()
        let sets = ["--set", "output=\(dir.path)/run", "--set", "training.total_timesteps=160", "--set", "agent.learning_starts=100",
                    "--set", "agent.batch_size=16", "--set", "agent.policy_kwargs.net_arch=[8]", "--set", "agent.ent_coef=auto_0.5",
                    "--set", "evaluation.episodes=1", "--set", "evaluation.every_steps=0", "--json"]
        let first = trainkit(["rl", Self.sacExample] + sets)
        #expect(first.status == 0, "\(first.diagnostics)")
        let metrics = try #require(try jsonObject(first.output)["metrics"] as? [String: Double])
        #expect(metrics["env_steps"] == 160)
        #expect(metrics["eval_mean_return"]! < 0)  // Pendulum's rewards are ≤ 0
        let weights = dir.appendingPathComponent("run/model/policy.safetensors")
        let before = try Data(contentsOf: weights)
        let resumed = trainkit(["rl", Self.sacExample, "--resume"] + sets)
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        #expect(resumed.diagnostics.contains("resumed sac at 160 environment steps"))
        #expect(try Data(contentsOf: weights) == before)
        let evaluated = trainkit(["rl", "evaluate", dir.appendingPathComponent("run").path, "--episodes", "1", "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let again = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        #expect(again["eval_mean_return"] == metrics["eval_mean_return"])
    }

    @Test func aShortA2CRunTrains() throws {
        let dir = try temporaryDirectory()
        let result = trainkit(["rl", Self.a2cExample, "--set", "output=\(dir.path)/run", "--set", "training.total_timesteps=400",
                               "--set", "evaluation.episodes=2", "--set", "evaluation.every_steps=200", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        #expect(metrics["env_steps"] == 400)
        let curve = try String(contentsOf: dir.appendingPathComponent("run/metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(curve.count == 10)  // 400 / (8 envs × 5 steps)
    }

    @Test func theAcrobotExampleReads() throws {
        let config = try RLConfig.load(file: Self.acrobotExample)
        #expect(config.envID == "Acrobot-v1" && config.nEnvs == 16 && config.agent.name == "ppo")
    }

    @Test func newAgentConfigMistakesNameTheirKeyPath() throws {
        let dir = try temporaryDirectory()
        func run(_ file: String, _ sets: [String]) -> CLIResult {
            trainkit(["rl", file, "--set", "output=\(dir.path)/run"] + sets.flatMap { ["--set", $0] })
        }
        let ent = run(Self.sacExample, ["agent.ent_coef=sometimes"])
        #expect(ent.status == 2 && ent.diagnostics.contains("agent.ent_coef"))
        let tau = run(Self.sacExample, ["agent.tau=0"])
        #expect(tau.status == 2 && tau.diagnostics.contains("agent.tau"))
        let typo = run(Self.sacExample, ["agent.n_steps=5"])
        #expect(typo.status == 2 && typo.diagnostics.contains("agent.n_steps: unknown key"))
        let space = run(Self.sacExample, ["env.id=CartPole-v1"])
        #expect(space.status == 2 && space.diagnostics.contains("sac cannot use the space"))
        let eps = run(Self.a2cExample, ["agent.rms_prop_eps=0"])
        #expect(eps.status == 2 && eps.diagnostics.contains("agent.rms_prop_eps"))
        let clip = run(Self.a2cExample, ["agent.clip_range=0.2"])
        #expect(clip.status == 2 && clip.diagnostics.contains("agent.clip_range: unknown key"))
    }
}
