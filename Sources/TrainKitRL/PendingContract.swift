// Temporary stand-in for the environment side of the RL contract (removed when Environments/, Spaces/,
// Vector/ and Wrappers/ are merged in): just enough CartPole-v1 and a same-step vector to build the agents.
import Foundation

public enum Action: Sendable, Equatable { case discrete(Int); case continuous([Double]) }

public enum Space: Sendable, Equatable {
    case discrete(Int)
    case box(low: [Double], high: [Double])
    public var flatDimension: Int {
        switch self { case .discrete: return 1; case .box(let low, _): return low.count }
    }
    public func contains(_ action: Action) -> Bool {
        switch (self, action) {
        case (.discrete(let n), .discrete(let a)): return a >= 0 && a < n
        case (.box(let lo, _), .continuous(let v)): return v.count == lo.count
        default: return false
        }
    }
}

public struct Step: Sendable {
    public var observation: [Double]; public var reward: Double
    public var terminated: Bool; public var truncated: Bool; public var info: [String: Double]
}

public struct EnvironmentSpec: Sendable {
    public var id: String; public var maxEpisodeSteps: Int?; public var rewardThreshold: Double?
}

public enum EnvironmentError: Error { case badAction }

public protocol Environment {
    var observationSpace: Space { get }
    var actionSpace: Space { get }
    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double])
    mutating func step(_ action: Action) throws -> Step
}

struct PendingCartPole: Environment {
    var observationSpace: Space { .box(low: [-4.8, -1e38, -0.42, -1e38], high: [4.8, 1e38, 0.42, 1e38]) }
    var actionSpace: Space { .discrete(2) }
    var s = [0.0, 0, 0, 0]
    var t = 0
    var rng: UInt64 = 1
    mutating func next() -> Double {
        rng &+= 0x9E37_79B9_7F4A_7C15
        var z = rng
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / 9_007_199_254_740_992.0
    }
    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        if let seed { rng = seed &* 7919 &+ 17 }
        s = (0..<4).map { _ in next() * 0.1 - 0.05 }; t = 0
        return (s.map { Double(Float($0)) }, [:])
    }
    mutating func step(_ action: Action) throws -> Step {
        guard case .discrete(let a) = action, a == 0 || a == 1 else { throw EnvironmentError.badAction }
        let force = a == 1 ? 10.0 : -10.0
        var (x, xd, th, thd) = (s[0], s[1], s[2], s[3])
        let ct = cos(th), st = sin(th)
        let temp = (force + 0.05 * thd * thd * st) / 1.1
        let thacc = (9.8 * st - ct * temp) / (0.5 * (4.0 / 3.0 - 0.1 * ct * ct / 1.1))
        let xacc = temp - 0.05 * thacc * ct / 1.1
        x += 0.02 * xd; xd += 0.02 * xacc; th += 0.02 * thd; thd += 0.02 * thacc
        s = [x, xd, th, thd]; t += 1
        let term = x < -2.4 || x > 2.4 || th < -0.20944 || th > 0.20944
        return Step(observation: s.map { Double(Float($0)) }, reward: 1, terminated: term, truncated: !term && t >= 500, info: [:])
    }
}

public enum Environments {
    public static func make(_ id: String) throws -> any Environment {
        guard id == "CartPole-v1" else { throw EnvironmentError.badAction }
        return PendingCartPole()
    }
}

public enum AutoresetMode: Sendable { case nextStep, sameStep, disabled }

public struct VectorStep {
    public var observations: [Float]
    public var rewards: [Double]; public var terminated: [Bool]; public var truncated: [Bool]
    public var finalObservations: [Int: [Double]]
    public var episodes: [Int: (return: Double, length: Int)]
}

public final class VectorEnvironment {
    var envs: [any Environment]
    var returns: [Double], lengths: [Int]
    public init(count: Int, threads: Int = 1, autoreset: AutoresetMode = .nextStep,
                make: (Int) throws -> any Environment) rethrows {
        envs = try (0..<count).map(make)
        returns = Array(repeating: 0, count: count); lengths = Array(repeating: 0, count: count)
    }
    public var count: Int { envs.count }
    public var observationSpace: Space { envs[0].observationSpace }
    public var actionSpace: Space { envs[0].actionSpace }
    public func reset(seed: UInt64?) -> [Float] {
        var out: [Float] = []
        for i in envs.indices { out += envs[i].reset(seed: seed.map { $0 + UInt64(i) }).observation.map(Float.init) }
        returns = returns.map { _ in 0 }; lengths = lengths.map { _ in 0 }
        return out
    }
    public func step(_ actions: [Action]) throws -> VectorStep {
        var v = VectorStep(observations: [], rewards: [], terminated: [], truncated: [], finalObservations: [:], episodes: [:])
        for i in envs.indices {
            let s = try envs[i].step(actions[i])
            returns[i] += s.reward; lengths[i] += 1
            v.rewards.append(s.reward); v.terminated.append(s.terminated); v.truncated.append(s.truncated)
            var obs = s.observation
            if s.terminated || s.truncated {
                v.finalObservations[i] = obs
                v.episodes[i] = (returns[i], lengths[i])
                returns[i] = 0; lengths[i] = 0
                obs = envs[i].reset(seed: nil).observation
            }
            v.observations += obs.map(Float.init)
        }
        return v
    }
}
