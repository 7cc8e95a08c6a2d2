// Runs every ready-model example of docs/models.md on its tiny synthetic data and checks each reaches its floor.
//
//     swift run -c release models
//
// Exits with status 1 when an example misses its floor (CI runs it), so the documented code stays working.
import Foundation
import TrainKit

/// (name, run, what the number is, whether higher is better, floor)
let examples: [(String, () throws -> Double, String, Bool, Double)] = [
    ("TabularNet", tabularNetExample, "train accuracy", true, 0.9),
    ("TextClassifier", textClassifierExample, "train accuracy", true, 0.9),
    ("SequenceClassifier", sequenceClassifierExample, "train accuracy", true, 0.85),
    ("ResidualNet", residualNetExample, "train accuracy", true, 0.9),
    ("Autoencoder", autoencoderExample, "relative reconstruction RMSE", false, 0.3),
    ("MatrixFactorization", matrixFactorizationExample, "test RMSE", false, 0.3),
    ("NeuralCollaborativeFiltering", neuralCollaborativeFilteringExample, "test RMSE", false, 0.35),
]
var failures = 0
for (name, run, measure, higherIsBetter, floor) in examples {
    let start = Date()
    let value = try run()
    let ok = higherIsBetter ? value >= floor : value <= floor
    print(String(format: "%@ %@ %.3f (%@ %.2f)  %.1f s  %@", name.padding(toLength: 29, withPad: " ", startingAt: 0) as NSString, measure as NSString, value,
                 (higherIsBetter ? ">=" : "<=") as NSString, floor, Date().timeIntervalSince(start),
                 (ok ? "ok" : "FAILED") as NSString))
    if !ok { failures += 1 }
}
exit(failures == 0 ? 0 : 1)
