// Trains an MLP on MNIST through `Trainer`, with early stopping and checkpoints, and prints the test accuracy.
//
//     swift run -c release mnist [--data DIR] [--epochs N] [--run-dir DIR] [--bare-loop]
//
// DIR holds the four IDX .gz files of MNIST (docs/datasets.md has the official source and checksums); it
// defaults to $TRAINKIT_DATA/mnist, else the team's shared folder beside the repository. `--bare-loop` trains
// the same model with a hand-written loop instead (no callbacks, no metrics) to measure the Trainer's overhead.
import Foundation
import TrainKit

var dataDirectory = ProcessInfo.processInfo.environment["TRAINKIT_DATA"].map { $0 + "/mnist" }
    ?? "../shared/datasets/mnist"
var epochs = 10
var runDirectory = "runs/mnist"
var bareLoop = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--data": dataDirectory = arguments.next() ?? dataDirectory
    case "--epochs": epochs = Int(arguments.next() ?? "") ?? epochs
    case "--run-dir": runDirectory = arguments.next() ?? runDirectory
    case "--bare-loop": bareLoop = true
    default:
        FileHandle.standardError.write(Data("usage: mnist [--data DIR] [--epochs N] [--run-dir DIR] [--bare-loop]\n".utf8))
        exit(2)
    }
}

let loadStart = Date()
let mnist: (train: TensorDataset, test: TensorDataset)
do {
    mnist = try IDXDataset.mnist(directory: dataDirectory, flatten: true)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(3)
}
print(String(format: "loaded %d train / %d test images in %.2f s", mnist.train.count, mnist.test.count,
             Date().timeIntervalSince(loadStart)))
let (train, validation) = mnist.train.split(fraction: 55_000.0 / 60_000.0, seed: 0)

Random.seed(0)
let model = Sequential {
    Linear(784, 512); ReLU(); Dropout(p: 0.2)
    Linear(512, 256); ReLU(); Dropout(p: 0.2)
    Linear(256, 10)
}

let start = Date()
if bareLoop {
    let optimizer = Optimizer(Adam(lr: 1e-3), parameters: model.parameters)
    let loader = DataLoader(train, batchSize: 128, shuffle: true, seed: 0)
    for epoch in 0..<epochs {
        let epochStart = Date()
        model.isTraining = true
        for batch in loader.batches(epoch: epoch) {
            crossEntropy(logits: model(batch.features), targets: batch.labels).backward()
            optimizer.step()
            optimizer.zeroGrad()
        }
        print(String(format: "bare epoch %d: %.2f s", epoch + 1, Date().timeIntervalSince(epochStart)))
    }
} else {
    let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: Adam(lr: 1e-3), metrics: [.accuracy],
                          callbacks: [.earlyStopping(monitor: "val_accuracy", patience: 3),
                                      .checkpoint(to: runDirectory, monitor: "val_accuracy"),
                                      .csvLogger(runDirectory + "/metrics.csv")],
                          seed: 0)
    let history = try trainer.fit(train, validation: validation, epochs: epochs, batchSize: 128)
    print(String(format: "trained %d epochs in %.1f s", history.epochs.count, Date().timeIntervalSince(start)))
}
model.isTraining = false
let scorer = Trainer(model: model, loss: .crossEntropy, optimizer: SGD(lr: 0), metrics: [.accuracy], progress: .silent)
let test = scorer.evaluate(mnist.test)
print(String(format: "test accuracy %.4f  test loss %.4f  (total %.1f s)", test["accuracy"]!, test["loss"]!,
             Date().timeIntervalSince(start)))
try model.save(to: runDirectory + "/model.safetensors")
