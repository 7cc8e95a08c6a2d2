import Testing
import TrainKitCore
import TrainKitMetrics

/// Shape and label mistakes stop with a precondition failure instead of computing a wrong number.
@Suite struct MisuseTests {
    @Test func mismatchedSampleCountsStop() async {
        await #expect(processExitsWith: .failure) {
            var accuracy = Accuracy()
            accuracy.update(predictions: Tensor([1, 0, 1]), targets: Tensor([1, 0]))
        }
    }

    @Test func labelOutsideTheScoreColumnsStops() async {
        await #expect(processExitsWith: .failure) {
            var loss = LogLoss()
            loss.update(predictions: Tensor([0.5, 0.5] as [Float], shape: [1, 2]), targets: Tensor([2]))
        }
    }

    @Test func changingOutputCountBetweenBatchesStops() async {
        await #expect(processExitsWith: .failure) {
            var mse = MeanSquaredError()
            mse.update(
                predictions: Tensor([1, 2] as [Float], shape: [1, 2]),
                targets: Tensor([1, 2] as [Float], shape: [1, 2]))
            mse.update(
                predictions: Tensor([1, 2, 3] as [Float], shape: [1, 3]),
                targets: Tensor([1, 2, 3] as [Float], shape: [1, 3]))
        }
    }
}
