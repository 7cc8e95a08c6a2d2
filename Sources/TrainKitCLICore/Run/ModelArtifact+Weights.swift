import TrainKit

extension ModelArtifact {
    /// Checks the weights read from `file` against the built `model` before they load, so a damaged file is
    /// refused instead of predicting garbage with exit status 0.
    ///
    /// The rules, each a `DataError` naming the file and the tensor: a floating-point parameter or buffer must be
    /// stored with a float dtype (F16, BF16, F32, F64; integer and bool tensors are refused, not converted), and
    /// every one of its values must be finite (no NaN or infinity). Integer buffers (a batch norm's
    /// `num_batches_tracked`) are left to the shape check of `load(stateDict:)`. A model written before built-in
    /// layers took PyTorch's names (`runningMean`, `weightIH.0`) is checked under today's names, as it loads.
    static func checkWeights(_ tensors: [String: Tensor], model: any Layer, file: String) throws {
        let tensors = model.upgradingLegacyKeys(tensors)
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
