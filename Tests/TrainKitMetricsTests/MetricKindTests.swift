import Testing
import TrainKitCore
import TrainKitMetrics

/// `MetricKind` builds the metric it names.
@Suite struct MetricKindTests {
    @Test func kindsMakeTheirMetrics() {
        let expected: [(MetricKind, String)] = [
            (.accuracy, "accuracy"), (.topK(5), "top_5_accuracy"), (.precision(.macro), "precision_macro"),
            (.recall(.micro), "recall_micro"), (.f1(.weighted), "f1_weighted"), (.f1(.binary), "f1"),
            (.confusionMatrix, "confusion_matrix"), (.rocAUC, "roc_auc"), (.logLoss, "log_loss"), (.mse, "mse"),
            (.rmse, "rmse"), (.mae, "mae"), (.r2, "r2"), (.explainedVariance, "explained_variance"),
            (.custom(LogLoss(fromLogits: true, name: "nll")), "nll"),
        ]
        for (kind, name) in expected { #expect(kind.name == name) }
        #expect(MetricKind.topK(3).makeMetric() is TopKAccuracy)
        #expect(MetricKind.r2.makeMetric() is R2Score)
    }

    @Test func madeMetricsStreamThroughTheExistential() {
        var metrics: [any Metric] = [MetricKind.accuracy, .f1(.macro)].map { $0.makeMetric() }
        for i in metrics.indices {
            metrics[i].update(
                predictions: Tensor([0.9, 0.1, 0.2, 0.8] as [Float], shape: [2, 2]), targets: Tensor([0, 0]))
        }
        #expect(metrics[0].compute().scalar == 0.5)
        // Classes 0 (precision 1, recall ½, F1 2/3) and 1 (never true: F1 0).
        #expect(metrics[1].compute().scalar == 1.0 / 3.0)
    }
}
