import Foundation
import Testing
import TrainKitCore
import TrainKitMetrics

/// Hand-derived checks of the classification metrics: input forms, ties, zero division, label orders.
@Suite struct ClassificationMetricsTests {
    @Test func accuracyReadsLogitsBinaryScoresAndOneHotTargets() {
        // Rows arg-max to 1, 0, 0 (the second row ties 0.8/0.8 and takes the first maximum, as torch).
        var fromLogits = Accuracy()
        fromLogits.update(
            predictions: Tensor([0.1, 0.9, 0.8, 0.8, 0.6, 0.4] as [Float], shape: [3, 2]),
            targets: Tensor([1, 0, 1]))
        #expect(fromLogits.compute().scalar == 2.0 / 3.0)

        // Binary probabilities cut at 0.5 (strictly greater is class 1): 1, 0, 0, 1.
        var fromProbabilities = Accuracy()
        fromProbabilities.update(
            predictions: Tensor([0.7, 0.5, 0.2, 0.51] as [Float]),
            targets: Tensor([1, 0, 1, 1] as [Float]))
        #expect(fromProbabilities.compute().scalar == 0.75)

        // Binary logits with threshold 0, targets one-hot [N, 2].
        var fromBinaryLogits = Accuracy(threshold: 0)
        fromBinaryLogits.update(
            predictions: Tensor([-2.0, 0.5, 3.0] as [Float], shape: [3, 1]),
            targets: Tensor([1, 0, 0, 1, 1, 0] as [Float], shape: [3, 2]))
        #expect(fromBinaryLogits.compute().scalar == 2.0 / 3.0)  // predicted 0, 1, 1; true 0, 1, 0

        var count = Accuracy(normalize: false)
        count.update(predictions: Tensor([2, 2, 1] as [Int32]), targets: Tensor([2, 0, 1]))
        #expect(count.compute().scalar == 2)
        #expect(count.name == "correct" && Accuracy().name == "accuracy")
    }

    @Test func topKBreaksTiesLikeScikitLearn() {
        // Row scores 0.5, 0.5, 0: scikit-learn's stable descending order puts class 1 before class 0.
        let scores = Tensor([0.5, 0.5, 0.0, 0.5, 0.5, 0.0] as [Float], shape: [2, 3])
        var top1 = TopKAccuracy(k: 1)
        top1.update(predictions: scores, targets: Tensor([1, 0]))
        #expect(top1.compute().scalar == 0.5)
        var top2 = TopKAccuracy(k: 2, normalize: false)
        top2.update(predictions: scores, targets: Tensor([1, 0]))
        #expect(top2.compute().scalar == 2)
        var topAll = TopKAccuracy(k: 5)
        topAll.update(predictions: scores, targets: Tensor([2, 2]))
        #expect(topAll.compute().scalar == 1)
        #expect(top2.name == "top_2_accuracy")
    }

    // Truth 0 0 1 1 2 2, predicted 0 1 1 1 1 0: class 0 tp 1 pred 2 sup 2; class 1 tp 2 pred 4 sup 2;
    // class 2 tp 0 pred 0 sup 2 (never predicted: precision 0 by the zero-division rule).
    let truth = Tensor([0, 0, 1, 1, 2, 2])
    let predicted = Tensor([0, 1, 1, 1, 1, 0])

    func value<M: Metric>(_ metric: M) -> MetricValue {
        var metric = metric
        metric.update(predictions: predicted, targets: truth)
        return metric.compute()
    }

    @Test func precisionRecallF1Averages() {
        #expect(value(Precision(average: .perClass)).tensor.toArray(as: Double.self) == [0.5, 0.5, 0])
        #expect(value(Recall(average: .perClass)).tensor.toArray(as: Double.self) == [0.5, 1, 0])
        // f1_c = 2tp / (pred + sup): 2/4, 4/6, 0.
        #expect(value(F1Score(average: .perClass)).tensor.toArray(as: Double.self) == [0.5, 2.0 / 3.0, 0])
        #expect(value(Precision(average: .macro)).scalar == 1.0 / 3.0)
        #expect(value(Recall(average: .macro)).scalar == 0.5)
        #expect(value(F1Score(average: .macro)).scalar == (0.5 + 2.0 / 3.0) / 3)
        // Micro scores of single-label data all equal accuracy, 3/6.
        for metric in [
            value(Precision(average: .micro)), value(Recall(average: .micro)), value(F1Score(average: .micro)),
        ] {
            #expect(metric.scalar == 0.5)
        }
        // Supports are 2, 2, 2, so weighted equals macro here.
        #expect(value(F1Score(average: .weighted)).scalar == (0.5 + 2.0 / 3.0) / 3)
        // One class against the rest: class 1 is the positive label.
        #expect(value(Precision(average: .binary)).scalar == 0.5)
        #expect(value(Recall(average: .binary(positiveLabel: 0))).scalar == 0.5)
        #expect(Precision(average: .macro).name == "precision_macro" && F1Score(average: .binary).name == "f1")
    }

    @Test func weightedAverageUsesTrueSupport() {
        // Truth 0 0 0 1, predicted 0 0 1 1: recall 2/3 (support 3) and 1 (support 1).
        var recall = Recall(average: .weighted)
        recall.update(predictions: Tensor([0, 0, 1, 1]), targets: Tensor([0, 0, 0, 1]))
        #expect(abs(recall.compute().scalar! - (3 * (2.0 / 3.0) + 1) / 4) < 1e-15)
    }

