/// Stacks the last `stackSize` observations into one (Gymnasium's `FrameStackObservation`), oldest first:
/// shape `[stackSize × d]` flat for a base observation of `d` numbers.
///
/// At `reset` the stack is filled with the reset observation (`padding: .reset`, Gymnasium's default) or with
/// zeros ends by it (`.zero`). A discrete base observation becomes a box `[0, n − 1]` per frame.
public struct FrameStack<Base: Environment>: Environment {
    public enum Padding: Sendable { case reset, zero }

    public var base: Base
    public let stackSize: Int
    public let padding: Padding
    let frame: Int
    /// The stacked frames, oldest first.
    var frames: [Double]

    /// - Parameters:
    ///   - base: the environment whose observations to stack.
    ///   - stackSize: how many frames (at least 1).
    ///   - padding: what fills the stack at reset.
    public init(_ base: Base, stackSize: Int, padding: Padding = .reset) throws {
        guard stackSize >= 1 else {
            throw EnvironmentError.invalidArgument(name: "stackSize", value: "\(stackSize)", expected: "at least 1")
        }
        self.base = base
        self.stackSize = stackSize
        self.padding = padding
        frame = base.observationSpace.flatDimension
        frames = Array(repeating: 0, count: stackSize * frame)
    }

    public var id: String { base.id }
    public var actionSpace: Space { base.actionSpace }
    public var observationSpace: Space {
        switch base.observationSpace {
        case .discrete(let n):
            return .box(low: Array(repeating: 0, count: stackSize),
                        high: Array(repeating: Double(n - 1), count: stackSize))
        case .box(let low, let high):
            return .box(low: Array([[Double]](repeating: low, count: stackSize).joined()),
                        high: Array([[Double]](repeating: high, count: stackSize).joined()))
        }
    }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        let (observation, info) = base.reset(seed: seed)
        for k in 0..<stackSize {
            for j in 0..<frame {
                frames[k * frame + j] = padding == .zero && k < stackSize - 1 ? 0 : value(observation, j)
            }
        }
        return (frames, info)
    }

    public mutating func step(_ action: Action) throws -> Step {
        var result = try base.step(action)
        if stackSize > 1 {
            for i in 0..<((stackSize - 1) * frame) { frames[i] = frames[i + frame] }
        }
        let last = (stackSize - 1) * frame
        for j in 0..<frame { frames[last + j] = value(result.observation, j) }
        result.observation = frames
        return result
    }

    /// Entry `j` of a base observation (0 where a malformed one is short; the vector checks name that case).
    private func value(_ observation: [Double], _ j: Int) -> Double { j < observation.count ? observation[j] : 0 }
}
