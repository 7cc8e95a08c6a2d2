/// `(height, width)` of a 2-d window, stride, padding or dilation. An integer literal sets both, an array
/// literal `[h, w]` each.
public struct Size2d: Equatable, Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }
    /// The same value for both dimensions.
    public init(_ both: Int) { self.init(both, both) }
    public init(integerLiteral value: Int) { self.init(value, value) }
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2 || elements.count == 1, "Size2d: needs [h, w], got \(elements)")
        self.init(elements[0], elements[elements.count - 1])
    }
    public var description: String { height == width ? "\(height)" : "(\(height), \(width))" }
}
