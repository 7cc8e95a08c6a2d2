import Testing
import TrainKitCore
import TrainKitMetrics

/// Empty input, reset and merge, the same for every metric.
@Suite struct StreamingTests {
    /// One fresh metric of every type, with a batch it accepts (labels 0..<3, scores [N, 3]).
    static func everyMetric() -> [(metric: any Metric, predictions: Tensor, targets: Tensor)] {
        let labels = Tensor([0, 1, 2, 2, 1, 0])
        let scores = Tensor(
            [
                0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6,
                0.3, 0.3, 0.4, 0.2, 0.6, 0.2, 0.4, 0.4, 0.2,
            ] as [Float], shape: [6, 3])
        let values = Tensor([1.0, -2.0, 0.5, 3.0, 2.0, -1.0] as [Float])
        let fitted = Tensor([1.5, -1.0, 0.0, 2.5, 2.5, -0.5] as [Float])
        let classification: [any Metric] = [
            Accuracy(), Accuracy(normalize: false), TopKAccuracy(k: 2), Precision(average: .macro),
            Recall(average: .weighted), F1Score(average: .micro), F1Score(average: .perClass), ConfusionMatrix(),
            ConfusionMatrix(labels: [0, 1, 2], name: "confusion_matrix_012"), ROCAUC(), LogLoss(),
            LogLoss(normalize: false, name: "log_loss_sum"),
        ]
        let regression: [any Metric] = [
            MeanSquaredError(), RootMeanSquaredError(), MeanAbsoluteError(), R2Score(), ExplainedVariance(),
            MeanSquaredError(multioutput: .rawValues),
        ]
        return classification.map { ($0, scores, labels) } + regression.map { ($0, fitted, values) }
    }

    /// Documented values before any sample: `nan` for rates and means, `0` for counts, an empty tensor for
    /// per-class / raw values and for a confusion matrix over the labels seen, zeros over explicit labels.
    @Test func emptyInputGivesDocumentedValues() {
        for (metric, predictions, targets) in Self.everyMetric() {
            var fed = metric
            let none = predictions.narrow(0, start: 0, length: 0)
            fed.update(predictions: none, targets: targets.narrow(0, start: 0, length: 0))
            for (how, value) in [("fresh", metric.compute()), ("after an empty update", fed.compute())] {
                switch (metric.name, value) {
                case ("correct", .scalar(let x)), ("log_loss_sum", .scalar(let x)):
                    if x != 0 { Issue.record("\(metric.name) \(how): \(x), expected 0") }
                case (_, .scalar(let x)):
                    if !x.isNaN { Issue.record("\(metric.name) \(how): \(x), expected nan") }
                case (_, .tensor(let t)):
                    let shape: [Int] =
                        switch metric.name {
                        case "confusion_matrix": [0, 0]
                        case "confusion_matrix_012": [3, 3]
                        default: [0]
                        }
                    let zeros = t.toArray(as: Double.self).allSatisfy { $0 == 0 }
                    if t.shape != shape || !zeros {
                        Issue.record("\(metric.name) \(how): \(t), expected zeros \(shape)")
                    }
                }
            }
        }
        #expect(Accuracy(normalize: false).compute().scalar == 0)
        #expect(LogLoss(normalize: false).compute().scalar == 0)
        #expect(ConfusionMatrix().compute().tensor.shape == [0, 0])
        #expect(ConfusionMatrix(labels: [3, 1]).compute().tensor.toArray(as: Int64.self) == [0, 0, 0, 0])
        #expect(F1Score(average: .perClass).compute().tensor.shape == [0])
    }

    /// `reset()` forgets the data; `merge` of two halves equals one pass over everything.
    @Test func resetAndMerge() {
        for (metric, predictions, targets) in Self.everyMetric() {
            let resetWorks = resetForgets(metric, predictions, targets)
            let mergeWorks = mergeMatches(metric, predictions, targets)
            #expect(resetWorks, "\(metric.name): reset")
            #expect(mergeWorks, "\(metric.name): merge")
        }
    }

    func resetForgets<M: Metric>(_ fresh: M, _ predictions: Tensor, _ targets: Tensor) -> Bool {
        var metric = fresh
        metric.update(predictions: predictions, targets: targets)
        metric.reset()
        metric.update(
            predictions: predictions.narrow(0, start: 0, length: 4), targets: targets.narrow(0, start: 0, length: 4))
        var expected = fresh
        expected.update(
            predictions: predictions.narrow(0, start: 0, length: 4), targets: targets.narrow(0, start: 0, length: 4))
        return same(metric.compute(), expected.compute())
    }

    func mergeMatches<M: Metric>(_ fresh: M, _ predictions: Tensor, _ targets: Tensor) -> Bool {
        var whole = fresh
        var first = fresh
        var second = fresh
        var empty = fresh
        whole.update(predictions: predictions, targets: targets)
        first.update(
            predictions: predictions.narrow(0, start: 0, length: 2), targets: targets.narrow(0, start: 0, length: 2))
        second.update(
            predictions: predictions.narrow(0, start: 2, length: 4), targets: targets.narrow(0, start: 2, length: 4))
        first.merge(second)
        first.merge(fresh)
        empty.merge(whole)
        return same(first.compute(), whole.compute()) && same(empty.compute(), whole.compute())
    }

    func same(_ a: MetricValue, _ b: MetricValue) -> Bool {
        let x = a.tensor.toArray(as: Double.self)
        let y = b.tensor.toArray(as: Double.self)
        guard a.tensor.shape == b.tensor.shape else { return false }
        return zip(x, y).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-12 * abs($1) || ($0.isNaN && $1.isNaN) }
    }
}
