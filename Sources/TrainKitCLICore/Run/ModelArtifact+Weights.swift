import TrainKit

extension ModelArtifact {
    /// Checks the weights read from `file` against the built `model` before they load, so a damaged file is
    /// refused instead of predicting garbage with exit status 0.
    ///
    /// The rules, each a `DataError` naming the file and the tensor: a floating-point parameter or buffer must be
    /// stored with a float dtype (F16, BF16, F32, F64; integer and bool tensors are refused, not converted), and
    /// every one of its values must be finite (no NaN or infinity). Integer buffers (a batch norm's
    /// `numBatchesTracked`) are left to the shape check of `load(stateDict:)`.
    static func checkWeights(_ tensors: [String: Tensor], model: any Layer, file: String) throws {
        let expected = model.stateDict()
        for name in model.stateDictKeys {
            guard let stored = tensors[name], let current = expected[name], current.dtype.isFloatingPoint else { continue }
            guard stored.dtype.isFloatingPoint else {
                throw DataError.invalidFormat(
                    file: file, reason: "tensor '\(name)' has a non-float dtype (\(stored.dtype) as read); the model "
                        + "needs floating-point weights, and integer weights are refused rather than converted")
            }
            let values = stored.toArray(as: Double.self)
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw DataError.invalidFormat(
                    file: file, reason: "tensor '\(name)' holds a non-finite value (\(values[i]) at index \(i))")
            }
        }
    }
}
