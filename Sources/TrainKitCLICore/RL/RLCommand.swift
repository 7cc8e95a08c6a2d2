import ArgumentParser
import Foundation
import TrainKit

/// `trainkit rl CONFIG [--json] [--resume]` and `trainkit rl evaluate RUN [--episodes N]`.
struct RLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rl",
        abstract: "Train a reinforcement-learning agent (PPO, A2C, DQN, SAC) on a Gymnasium environment.",
        discussion: "Config keys: docs/reinforcement-learning.md.",
        subcommands: [RLTrainCommand.self, RLEvaluateCommand.self],
        defaultSubcommand: RLTrainCommand.self)
}

/// `trainkit rl [train] CONFIG`.
struct RLTrainCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an agent from a YAML config and write a run directory.",
        discussion: """
            The run directory (`output`) gets config.yaml, metrics.jsonl (the learning curve), metrics.json, \
            report.md, checkpoints/agent.safetensors (the full training state) and model/policy.safetensors.
            """)

    @Argument(help: "The YAML config file.", completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value (key.path=value).", valueName: "key=value"))
    var overrides: [String] = []

    @Flag(help: "Continue from the run directory's checkpoint (same config): the result is the uninterrupted run's.")
    var resume = false

    @Flag(help: "Print one JSON object (run directory and metrics) on standard output at the end.")
    var json = false

    func execute(_ io: CommandIO) throws {
        let config = try RLConfig.load(file: config, overrides: overrides)
        let result = try RLRun(config: config, io: io, resume: resume).run()
        if json {
            let object: [String: Any] = ["run_dir": result.runDirectory.path, "agent": config.agent.name,
                                         "env": config.envID, "metrics": result.metrics]
            io.output(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            io.output("run: \(result.runDirectory.path)")
            io.output(MetricsText.line(result.metrics, prefixes: []))
        }
    }
}

/// `trainkit rl evaluate RUN [--episodes N] [--stochastic] [--seed S]`.
struct RLEvaluateCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Evaluate a trained agent's policy on fresh episodes.")

    @Argument(help: "A run directory written by `trainkit rl`.", completion: .directory)
    var run: String

    @Option(help: "Episodes to run.")
    var episodes = 100

    @Option(help: "Seed of the evaluation environment's first reset.")
    var seed: UInt64 = 10_000

    @Flag(help: "Sample actions instead of taking the most likely one.")
    var stochastic = false

    @Flag(help: "Print one JSON object on standard output.")
    var json = false

    func validate() throws {
        if episodes < 1 { throw ValidationError("--episodes must be >= 1, got \(episodes)") }
    }

    func execute(_ io: CommandIO) throws {
        let dir = URL(fileURLWithPath: run)
        let configFile = dir.appendingPathComponent("config.yaml").path
        guard FileManager.default.fileExists(atPath: configFile) else {
            throw ConfigError.usage("\(run) is not an RL run directory (no config.yaml)")
        }
        let config = try RLConfig.load(file: configFile)
        let environment = try config.makeEnvironment()
        let agent = try config.makeAgent(on: environment)
        let weights = dir.appendingPathComponent("model/policy.safetensors")
        do {
            try agent.policyModule.load(stateDict: try SafeTensors.read(from: weights).tensors)
        } catch let error as StateDictError {
            throw AgentError.badState("\(weights.path): \(error)")
        }
        // With env.normalize, the run's final statistics, frozen.
        if environment.normalization != nil {
            let file = dir.appendingPathComponent(RLNormalizeState.file)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw AgentError.badState("\(file.path) does not exist: the config normalizes observations (env.normalize) and evaluation needs the run's statistics")
            }
            try RLNormalizeState.restore(&environment.normalization!, from: try SafeTensors.read(from: file).tensors,
                                         source: file.path)
        }
        var rng = AgentRandom(seed: seed)
        let result = try evaluatePolicy(agent.agent, make: config.makeSingleEnvironment, episodes: episodes,
                                        deterministic: !stochastic, seed: seed, normalization: environment.normalization,
                                        using: &rng)
        let metrics = ["eval_mean_return": result.mean, "eval_std_return": result.std, "episodes": Double(episodes),
                       "eval_mean_length": Double(result.lengths.reduce(0, +)) / Double(episodes)]
        if json {
            io.output(String(decoding: try JSONSerialization.data(withJSONObject: ["metrics": metrics], options: [.sortedKeys]), as: UTF8.self))
        } else {
            io.output(MetricsText.line(metrics, prefixes: []))
        }
    }
}
