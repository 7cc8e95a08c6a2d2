// PPO on CartPole-v1 with the RL-Zoo's tuned hyperparameters: `swift run -c release cartpole [seed] [steps]`.
import Foundation
import TrainKitRL

let arguments = CommandLine.arguments
let seed = arguments.count > 1 ? UInt64(arguments[1]) ?? 0 : 0
let steps = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000

var configuration = PPOConfiguration()
configuration.nSteps = 32
configuration.batchSize = 256
configuration.gaeLambda = 0.8
configuration.gamma = 0.98
configuration.nEpochs = 20
configuration.entCoef = 0
configuration.learningRate = .linear(from: 0.001, to: 0)
configuration.clipRange = .linear(from: 0.2, to: 0)

let env = try VectorEnvironment(count: 8, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
let agent = try PPO(environment: env, configuration: configuration, seed: seed)
let start = Date()
try agent.learn(totalTimesteps: steps) { ppo in
    if ppo.iterations % 40 == 0 {
        let recent = ppo.episodes.suffix(20).map(\.reward)
        let mean = recent.isEmpty ? 0 : recent.reduce(0, +) / Double(recent.count)
        print("steps \(ppo.numTimesteps)  mean return (last 20) \(mean)  \(ppo.lastLosses)")
    }
    return true
}
let seconds = Date().timeIntervalSince(start)
var rng = AgentRandom(seed: 10_000 + seed)
let result = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 100,
                                deterministic: true, seed: 10_000 + seed, using: &rng)
print("seed \(seed): train \(String(format: "%.1f", seconds)) s, eval mean \(result.mean) std \(result.std)")
