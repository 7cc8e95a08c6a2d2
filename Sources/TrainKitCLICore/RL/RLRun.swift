import CTrainKitKernels
import Foundation
import TrainKit

/// `trainkit rl CONFIG`: trains an agent and writes the run directory.
///
/// ```
/// RUN/config.yaml                    the config as read
/// RUN/metrics.jsonl                  the learning curve: one line per iteration (PPO, A2C) or round (DQN, SAC), and one per
///                                    evaluation during training (`eval_mean_return`)
/// RUN/checkpoints/agent.safetensors  the full training state (``RLCheckpoint``), for --resume
/// RUN/model/policy.safetensors       the acting network, SB3's parameter names
/// RUN/model/vec_normalize.safetensors with `env.normalize`: the observation and return statistics (RLNormalizeState)
/// RUN/metrics.json                   the final numbers; RUN/report.md a short summary
/// ```
///
/// `train_seconds` is the wall time of training alone: evaluations and checkpoint writes are not counted.
struct RLRun {
    let config: RLConfig
    let io: CommandIO
    let resume: Bool

    struct Result {
        var runDirectory: URL
        var metrics: [String: Double]
    }

    func run() throws -> Result {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: config.output, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath)).standardizedFileURL
        let checkpoint = dir.appendingPathComponent("checkpoints/agent.safetensors")
        if resume && !fm.fileExists(atPath: checkpoint.path) {
            throw ConfigError.usage("--resume: \(checkpoint.path) does not exist (no checkpoint to continue from)")
        }
        tk_set_num_threads(Int32(config.threads))
        let environment = try config.makeEnvironment()
        let agent = try config.makeAgent(on: environment)
        try fm.createDirectory(at: dir.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("model"), withIntermediateDirectories: true)
        try AtomicFile.write(Data(try config.node.yamlText().utf8), to: dir.appendingPathComponent("config.yaml"))

        var curve = RLMetricsLog(url: dir.appendingPathComponent("metrics.jsonl"))
        var trainSeconds = 0.0
        if resume {
            let state = try RLCheckpoint.read(from: checkpoint)
            try agent.load(state)
            // The action replay rebuilt the statistics already; the saved ones are the same numbers.
            if environment.normalization != nil {
                try RLNormalizeState.restore(&environment.normalization!, from: state.tensors, prefix: "vec_normalize.",
                                             source: checkpoint.path)
            }
            trainSeconds = state.metadata.scalars["train_seconds"] ?? 0
            try curve.keep(upTo: agent.numTimesteps)
            io.progress("resumed \(config.agent.name) at \(agent.numTimesteps) environment steps")
        } else {
            try curve.start()
        }

        var evalRng = AgentRandom(seed: 20_000 + config.seed)
        var nextEvaluation = config.evaluateEverySteps > 0
            ? (agent.numTimesteps / config.evaluateEverySteps + 1) * config.evaluateEverySteps : Int.max
        var nextCheckpoint = config.checkpointEverySteps > 0
            ? (agent.numTimesteps / config.checkpointEverySteps + 1) * config.checkpointEverySteps : Int.max
        var lastProgress = Date.distantPast
        var clock = Date()
        try agent.learn(total: config.totalTimesteps) {
            trainSeconds += Date().timeIntervalSince(clock)
            defer { clock = Date() }
            let steps = agent.numTimesteps
            var line: [String: Double] = ["env_steps": Double(steps), "train_seconds": trainSeconds,
                                          "episodes": Double(agent.episodes.count)]
            let recent = agent.episodes.suffix(100)
            if !recent.isEmpty {
                line["ep_rew_mean"] = recent.map(\.reward).reduce(0, +) / Double(recent.count)
                line["ep_len_mean"] = Double(recent.map(\.length).reduce(0, +)) / Double(recent.count)
            }
            line.merge(agent.statistics) { a, _ in a }
            if steps >= nextEvaluation {
                let result = try evaluatePolicy(agent.agent, make: config.makeSingleEnvironment,
                                                episodes: config.evaluateEveryEpisodes, deterministic: config.deterministic,
                                                seed: 20_000 + config.seed, normalization: environment.normalization,
                                                using: &evalRng)
                line["eval_mean_return"] = result.mean
                line["eval_std_return"] = result.std
                while nextEvaluation <= steps { nextEvaluation += config.evaluateEverySteps }
            }
            try curve.append(line)
            if steps >= nextCheckpoint {
                try save(agent, environment: environment, trainSeconds: trainSeconds, to: checkpoint)
                while nextCheckpoint <= steps { nextCheckpoint += config.checkpointEverySteps }
            }
            if Date().timeIntervalSince(lastProgress) > 2 {
                lastProgress = Date()
                io.progress("\(steps)/\(config.totalTimesteps) steps" + (line["ep_rew_mean"].map { String(format: ", ep_rew_mean %.1f", $0) } ?? ""))
            }
            return true
        }
        try save(agent, environment: environment, trainSeconds: trainSeconds, to: checkpoint)
        try SafeTensors.write(agent.policyModule.stateDict(), metadata: ["agent": config.agent.name, "env": config.envID],
                              to: dir.appendingPathComponent("model/policy.safetensors"))
        let statistics = dir.appendingPathComponent(RLNormalizeState.file)
        if let normalization = environment.normalization {
            try SafeTensors.write(RLNormalizeState.tensors(normalization), metadata: ["env": config.envID], to: statistics)
        } else if fm.fileExists(atPath: statistics.path) {
            try fm.removeItem(at: statistics)
        }

        var finalRng = AgentRandom(seed: 10_000 + config.seed)
        let result = try evaluatePolicy(agent.agent, make: config.makeSingleEnvironment, episodes: config.evaluationEpisodes,
                                        deterministic: config.deterministic, seed: 10_000 + config.seed,
                                        normalization: environment.normalization, using: &finalRng)
        let metrics: [String: Double] = [
            "eval_mean_return": result.mean, "eval_std_return": result.std, "env_steps": Double(agent.numTimesteps),
            "train_seconds": trainSeconds, "steps_per_second": Double(agent.numTimesteps) / Swift.max(trainSeconds, 1e-9),
            "episodes": Double(agent.episodes.count),
        ]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: metrics, options: [.sortedKeys, .prettyPrinted]),
                             to: dir.appendingPathComponent("metrics.json"))
        try AtomicFile.write(Data(RLReport.markdown(config: config, metrics: metrics, curve: try curve.read()).utf8),
                             to: dir.appendingPathComponent("report.md"))
        return Result(runDirectory: dir, metrics: metrics)
    }

    /// The agent's state, with the normalization statistics under `vec_normalize.` when the config has them.
    private func save(_ agent: RLAgent, environment: VectorEnvironment, trainSeconds: Double, to url: URL) throws {
        var state = agent.state()
        if let normalization = environment.normalization {
            state.tensors.merge(RLNormalizeState.tensors(normalization, prefix: "vec_normalize.")) { a, _ in a }
        }
        state.metadata.scalars["train_seconds"] = trainSeconds
        try RLCheckpoint.write(state, to: url)
    }
}
