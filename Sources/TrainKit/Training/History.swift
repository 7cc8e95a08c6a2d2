/// Every epoch's metrics (`loss`, `val_loss`, `val_accuracy`, `lr`, ...), in order. Codable, so it saves with
/// checkpoints and prints as JSON.
public struct History: Codable, Sendable, Equatable {
    public var epochs: [[String: Double]] = []

    public init(epochs: [[String: Double]] = []) { self.epochs = epochs }

    /// The values of `key` over the epochs that have it.
    public func values(_ key: String) -> [Double] { epochs.compactMap { $0[key] } }

    /// The last epoch's metrics.
    public var last: [String: Double]? { epochs.last }
}
