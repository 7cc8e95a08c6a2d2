// Trains a small MLP on the two-moons dataset (generated, seeded) and prints the loss and accuracy.
//
//     swift run -c release moons [--epochs N] [--min-accuracy A]
//
// With --min-accuracy the program exits with status 1 when the test accuracy is below A (CI uses it).
import Foundation
import TrainKit

/// Two interleaving half circles with Gaussian noise (scikit-learn's `make_moons`), labels 0 and 1.
func makeMoons(count: Int, noise: Double, seed: UInt64) -> TensorDataset {
    let keys = RandomKey(seed: seed).split(2)
    let t = Tensor.uniform([count], low: 0, high: Double.pi, key: keys[0], dtype: .float64).toArray(as: Double.self)
    let jitter = Tensor.normal([count, 2], std: noise, key: keys[1], dtype: .float64).toArray(as: Double.self)
    var features = [Float](), labels = [Int64]()
    for i in 0..<count {
        let upper = i % 2 == 0
        let x = upper ? cos(t[i]) : 1 - cos(t[i])
        let y = upper ? sin(t[i]) : 0.5 - sin(t[i])
        features += [Float(x + jitter[2 * i]), Float(y + jitter[2 * i + 1])]
        labels.append(upper ? 0 : 1)
    }
    return TensorDataset(features: Tensor(features, shape: [count, 2]), labels: Tensor(labels))
}

var epochs = 60
var minimumAccuracy: Double?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--epochs": epochs = Int(arguments.next() ?? "") ?? epochs
    case "--min-accuracy": minimumAccuracy = Double(arguments.next() ?? "")
    default:
        FileHandle.standardError.write(Data("usage: moons [--epochs N] [--min-accuracy A]\n".utf8))
        exit(2)
    }
}

let train = makeMoons(count: 1000, noise: 0.2, seed: 1)
let test = makeMoons(count: 500, noise: 0.2, seed: 2)

Random.seed(0)
let model = Sequential {
    Linear(2, 32); ReLU()
    Linear(32, 32); ReLU()
    Linear(32, 2)
}
let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 0.01), metrics: [.accuracy],
                      seed: 0, progress: .silent)
let start = Date()
let history = try trainer.fit(train, validation: test, epochs: epochs, batchSize: 32)
for (i, logs) in history.epochs.enumerated() where i % 10 == 9 || i == 0 {
    print(String(format: "epoch %3d  loss %.4f  val_loss %.4f  val_accuracy %.3f", i + 1, logs["loss"]!,
                 logs["val_loss"]!, logs["val_accuracy"]!))
}
let trainScores = trainer.evaluate(train), testScores = trainer.evaluate(test)
print(String(format: "train accuracy %.3f  test accuracy %.3f  (%d epochs, %.2f s)", trainScores["accuracy"]!,
             testScores["accuracy"]!, history.epochs.count, Date().timeIntervalSince(start)))
if let minimumAccuracy, testScores["accuracy"]! < minimumAccuracy {
    FileHandle.standardError.write(Data("test accuracy \(testScores["accuracy"]!) is below \(minimumAccuracy)\n".utf8))
    exit(1)
}
