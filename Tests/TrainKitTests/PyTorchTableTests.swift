import Foundation
import Testing
import TrainKit

/// Every right-hand cell of the "From PyTorch" table in docs/training.md, compiled and run.
@Suite struct PyTorchTableTests {
    @Test func tableEntriesCompileAndBehave() throws {
        let t: Tensor = [[1, 2], [3, 4]]
        #expect(Tensor([[1, 2], [3, 4]]).dtype == .int64 && t.dtype == .int64)
        #expect(Tensor([1, 2] as [Float]).dtype == .float32)
        #expect(Tensor.zeros([2, 3]).shape == [2, 3] && Tensor.arange(0, 5).count == 5)
        Random.seed(0)
        let x = Tensor.normal([3, 4])
        #expect(x.onesLike().sum().item() == 12)
        #expect(x[0].shape == [4] && x[-1].shape == [4] && x[1..<3].shape == [2, 4])
        #expect(x[1...].shape == [2, 4] && x[..<3].shape == [3, 4])
        #expect(x[.all, 0].shape == [3] && x[..., 0].shape == [3] && x[.newAxis].shape == [1, 3, 4])
        #expect(x[.stride(nil, nil, by: 2)].shape == [2, 4])
        let pred = Tensor([0, 1, 1]), y = Tensor([0, 1, 0])
        #expect(abs((pred == y).to(.float32).mean().item() - 2.0 / 3) < 1e-6)
        #expect(x.reshape([2, -1]).shape == [2, 6] && x.permute([1, 0]).shape == [4, 3] && x.T.shape == [4, 3])
        #expect(x.matmul(x.T).shape == [3, 3] && x.sum(1, keepDim: true).shape == [3, 1] && x.argmax(1).shape == [3])
        #expect(x.unsqueeze(0).shape == [1, 3, 4] && x.toArray().count == 12)

        let model = Sequential { Linear(4, 8); ReLU(); Linear(8, 3) }
        model.eval()
        #expect(!model.isTraining)
        model.train()
        let opt = Optimizer(Adam(lr: 1e-3), parameters: model.parameters)
        opt.zeroGrad()
        let loss = crossEntropy(logits: model(x), targets: y.to(.int64))
        loss.backward()
        try clipGradNorm(model.parameters, maxNorm: 1.0)
        opt.step()
        #expect(model.stateDict().count == model.parameters.count)
        #expect(mseLoss(predictions: x, targets: x).item() == 0)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        try model.load(from: path)
        let direct = noGrad { model(x) }
        #expect(!direct.requiresGrad)
    }
}
