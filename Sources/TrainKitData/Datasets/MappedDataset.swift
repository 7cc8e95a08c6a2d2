/// A dataset whose elements are `transform(base[i])`, computed when read (PyTorch's per-item transform).
///
/// ```swift
/// let scaled = data.map { Sample(features: $0.features / 255, label: $0.label) }
/// ```
public struct MappedDataset<Base: Dataset, Element: Sendable>: Dataset {
    public let base: Base
    public let transform: @Sendable (Base.Element) -> Element

    public init(_ base: Base, transform: @escaping @Sendable (Base.Element) -> Element) {
        self.base = base
        self.transform = transform
    }

    public var count: Int { base.count }

    public subscript(index: Int) -> Element { transform(base[index]) }
}

extension Dataset {
    /// A dataset applying `transform` to each element when it is read.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) -> T) -> MappedDataset<Self, T> {
        MappedDataset(self, transform: transform)
    }
}
