/// A type-erased environment, so the generic wrappers (`TimeLimit`, `FrameStack`, `CheckedEnvironment`, ...) can
/// wrap what `Environments.make` returns:
/// `FrameStack(AnyEnvironment(try Environments.make("CartPole-v1")), stackSize: 4)`.
public struct AnyEnvironment: Environment {
    public var base: any Environment

    public init(_ base: any Environment) { self.base = base }

    public var id: String { base.id }
    public var observationSpace: Space { base.observationSpace }
    public var actionSpace: Space { base.actionSpace }
    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        base.reset(seed: seed)
    }
    public mutating func step(_ action: Action) throws -> Step { try base.step(action) }
}
