/// An action an agent passes to `Environment.step(_:)`.
///
/// `discrete(i)` picks one of `n` choices (`Space.discrete(n)`, `0 ≤ i < n`); `continuous(v)` is a flat vector in a
/// `Space.box` (shape `[low.count]`).
public enum Action: Sendable, Equatable, CustomStringConvertible {
    case discrete(Int)
    case continuous([Double])

    public var description: String {
        switch self {
        case .discrete(let i): "discrete(\(i))"
        case .continuous(let v): "continuous(\(v))"
        }
    }
}
