import TrainKit

/// A table network that starts from the `linear` model's fit: `y = skip(x) + deep(x)`.
///
/// `skip` is linear in the encoded inputs: a `Linear` over the `mlp` features, or for `tabular` a
/// ``TabularNet`` whose categorical embeddings have one column per output and whose head is one `Linear`
/// (together a linear function of the one-hot categories and the numbers). `deep` is the kind's usual network
/// with its last `Linear` zeroed, so the untrained sum is exactly `skip`; ``LinearRun/initialize(_:spec:data:seed:io:)``
/// then sets `skip` to the cross-validated ridge / softmax fit. Training adds what the network finds beyond
/// the linear model, and early stopping (restoring the best validation epoch) keeps small tables from
/// falling below it. Shapes: `[B, F]` → `[B, outputs]`.
final class LinearStartNet: Layer {
    let moduleState = ModuleState()
    let skip: any Layer
    let deep: any Layer

    init(skip: any Layer, deep: any Layer) {
        self.skip = skip
        self.deep = deep
        if let last = Self.lastLinear(deep) {
            last.weight.value = Tensor.zeros(last.weight.value.shape, dtype: last.weight.value.dtype)
            last.bias?.value = Tensor.zeros(last.bias!.value.shape, dtype: last.bias!.value.dtype)
        }
    }

    func forward(_ x: Tensor) -> Tensor { skip(x) + deep(x) }

    /// Higher is better: validation accuracy (classification), minus the validation loss (regression). The run
    /// keeps the trained network only when it scores strictly higher than the linear start; a tie keeps the
    /// simpler model (a dozen validation rows often cannot tell them apart).
    static func selectionScore(_ metrics: [String: Double], task: TaskKind) -> Double {
        task == .classification ? metrics["accuracy"] ?? 0 : -(metrics["loss"] ?? .infinity)
    }

    /// The ``LinearStartNet`` of a built model (itself, or the first layer of a `Sequential` with a target scale).
    static func find(in model: any Layer) -> LinearStartNet? {
        if let net = model as? LinearStartNet { return net }
        return (model as? Sequential)?.layers.first.flatMap { $0 as? LinearStartNet }
    }

    /// The last `Linear` inside nested `Sequential`s (a ``TabularNet``'s head included).
    static func lastLinear(_ layer: any Layer) -> Linear? {
        if let linear = layer as? Linear { return linear }
        if let tabular = layer as? TabularNet { return lastLinear(tabular.head) }
        if let sequential = layer as? Sequential {
            for child in sequential.layers.reversed() { if let found = lastLinear(child) { return found } }
        }
        return nil
    }
}
