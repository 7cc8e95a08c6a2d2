import Testing
import TrainKitCore
import TrainKitMetrics

/// Hand-derived checks of the regression metrics: shapes, scikit-learn's finite-score rules, and streaming
/// precision far from zero.
@Suite struct RegressionMetricsTests {
    func value<M: Metric>(_ metric: M, _ predictions: Tensor, _ targets: Tensor) -> MetricValue {
        var metric = metric
        metric.update(predictions: predictions, targets: targets)
        return metric.compute()
    }

    @Test func errorsPerOutputAndAveraged() {
        // Column 0 errors 1, -1, column 1 errors 2, 4.
        let predictions = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let targets = Tensor([0, 0, 4, 0] as [Float], shape: [2, 2])
        #expect(
            value(MeanSquaredError(multioutput: .rawValues), predictions, targets).tensor.toArray(as: Double.self) == [
                1, 10,
            ])
        #expect(value(MeanSquaredError(), predictions, targets).scalar == 5.5)
        #expect(
            value(MeanAbsoluteError(multioutput: .rawValues), predictions, targets).tensor.toArray(as: Double.self) == [
                1, 3,
            ])
        // RMSE averages the per-output roots: (1 + sqrt 10) / 2, not sqrt 5.5.
        #expect(value(RootMeanSquaredError(), predictions, targets).scalar == (1 + 10.0.squareRoot()) / 2)
        #expect(MeanSquaredError(multioutput: .rawValues).name == "mse_raw" && RootMeanSquaredError().name == "rmse")
    }

    @Test func columnVectorPredictionsMatchVectorTargets() {
        let predictions = Tensor([1, 2, 4] as [Float], shape: [3, 1])
        let targets = Tensor([1, 2, 3] as [Double])
        #expect(value(R2Score(), predictions, targets).scalar == 0.5)
        #expect(value(MeanAbsoluteError(multioutput: .rawValues), targets, predictions).tensor.shape == [1])
    }

    @Test func finiteScoreRulesFollowScikitLearn() {
        let constant = Tensor([2, 2, 2] as [Float])
        // Perfect predictions of a constant target: 1; imperfect ones: 0 (not -inf).
        #expect(value(R2Score(), constant, constant).scalar == 1)
        #expect(value(R2Score(), Tensor([1, 2, 3] as [Float]), constant).scalar == 0)
        #expect(value(ExplainedVariance(), constant, constant).scalar == 1)
        #expect(value(ExplainedVariance(), Tensor([1, 2, 3] as [Float]), constant).scalar == 0)
        // A constant offset is explained variance but not R².
        #expect(value(ExplainedVariance(), Tensor([2, 3, 4] as [Float]), Tensor([1, 2, 3] as [Float])).scalar == 1)
        #expect(value(R2Score(), Tensor([2, 3, 4] as [Float]), Tensor([1, 2, 3] as [Float])).scalar == -0.5)
        // R² is not defined for one sample.
        #expect(value(R2Score(), Tensor([1] as [Float]), Tensor([2] as [Float])).scalar!.isNaN)
    }

    /// Targets around 1e8 with spread ~1: a naive `Σy² - (Σy)²/N` in float64 loses every digit, the
    /// pairwise update keeps them.
    @Test func streamedVarianceKeepsPrecisionFarFromZero() {
        let n = 1000
        var targets: [Double] = []
        var predictions: [Double] = []
        for i in 0..<n {
            let y = 1e8 + Double((i * 7919) % 1000) / 1000
            targets.append(y)
            predictions.append(y + Double((i * 104_729) % 200) / 1000 - 0.05)
        }
        // Two-pass references over the whole data.
        var mean = 0.0
        var rMean = 0.0
        for i in 0..<n {
            mean += targets[i] / Double(n)
            rMean += (targets[i] - predictions[i]) / Double(n)
        }
        var total = 0.0
        var residual = 0.0
        var rVariance = 0.0
        for i in 0..<n {
            let d = targets[i] - mean
            let r = targets[i] - predictions[i]
            total += d * d
            residual += r * r
            rVariance += (r - rMean) * (r - rMean)
        }

        var r2 = R2Score()
        var ev = ExplainedVariance()
        stream(&r2, predictions: Tensor(predictions), targets: Tensor(targets), sizes: [1, 13, 100, 0, 7])
        stream(&ev, predictions: Tensor(predictions), targets: Tensor(targets), sizes: [1, 13, 100, 0, 7])
        #expect(abs(r2.compute().scalar! - (1 - residual / total)) < 1e-9)
        #expect(abs(ev.compute().scalar! - (1 - rVariance / total)) < 1e-9)
    }
}