    @Test func confusionMatrixLabelOrders() {
        var sorted = ConfusionMatrix()
        sorted.update(predictions: predicted, targets: truth)
        #expect(sorted.compute().tensor.dtype == .int64)
        #expect(sorted.compute().tensor.shape == [3, 3])
        #expect(sorted.compute().tensor.toArray(as: Int64.self) == [1, 1, 0, 0, 2, 0, 1, 1, 0])

        // Explicit order, an absent class 5, and class 0 left out (its samples are dropped).
        var ordered = ConfusionMatrix(labels: [2, 5, 1])
        ordered.update(predictions: predicted, targets: truth)
        #expect(ordered.compute().tensor.toArray(as: Int64.self) == [0, 0, 1, 0, 0, 0, 0, 0, 2])
    }

    @Test func rocAUCCountsTiesAsOneHalf() {
        // Positives score 0.5, 0.9; negatives 0.5, 0.2: pairs give ½ + 1 + 1 + 1 = 3.5 of 4.
        var auc = ROCAUC()
        auc.update(predictions: Tensor([0.5, 0.5, 0.2, 0.9] as [Float]), targets: Tensor([0, 1, 0, 1]))
        #expect(auc.compute().scalar == 0.875)

        // Every score tied: the curve is the diagonal.
        var flat = ROCAUC()
        flat.update(predictions: Tensor([0.3, 0.3, 0.3, 0.3, 0.3] as [Float]), targets: Tensor([0, 1, 1, 0, 1]))
        #expect(flat.compute().scalar == 0.5)

        // The scikit-learn documentation example.
        var sklearn = ROCAUC()
        sklearn.update(predictions: Tensor([0.1, 0.4, 0.35, 0.8] as [Float]), targets: Tensor([0, 0, 1, 1]))
        #expect(sklearn.compute().scalar == 0.75)
    }

    @Test func rocAUCOneVsRestMacroAndWeighted() {
        let scores = Tensor(
            [
                0.7, 0.2, 0.1,
                0.6, 0.3, 0.1,
                0.2, 0.5, 0.3,
                0.1, 0.3, 0.6,
                0.3, 0.2, 0.5,
            ] as [Float], shape: [5, 3])
        let labels = Tensor([0, 0, 1, 1, 2])
        // Class 0 column is 0.7, 0.6, 0.2, 0.1, 0.3: positives {0.7, 0.6} beat every negative → 1.
        // Class 1 column is 0.2, 0.3, 0.5, 0.3, 0.2 with labels 0, 0, 1, 1, 2: positives {0.5, 0.3},
        // negatives {0.2, 0.3, 0.2}: 0.5 beats all 3, 0.3 beats 2 and ties 1 → 5.5 / 6.
        // Class 2 column is 0.1, 0.1, 0.3, 0.6, 0.5: positive {0.5} beats 0.1, 0.1, 0.3, loses to 0.6 → 3 / 4.
        var macro = ROCAUC(average: .macro)
        macro.update(predictions: scores, targets: labels)
        let expectedMacro = (1 + 5.5 / 6 + 0.75) / 3
        #expect(abs(macro.compute().scalar! - expectedMacro) < 1e-15)
        var weighted = ROCAUC(average: .weighted)
        weighted.update(predictions: scores, targets: labels)
        #expect(abs(weighted.compute().scalar! - (2 * 1 + 2 * 5.5 / 6 + 1 * 0.75) / 5) < 1e-15)
    }

    @Test func rocAUCIsNaNWithOneClass() {
        var auc = ROCAUC()
        auc.update(predictions: Tensor([0.2, 0.8] as [Float]), targets: Tensor([1, 1]))
        #expect(auc.compute().scalar!.isNaN)
    }

    @Test func logLossClipsAndReadsLogits() {
        // A zero probability for the true class is clipped to float32 epsilon 2⁻²³: -log(2⁻²³) = 23 log 2.
        var clipped = LogLoss(normalize: false)
        clipped.update(predictions: Tensor([0.0, 1.0] as [Float], shape: [1, 2]), targets: Tensor([0]))
        #expect(abs(clipped.compute().scalar! - 23 * log(2.0)) < 1e-12)

        // Binary: -(log 0.9 + log 0.8) / 2.
        var binary = LogLoss()
        binary.update(predictions: Tensor([0.9, 0.2] as [Float]), targets: Tensor([1, 0]))
        let expectedBinary: Double = -(log(Double(Float(0.9))) + log(1 - Double(Float(0.2)))) / 2
        #expect(abs(binary.compute().scalar! - expectedBinary) < 1e-12)

        // Logits give the same loss as their softmax / sigmoid probabilities.
        let logits: [Double] = [1.5, -0.5, 0.25, -2, 0.5, 3]
        var fromLogits = LogLoss(fromLogits: true)
        fromLogits.update(predictions: Tensor(logits, shape: [2, 3]), targets: Tensor([0, 2]))
        let probabilities = Tensor(logits, shape: [2, 3]).softmax(1)
        var fromProbabilities = LogLoss()
        fromProbabilities.update(predictions: probabilities, targets: Tensor([0, 2]))
        #expect(abs(fromLogits.compute().scalar! - fromProbabilities.compute().scalar!) < 1e-12)

        var binaryLogits = LogLoss(fromLogits: true)
        binaryLogits.update(predictions: Tensor([2.0, -1.0] as [Double]), targets: Tensor([1, 0]))
        let sigmoid = { (z: Double) -> Double in 1 / (1 + exp(-z)) }
        let expectedLogits: Double = -(log(sigmoid(2)) + log(1 - sigmoid(-1))) / 2
        #expect(abs(binaryLogits.compute().scalar! - expectedLogits) < 1e-12)
    }
}
