import Foundation
import Testing
import TrainKitCore

@testable import TrainKitOptim

/// Optimizer state dicts in format 1, the layout before float64 parameters (no `format` key, float32 state
/// tensors), still load and continue exactly; a newer format or an unknown entry is refused with a named error.
///
/// The cases were captured from TrainKit at commit 388050b (the last format-1 writer): two parameters in two
/// groups (the second at half the learning rate), two steps of `legacyGradient`, then `stateDict()` with its
/// metadata JSON-encoded (sorted keys), the tensors as float32 bit patterns, and the parameters at the save and
/// after two more steps of that code.

/// The gradient of parameter `k` at step `step` (from 0), element `i`.
func legacyGradient(_ shape: [Int], step: Int, k: Int) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor((0..<n).map { Float((5 * $0 + 3 * step + k) % 7 - 3) / 4 }, shape: shape)
}

/// The optimizer layout the cases were saved from.
func legacyGroups<Rule: UpdateRule>(_ rule: Rule, _ parameters: [Parameter]) -> any OptimizerProtocol {
    Optimizer(
        rule,
        groups: [
            ParameterGroup(parameters: [parameters[0]]), ParameterGroup(parameters: [parameters[1]], lr: rule.lr / 2),
        ])
}

struct LegacyCase: CustomStringConvertible, Sendable {
    let name: String
    let makeOptimizer: @Sendable ([Parameter]) -> any OptimizerProtocol
    /// `OptimizerMetadata` as format 1 encoded it.
    let metadata: String
    /// Shape and float32 bit patterns of each tensor.
    let tensors: [String: ([Int], [UInt32])]
    let parametersAtSave: [[UInt32]]
    let parametersTwoStepsLater: [[UInt32]]
    var description: String { name }

    static let shapes = [[2, 3], [4]]

    func stateDict() throws -> OptimizerStateDict {
        let metadata = try JSONDecoder().decode(OptimizerMetadata.self, from: Data(self.metadata.utf8))
        let tensors = self.tensors.mapValues { shape, bits in Tensor(bits.map(Float.init(bitPattern:)), shape: shape) }
        return OptimizerStateDict(tensors: tensors, metadata: metadata)
    }
}

let legacyCases: [LegacyCase] = [
    LegacyCase(
        name: "adam", makeOptimizer: { legacyGroups(Adam(lr: 0.01, weightDecay: 0.1, amsgrad: true), $0) },
        metadata: #"{"groups":[{"hyperparameters":{"amsgrad":true,"beta1":0.9,"beta2":0.999,"eps":1e-08,"lr":0.01,"weightDecay":0.1},"parameterCount":1},{"hyperparameters":{"amsgrad":true,"beta1":0.9,"beta2":0.999,"eps":1e-08,"lr":0.005,"weightDecay":0.1},"parameterCount":1}],"parameters":[{"buffers":["exp_avg","exp_avg_sq","max_exp_avg_sq"],"scalars":{},"step":2},{"buffers":["exp_avg","exp_avg_sq","max_exp_avg_sq"],"scalars":{},"step":2}],"rule":"adam"}"#,
        tensors: [
            "state.0.exp_avg": ([2, 3], [3181215168, 3156304364, 1033476506, 3161995188, 1028953369, 3172799718]),
            "state.0.exp_avg_sq": ([2, 3], [975715291, 973315510, 974353596, 966663363, 976368126, 974353517]),
            "state.0.max_exp_avg_sq": ([2, 3], [975715291, 973315510, 974353596, 966663363, 976368126, 974353517]),
            "state.1.exp_avg": ([4], [3162048872, 1019222582, 3167028354, 1026242170]),
            "state.1.exp_avg_sq": ([4], [966653888, 974051707, 973631016, 968732481]),
            "state.1.max_exp_avg_sq": ([4], [966653888, 974051707, 973631016, 968732481]),
        ],
        parametersAtSave: [[3203873026, 3196360482, 3153319611, 1048980428, 1056471886, 1061054978], [1048778343, 3212888722, 1069515982, 1061199418]],
        parametersTwoStepsLater: [[3203823858, 3196280808, 3162893185, 1049343817, 1056169168, 1061042779], [1048960295, 3212907001, 1069500809, 1061185890]]),
    LegacyCase(
        name: "sgd", makeOptimizer: { legacyGroups(SGD(lr: 0.05, momentum: 0.9, nesterov: true), $0) },
        metadata: #"{"groups":[{"hyperparameters":{"dampening":0,"lr":0.05,"momentum":0.9,"nesterov":true,"weightDecay":0},"parameterCount":1},{"hyperparameters":{"dampening":0,"lr":0.025,"momentum":0.9,"nesterov":true,"weightDecay":0},"parameterCount":1}],"parameters":[{"buffers":["momentum_buffer"],"scalars":{},"step":2},{"buffers":["momentum_buffer"],"scalars":{},"step":2}],"rule":"sgd"}"#,
        tensors: [
            "state.0.momentum_buffer": ([2, 3], [3207384268, 3175926992, 1061158912, 3192704204, 1054448024, 3204867686]),
            "state.1.momentum_buffer": ([4], [3192704204, 1054448024, 3204867686, 1049414861]),
        ],
        parametersAtSave: [[3201038287, 3196739126, 3180456837, 1050052395, 1054351557, 1061785960], [1049314198, 3213163495, 1069704282, 1061044617]],
        parametersTwoStepsLater: [[3201908479, 3194652208, 3188851316, 1053978767, 1052574724, 1061268362], [1051277384, 3213385599, 1069574882, 1061236203]]),
    LegacyCase(
        name: "nadam", makeOptimizer: { legacyGroups(NAdam(lr: 0.01), $0) },
        metadata: #"{"groups":[{"hyperparameters":{"beta1":0.9,"beta2":0.999,"decoupledWeightDecay":false,"eps":1e-08,"lr":0.01,"momentumDecay":0.004,"weightDecay":0},"parameterCount":1},{"hyperparameters":{"beta1":0.9,"beta2":0.999,"decoupledWeightDecay":false,"eps":1e-08,"lr":0.005,"momentumDecay":0.004,"weightDecay":0},"parameterCount":1}],"parameters":[{"buffers":["exp_avg","exp_avg_sq"],"scalars":{"mu_product":0.2025991976261139},"step":2},{"buffers":["exp_avg","exp_avg_sq"],"scalars":{"mu_product":0.2025991976261139},"step":2}],"rule":"nadam"}"#,
        tensors: [
            "state.0.exp_avg": ([2, 3], [3179953521, 3148076816, 1033476506, 3164854026, 1026430076, 3176598078]),
            "state.0.exp_avg_sq": ([2, 3], [974343932, 973275560, 974353596, 967030141, 975417674, 975426264]),
            "state.1.exp_avg": ([4], [3164854026, 1026430076, 3176598078, 1021396909]),
            "state.1.exp_avg_sq": ([4], [967030141, 975417674, 975426264, 967036583]),
        ],
        parametersAtSave: [[3204072607, 3196181095, 3156948393, 1048792540, 1056700977, 1061144654], [1048684270, 3212869818, 1069543955, 1061171486]],
        parametersTwoStepsLater: [[3204233171, 3195975107, 3161369517, 1049129072, 1056660095, 1061015864], [1048852537, 3212874928, 1069511757, 1061201737]]),
]

