import Foundation
import Testing
import TrainKitCore
@testable import TrainKitNN

/// Cross-entropy with class indices picks the target column on the device (`gather`), with ignored elements,
/// class weights and label smoothing as tensor ops.
@Suite struct CrossEntropyIndexTests {
    static let logits: [Double] = [1, 2, 0.5, -1, 0, 3, 0.25, 0.75, -0.5, 2, 2, 2]  // [4, 3]

    static func logSoftmax(_ row: ArraySlice<Double>) -> [Double] {
        let m = row.max()!
        let lse = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
        return row.map { $0 - lse }
    }

    /// ℓ_i = (1-ε)·(-w[t]·logp[t]) + (ε/C)·(-Σ_c w[c]·logp[c]); mean divides by Σ w[t] over kept rows.
    @Test(arguments: [DType.int64, .int32])
    func ignoreIndexWeightsAndSmoothingMatchTheFormula(targetDtype: DType) {
        let targets = [2, -100, 0, 1]
        let weights: [Double] = [0.5, 2, 1.5]
        let smoothing = 0.1
        var sum = 0.0, weightSum = 0.0
        for i in 0..<4 where targets[i] != -100 {
            let logp = Self.logSoftmax(Self.logits[(i * 3)..<(i * 3 + 3)])
            let nll = -weights[targets[i]] * logp[targets[i]]
            let smooth = -(0..<3).reduce(0.0) { $0 + weights[$1] * logp[$1] }
            sum += (1 - smoothing) * nll + smoothing / 3 * smooth
            weightSum += weights[targets[i]]
        }
        let loss = crossEntropy(logits: Tensor(Self.logits, shape: [4, 3]),
                                targets: Tensor(targets.map(Int64.init)).to(targetDtype),
                                weight: Tensor(weights), labelSmoothing: smoothing)
        #expect(loss.dtype == .float64)
        #expect(Swift.abs(loss.item() - sum / weightSum) < 1e-12)
        let perRow = crossEntropy(logits: Tensor(Self.logits, shape: [4, 3]), targets: Tensor(targets.map(Int64.init)),
                                  weight: Tensor(weights), labelSmoothing: smoothing, reduction: .none)
        #expect(perRow.toArray(as: Double.self)[1] == 0)  // the ignored row
    }

    @Test func gradientSkipsIgnoredRows() {
        var logits = Tensor(Self.logits, shape: [4, 3])
        logits.requiresGrad = true
        crossEntropy(logits: logits, targets: Tensor([2, -100, 0, 1] as [Int64])).backward()
        let g = logits.grad!.toArray(as: Double.self)
        #expect(g[3..<6].allSatisfy { $0 == 0 })
        // Kept rows: (softmax - onehot) / 3.
        let p = Self.logSoftmax(Self.logits[0..<3]).map { Foundation.exp($0) }
        #expect(Swift.abs(g[2] - (p[2] - 1) / 3) < 1e-12 && Swift.abs(g[0] - p[0] / 3) < 1e-12)
    }

    @Test func targetOutOfRangeIsANamedError() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(logits: Tensor.zeros([2, 3]), targets: Tensor([1, 3] as [Int64]))
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("index 3 out of range for dimension 1 of size 3"))
        }
    }
}
