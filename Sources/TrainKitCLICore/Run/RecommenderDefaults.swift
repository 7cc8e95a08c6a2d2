import TrainKit

/// The training of a `recommender` whose config leaves `training.epochs` (20), `training.early_stopping` and
/// `training.optimizer` at their defaults. The model starts from the fitted biases (``BiasBaseline``), so
/// what training adds is the factors; unregularized, they fit the training ratings' noise within a few
/// epochs and the validation error climbs. Instead:
///
/// - AdamW (lr 1e-3) with decoupled weight decay ``weightDecay`` on the factor and embedding tables only
///   (`θ ← θ − lr·λ·θ` each step: every row shrinks toward 0, so a rarely seen user or item falls back to
///   its bias); the biases and the NCF tower are not decayed;
/// - up to ``epochs`` epochs with early stopping on `val_loss` (patience ``patience``, best weights kept)
///   when there is validation data.
///
/// Setting any of those three keys turns this off. The run logs one line when it applies.
enum RecommenderDefaults {
    static let weightDecay = 0.1
    static let epochs = 50
    static let patience = 3

    static func applies(_ config: RunConfig) -> Bool {
        let t = config.training
        return config.model.kind == .recommender && t.epochs == TrainingConfig().epochs && t.earlyStopping == nil
            && t.optimizer == OptimizerConfig()
    }

    /// The training settings and the log line (unchanged and nil when ``applies(_:)`` is false).
    static func training(_ config: RunConfig, hasValidation: Bool) -> (TrainingConfig, String?) {
        var t = config.training
        guard applies(config) else { return (t, nil) }
        t.optimizer.name = "adamw"
        var stopping = ""
        if hasValidation {
            t.epochs = epochs
            var e = EarlyStoppingConfig()
            e.patience = patience
            t.earlyStopping = e
            stopping = ", up to \(epochs) epochs with early stopping (val_loss, patience \(patience), best weights kept)"
        }
        return (t, "recommender defaults: AdamW with weight decay \(weightDecay) on the factor tables\(stopping); set training.optimizer, training.epochs or training.early_stopping to choose yourself")
    }

    /// AdamW with weight decay on the factor / embedding tables (the parameters named `*Factors`, `*Embedding`)
    /// and none on the rest.
    static func optimizer(_ model: any Layer, lr: Double) -> any OptimizerProtocol {
        let named = model.namedParameters.filter { $0.parameter.isTrainable }
        let isTable = { (name: String) in name.hasSuffix("Factors") || name.hasSuffix("Embedding") }
        let tables = named.filter { isTable($0.name) }.map(\.parameter)
        let rest = named.filter { !isTable($0.name) }.map(\.parameter)
        var groups = [ParameterGroup<AdamW>(parameters: tables, weightDecay: weightDecay)]
        if !rest.isEmpty { groups.append(ParameterGroup(parameters: rest, weightDecay: 0)) }
        return Optimizer(AdamW(lr: lr, weightDecay: 0), groups: groups)
    }
}