@Test(arguments: legacyCases)
func formatOneStateDictLoadsAndContinuesExactly(_ c: LegacyCase) throws {
    let saved = try c.stateDict()
    #expect(saved.metadata.format == 1)
    let parameters = zip(c.parametersAtSave, LegacyCase.shapes).map { bits, shape in
        Parameter(Tensor(bits.map(Float.init(bitPattern:)), shape: shape))
    }
    let optimizer = c.makeOptimizer(parameters)
    try optimizer.load(stateDict: saved)
    for step in 2..<4 {
        for (k, p) in parameters.enumerated() { p.grad = legacyGradient(p.shape, step: step, k: k) }
        optimizer.step()
    }
    #expect(parameters.map { $0.detachedValue.toArray().map(\.bitPattern) } == c.parametersTwoStepsLater)
    // Saved again, the state is format 2 with the same tensor keys.
    let resaved = optimizer.stateDict()
    #expect(resaved.metadata.format == OptimizerMetadata.currentFormat)
    #expect(resaved.tensors.keys.sorted() == saved.tensors.keys.sorted())
}

@Test func formatOneMetadataRoundTripsThroughJSON() throws {
    let saved = try legacyCases[2].stateDict()
    #expect(saved.metadata.parameters[0]?.scalars == ["mu_product": 0.2025991976261139])
    let encoded = try JSONEncoder().encode(saved.metadata)
    let decoded = try JSONDecoder().decode(OptimizerMetadata.self, from: encoded)
    #expect(decoded == saved.metadata && decoded.format == 1)
}

@Test func newerFormatsAndUnknownEntriesAreRefusedWithNamedErrors() throws {
    let c = legacyCases[0]
    let parameters = LegacyCase.shapes.map { Parameter(Tensor.zeros($0)) }
    var newer = try c.stateDict()
    newer.metadata.format = OptimizerMetadata.currentFormat + 1
    let error = OptimizerStateError.unsupportedFormat(
        found: OptimizerMetadata.currentFormat + 1, oldest: 1, newest: OptimizerMetadata.currentFormat)
    #expect(throws: error) { try c.makeOptimizer(parameters).load(stateDict: newer) }
    #expect(error.description.contains("format 3") && error.description.contains("formats 1 through 2"))

    var unknownSlot = try c.stateDict()
    unknownSlot.metadata.parameters[1]!.buffers.append("velocity")
    unknownSlot.tensors["state.1.velocity"] = Tensor.zeros([4])
    #expect(throws: OptimizerStateError.unknownStateEntry(key: "state.1.velocity")) {
        try c.makeOptimizer(parameters).load(stateDict: unknownSlot)
    }
    var unknownScalar = try c.stateDict()
    unknownScalar.metadata.parameters[0]!.scalars["nu_product"] = 0.5
    #expect(throws: OptimizerStateError.unknownStateEntry(key: "state.0.nu_product")) {
        try c.makeOptimizer(parameters).load(stateDict: unknownScalar)
    }
}
