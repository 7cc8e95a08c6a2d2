import TrainKitCore

/// Which end of a sequence gives way when it is longer than the target length, or gets the padding
/// when shorter.
public enum SequenceEnd: String, Codable, Sendable {
    case start, end
}

/// Pads or truncates token sequences to one length: int64 `[N, length]` (Keras `pad_sequences`).
///
/// ```swift
/// let x = padSequences([[5, 6, 7], [8]], length: 2, padID: 0)   // [[5, 6], [8, 0]]
/// ```
/// - Parameters:
///   - truncating: the end whose tokens are dropped from a long sequence (default: the end).
///   - padding: the end where pad ids go (default: the end).
public func padSequences(_ sequences: [[Int]], length: Int, padID: Int = 0, truncating: SequenceEnd = .end,
                         padding: SequenceEnd = .end) -> Tensor {
    precondition(length >= 0, "padSequences: length must be >= 0, got \(length)")
    var out = [Int64](repeating: Int64(padID), count: sequences.count * length)
    for (i, sequence) in sequences.enumerated() {
        let kept = sequence.count <= length ? sequence[...]
            : (truncating == .end ? sequence.prefix(length) : sequence.suffix(length))
        let offset = padding == .end ? 0 : length - kept.count
        for (j, id) in kept.enumerated() { out[i * length + offset + j] = Int64(id) }
    }
    return Tensor(out, shape: [sequences.count, length])
}

extension TextClassificationDataset {
    /// The texts as token ids padded or truncated to `length` (int64 `[N, length]`) with their labels
    /// (int64 `[N]`), ready for a ``DataLoader``.
    public func encoded(with tokenizer: some TextTokenizer, length: Int, truncating: SequenceEnd = .end,
                        padding: SequenceEnd = .end) -> TensorDataset {
        TensorDataset(features: padSequences(texts.map(tokenizer.encode), length: length, padID: tokenizer.padID,
                                             truncating: truncating, padding: padding),
                      labels: Tensor(labels))
    }
}
