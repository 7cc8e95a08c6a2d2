import Testing
import TrainKitCore
import TrainKitMetrics

/// Metrics reduce predictions with tensor ops on the predictions' device: reference-device batches give the
/// CPU's numbers (to rounding of the reductions).
@Test func metricsGiveTheSameNumbersOnTheReferenceDevice() {
    let logits = Tensor.normal([12, 4], key: RandomKey(seed: 21))
    let labels = Tensor([0, 1, 2, 3, 3, 2, 1, 0, 0, 0, 1, 2])
    let scores = Tensor.uniform([12], low: 0.05, high: 0.95, key: RandomKey(seed: 22))
    let binary = Tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0])
    let outputs = Tensor.normal([12, 2], key: RandomKey(seed: 23)), truth = Tensor.normal([12, 2], key: RandomKey(seed: 24))
    func value(_ metric: some Metric, _ p: Tensor, _ t: Tensor, on device: Device) -> Double {
        var m = metric
        m.update(predictions: p.to(device: device), targets: t.to(device: device))
        guard case .scalar(let v) = m.compute() else { return .nan }
        return v
    }
    let cases: [(String, (Device) -> Double)] = [
        ("accuracy", { value(Accuracy(), logits, labels, on: $0) }),
        ("top-2", { value(TopKAccuracy(k: 2), logits, labels, on: $0) }),
        ("log loss logits", { value(LogLoss(fromLogits: true), logits, labels, on: $0) }),
        ("log loss binary", { value(LogLoss(), scores, binary, on: $0) }),
        ("log loss binary logits", { value(LogLoss(fromLogits: true), scores, binary, on: $0) }),
        ("mse", { value(MeanSquaredError(), outputs, truth, on: $0) }),
        ("mae", { value(MeanAbsoluteError(), outputs, truth, on: $0) }),
        ("r2", { value(R2Score(), outputs, truth, on: $0) }),
        ("explained variance", { value(ExplainedVariance(), outputs, truth, on: $0) }),
    ]
    for (name, run) in cases {
        let (cpu, reference) = (run(.cpu), run(.reference))
        #expect(cpu.isFinite && abs(cpu - reference) <= 1e-12 * max(1, abs(cpu)), "\(name): \(cpu) vs \(reference)")
    }
}

/// Top-k by hand, ties included: the true class ranks behind every higher score and every equal score of a
/// higher class index.
@Test func topKAccuracyRanksTiesBehindHigherClassIndices() {
    var top1 = TopKAccuracy(k: 1), top2 = TopKAccuracy(k: 2)
    // Row 0: label 0 ties class 2 (behind it: rank 1). Row 1: label 2 is the maximum (rank 0).
    // Row 2: label 1 is behind 0.9 and 0.5 (rank 2).
    let p = Tensor([0.5, 0.1, 0.5, 0.2, 0.3, 0.4, 0.9, 0.1, 0.5] as [Float], shape: [3, 3])
    let t = Tensor([0, 2, 1])
    top1.update(predictions: p, targets: t)
    top2.update(predictions: p, targets: t)
    guard case .scalar(let a1) = top1.compute(), case .scalar(let a2) = top2.compute() else {
        Issue.record("top-k gave a tensor")
        return
    }
    #expect(a1 == 1.0 / 3 && a2 == 2.0 / 3)
}
