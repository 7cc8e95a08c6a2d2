// PPO or DQN on CartPole-v1 with the RL-Zoo's tuned hyperparameters:
// `swift run -c release cartpole [ppo|dqn] [seed] [steps]`.
import Foundation
import TrainKitRL

let arguments = CommandLine.arguments
let algorithm = arguments.count > 1 ? arguments[1] : "ppo"
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 0 : 0
let steps = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 0

func report(_ steps: Int, _ episodes: [EpisodeRecord]) {
    let recent = episodes.suffix(20).map(\.reward)
    print("steps \(steps)  mean return of the last 20 episodes \(recent.reduce(0, +) / Double(max(recent.count, 1)))")
}

let start = Date()
let agent: any Agent
if algorithm == "dqn" {
    var c = DQNConfiguration()
    c.learningRate = .constant(2.3e-3); c.batchSize = 64; c.bufferSize = 100_000; c.learningStarts = 1000
    c.gamma = 0.99; c.targetUpdateInterval = 10; c.trainFreq = 256; c.gradientSteps = 128
    c.explorationFraction = 0.16; c.explorationFinalEps = 0.04; c.netArch = [256, 256]
    let env = try VectorEnvironment(count: 1, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
    let dqn = try DQN(environment: env, configuration: c, seed: seed)
    try dqn.learn(totalTimesteps: steps > 0 ? steps : 50_000) { d in
        if d.numTimesteps % 5120 == 0 { report(d.numTimesteps, d.episodes) }
        return true
    }
    agent = dqn
} else {
    var c = PPOConfiguration()
    c.nSteps = 32; c.batchSize = 256; c.gaeLambda = 0.8; c.gamma = 0.98; c.nEpochs = 20; c.entCoef = 0
    c.learningRate = .linear(from: 0.001, to: 0); c.clipRange = .linear(from: 0.2, to: 0)
    let env = try VectorEnvironment(count: 8, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
    let ppo = try PPO(environment: env, configuration: c, seed: seed)
    try ppo.learn(totalTimesteps: steps > 0 ? steps : 100_000) { p in
        if p.iterations % 40 == 0 { report(p.numTimesteps, p.episodes) }
        return true
    }
    agent = ppo
}
let seconds = Date().timeIntervalSince(start)
var rng = AgentRandom(seed: 10_000 + seed)
let result = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 100,
                                deterministic: true, seed: 10_000 + seed, using: &rng)
print("\(algorithm) seed \(seed): train \(String(format: "%.1f", seconds)) s, eval mean \(result.mean) std \(result.std)")
