import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

/// The small-table linear start (``LinearStartNet``, ``LinearRun/initialize``) and the recommender defaults.
@Suite(.serialized) struct SmallTableDefaultsTests {
    static let quiet = CommandIO(output: { _ in }, diagnostics: { _ in })

    static func spec(_ json: String) throws -> ModelSpec {
        try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
    }

    /// A `tabular` start: the one-hot ridge fit lands in the per-column embeddings and the head, so the untrained
    /// network computes `y = 2x + effect[code]` (noise-free), and the deep part adds exactly 0.
    @Test func tabularStartHoldsTheOneHotLinearFit() throws {
        let spec = try Self.spec("""
            {"kind":"tabular","inputSize":2,"outputSize":1,"hidden":[4],"dropout":0,"activation":"relu",
             "batchNorm":false,"columnCardinalities":[0,3],"columnEmbeddingDims":[0,2],"linearStart":true}
            """)
        Random.seed(0)
        let model = ModelFactory.build(spec)
        let net = try #require(LinearStartNet.find(in: model))
        let effect: [Float] = [1, -1, 0.5]
        let n = 60
        let x = (0..<n).map { Float($0 % 7) / 3 - 1 }
        let features = Tensor((0..<n).flatMap { [x[$0], Float($0 % 3)] }, shape: [n, 2])
        let y = Tensor((0..<n).map { 2 * x[$0] + effect[$0 % 3] })
        let data = PreparedData(train: TensorDataset(features: features, labels: y), validation: nil, test: nil,
                                preprocessing: Preprocessing(format: .csv, task: .regression, classes: nil))
        LinearRun.initialize(net, spec: spec, data: data, seed: 0, io: Self.quiet)
        let skip = net.skip(features), whole = model(features)
        #expect((skip.reshape([-1]) - y).abs().max().item() < 1e-3)
        #expect((whole - skip).abs().max().item() == 0)
        // An unseen category (code -1) gets no category effect: the prediction is 2x + b.
        let unseen = net.skip(Tensor([0.5, -1] as [Float], shape: [1, 2])).item()
        let b = (effect.reduce(0, +) / 3)  // ridge with the intercept unpenalized: the effects' mean goes to b
        #expect(abs(unseen - Double(1 + b)) < 1e-2, "\(unseen)")
    }

    @Test func startsFromLinearOnlyOnSmallTables() {
        func starts(_ kind: ModelKind, _ task: TaskKind, rows: Int, _ cards: [Int]) -> Bool {
            SmallTableDefaults.startsFromLinear(kind: kind, task: task, trainRows: rows, cardinalities: cards)
        }
        #expect(starts(.mlp, .classification, rows: 5000, [0, 0]))
        #expect(starts(.tabular, .regression, rows: 10, [0, 299]))  // one-hot width 300
        #expect(!starts(.tabular, .regression, rows: 10, [0, 300]))
        #expect(!starts(.mlp, .classification, rows: 5001, [0]))
        #expect(!starts(.cnn, .classification, rows: 10, [0]))
        #expect(!starts(.mlp, .reconstruction, rows: 10, [0]))
        #expect(SmallTableDefaults.oneHotWidth([0, 0, 5, 300]) == 307)
    }

    @Test func recommenderDefaultsDecayOnlyTheFactorTables() throws {
        var config = RunConfig()
        config.model.kind = .recommender
        #expect(RecommenderDefaults.applies(config))
        let (t, note) = RecommenderDefaults.training(config, hasValidation: true)
        #expect(t.optimizer.name == "adamw" && t.epochs == 50 && t.earlyStopping?.patience == 3)
        #expect(note?.contains("weight decay 0.1") == true)
        var explicit = config
        explicit.training.epochs = 7
        #expect(!RecommenderDefaults.applies(explicit))
        #expect(RecommenderDefaults.training(explicit, hasValidation: true).0 == explicit.training)

        // One step with zero gradients: decoupled decay shrinks the factors by lr·λ and leaves the biases.
        let model = MatrixFactorization(users: 3, items: 3, factors: 2, globalMean: 3, userBias: [0, 0.5, 0.5])
        let optimizer = RecommenderDefaults.optimizer(model, lr: 0.1)
        let factors = model.userFactors.value.toArray(), biases = model.userBias.value.toArray()
        for p in model.parameters { p.grad = Tensor.zeros(p.value.shape) }
        optimizer.step()
        let shrunk = model.userFactors.value.toArray()
        for (a, b) in zip(factors, shrunk) { #expect(abs(b - a * (1 - 0.1 * 0.1)) < 1e-6) }
        #expect(model.userBias.value.toArray() == biases)
    }
}
