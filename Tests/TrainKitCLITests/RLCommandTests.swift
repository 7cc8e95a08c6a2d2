import Foundation
import Testing
@testable import TrainKitCLICore

@Suite struct RLCommandTests {
    static let ppoExample = repositoryRoot.appendingPathComponent("Examples/configs/rl/cartpole-ppo.yaml").path
    static let dqnExample = repositoryRoot.appendingPathComponent("Examples/configs/rl/cartpole-dqn.yaml").path

    @Test func aShortPPORunWritesTheRunDirectoryAndJSON() throws {
        let dir = try temporaryDirectory()
        let result = trainkit(["rl", Self.ppoExample, "--set", "output=\(dir.path)/run", "--set", "training.total_timesteps=1024",
                               "--set", "evaluation.every_steps=512", "--set", "evaluation.episodes=3",
                               "--set", "agent.n_epochs=2", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let object = try jsonObject(result.output)
        let metrics = try #require(object["metrics"] as? [String: Double])
        for key in ["eval_mean_return", "eval_std_return", "env_steps", "train_seconds", "steps_per_second"] {
            #expect(metrics[key] != nil, "\(key)")
        }
        #expect(metrics["env_steps"] == 1024)
        #expect(metrics["eval_mean_return"]! >= 8)  // CartPole pays 1 per step; no episode is shorter than 8
        let run = dir.appendingPathComponent("run")
        for file in ["config.yaml", "metrics.jsonl", "metrics.json", "report.md", "checkpoints/agent.safetensors",
                     "model/policy.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file)")
        }
        let curve = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try jsonObject(String($0)) }
        #expect(curve.count == 4)  // 1024 / (8 envs × 32 steps)
        #expect(curve.filter { $0["eval_mean_return"] != nil }.count == 2)
        #expect((curve.last?["env_steps"] as? Double) == 1024)

        // `rl evaluate` reads the run back and, with the run's seed, repeats its final evaluation.
        let evaluated = trainkit(["rl", "evaluate", run.path, "--episodes", "3", "--json"])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let again = try #require(try jsonObject(evaluated.output)["metrics"] as? [String: Double])
        #expect(again["eval_mean_return"] == metrics["eval_mean_return"])
    }

    @Test func aShortDQNRunTrains() throws {
        let dir = try temporaryDirectory()
        let result = trainkit(["rl", Self.dqnExample, "--set", "output=\(dir.path)/run", "--set", "training.total_timesteps=600",
                               "--set", "agent.learning_starts=200", "--set", "agent.train_freq=100",
                               "--set", "agent.gradient_steps=5", "--set", "evaluation.episodes=2", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let metrics = try #require(try jsonObject(result.output)["metrics"] as? [String: Double])
        #expect(metrics["env_steps"] == 600)
    }

    @Test func configMistakesNameTheirKeyPath() throws {
        let dir = try temporaryDirectory()
        func run(_ sets: [String]) -> CLIResult {
            trainkit(["rl", Self.ppoExample, "--set", "output=\(dir.path)/run"] + sets.flatMap { ["--set", $0] })
        }
        let typo = run(["agent.n_stepz=3"])
        #expect(typo.status == 2 && typo.diagnostics.contains("agent.n_stepz: unknown key; did you mean 'agent.n_steps'?"))
        let range = run(["agent.gamma=2"])
        #expect(range.status == 2 && range.diagnostics.contains("agent.gamma"))
        let env = run(["env.id=CartPole-v9"])
        #expect(env.status == 2 && env.diagnostics.contains("env.id") && env.diagnostics.contains("CartPole-v1"))
        let type = run(["training.total_timesteps=lots"])
        #expect(type.status == 2 && type.diagnostics.contains("training.total_timesteps: expected an integer"))
        let agent = run(["agent.name=ddpg"])
        #expect(agent.status == 2 && agent.diagnostics.contains("agent.name"))
        let schedule = run(["agent.learning_rate=lin_x"])
        #expect(schedule.status == 2 && schedule.diagnostics.contains("agent.learning_rate"))
    }

    @Test func resumingAFinishedRunReadsItsCheckpointBack() throws {
        // The checkpoint round trip through the file: weights, Adam state, counters and the action log, which is
        // replayed on fresh environments. A finished run resumed has nothing left to train, so it must end with
        // the same weights and the same final evaluation.
        let dir = try temporaryDirectory()
        let sets = ["--set", "output=\(dir.path)/run", "--set", "training.total_timesteps=512", "--set", "agent.n_epochs=2",
                    "--set", "evaluation.episodes=3", "--set", "evaluation.every_steps=0", "--json"]
        let first = trainkit(["rl", Self.ppoExample] + sets)
        #expect(first.status == 0, "\(first.diagnostics)")
        let weights = dir.appendingPathComponent("run/model/policy.safetensors")
        let before = try Data(contentsOf: weights)
        let resumed = trainkit(["rl", Self.ppoExample, "--resume"] + sets)
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        #expect(resumed.diagnostics.contains("resumed ppo at 512 environment steps"))
        #expect(try Data(contentsOf: weights) == before)
        let a = try #require(try jsonObject(first.output)["metrics"] as? [String: Double])
        let b = try #require(try jsonObject(resumed.output)["metrics"] as? [String: Double])
        #expect(a["eval_mean_return"] == b["eval_mean_return"] && a["env_steps"] == b["env_steps"])
        #expect(a["train_seconds"] == b["train_seconds"])  // carried in the checkpoint; nothing more was trained
    }

    @Test func aDamagedCheckpointIsADataError() throws {
        let dir = try temporaryDirectory()
        let checkpoints = dir.appendingPathComponent("run/checkpoints")
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        try Data("not a checkpoint".utf8).write(to: checkpoints.appendingPathComponent("agent.safetensors"))
        let result = trainkit(["rl", Self.ppoExample, "--set", "output=\(dir.path)/run", "--resume"])
        #expect(result.status == 3, "\(result.diagnostics)")
        #expect(result.diagnostics.contains("agent.safetensors"))
    }
}
