import TrainKitData
import TrainKitNN

extension Trainer {
    /// Whether training must drop a last batch of one row, because batch norm cannot train on it.
    ///
    /// Batch norm in training mode needs more than one value per channel (PyTorch raises
    /// `Expected more than 1 value per channel when training`). When the model has ``BatchNorm1d`` or
    /// ``BatchNorm2d`` layers and `count % batchSize == 1`, the last batch of every epoch would hold one row, so
    /// it is dropped (`drop_last` for that case only; which row is left out changes with each epoch's shuffle).
    /// - Throws: ``TrainingError/invalidArgument(_:)`` when every batch would hold one row: `batchSize` 1 with
    ///   ``BatchNorm1d`` layers, or a single training example with any batch norm.
    static func dropsOneRowBatch(model: any Layer, count: Int, batchSize: Int) throws -> Bool {
        let modules = model.modules
        guard modules.contains(where: { $0 is BatchNorm1d || $0 is BatchNorm2d }) else { return false }
        if batchSize == 1 && modules.contains(where: { $0 is BatchNorm1d }) {
            throw TrainingError.invalidArgument(
                "fit: batchSize 1 cannot train a model with batch norm (it needs two or more rows per batch)")
        }
        if count == 1 {
            throw TrainingError.invalidArgument(
                "fit: one training example cannot train a model with batch norm (it needs two or more rows per batch)")
        }
        return batchSize > 1 && count % batchSize == 1
    }
}
