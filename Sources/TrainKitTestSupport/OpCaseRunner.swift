import TrainKitCore

/// What an op under test produced: its outputs by fixture key, and the `Parameter`s that hold inputs when a
/// layer owns them (their gradients land there rather than on the input tensor).
public struct OpResult {
    public var outputs: [String: Tensor]
    public var parameters: [String: Parameter]

    public init(outputs: [String: Tensor], parameters: [String: Parameter] = [:]) {
        self.outputs = outputs
        self.parameters = parameters
    }
}

/// Runs op cases (elementwise, reduction, shape, linalg, nn, loss) against an implementation.
///
/// `apply(case, inputs)` computes the op from the named inputs and returns its outputs by name
/// (`"output"` for single-output ops). The runner checks every output against the reference, then calls
/// `backward` with the case's `grad_output(s)` and checks every listed input gradient.
public enum OpCaseRunner {
    public typealias Apply = (_ fixture: FixtureCase, _ inputs: [String: Tensor]) -> [String: Tensor]

    /// Failures of one case, each naming the case and what differed (empty when it passes).
    public static func failures(of fixture: FixtureCase, skipGradients: Set<String> = [], apply: Apply) -> [String] {
        problems(of: fixture, skipGradients: skipGradients) { OpResult(outputs: apply($0, $1)) }
            .map { "\(fixture.name): \($0)" }
    }

    /// What differed in one case, without the case name (empty when it passes). `run` computes the op and may
    /// say, for inputs that a layer holds as a `Parameter`, where their gradient lands.
    public static func problems(of fixture: FixtureCase, skipGradients: Set<String> = [],
                                run: (_ fixture: FixtureCase, _ inputs: [String: Tensor]) -> OpResult) -> [String] {
        var failures: [String] = []
        let expectedGrads = fixture.tensors("grads")
        var inputs = fixture.tensors("inputs")
        for name in expectedGrads.keys { inputs[name]?.requiresGrad = true }
        let result = run(fixture, inputs)

        var expectedOutputs = fixture.tensors("outputs")
        if let single = fixture.tensor("output") { expectedOutputs["output"] = single }
        for (name, expected) in expectedOutputs.sorted(by: { $0.key < $1.key }) {
            guard let actual = result.outputs[name] else {
                failures.append("output \(name) missing")
                continue
            }
            let failure = expected.dtype.isFloatingPoint
                ? closenessFailure(actual, expected, rtol: fixture.rtol, atol: fixture.atol)
                : exactFailure(actual, expected)
            if let failure { failures.append("output \(name): \(failure)") }
        }
        guard !expectedGrads.isEmpty else { return failures }

        var upstream = fixture.tensors("grad_outputs")
        if let single = fixture.tensor("grad_output") { upstream["output"] = single }
        var total: Tensor? = nil
        for (name, g) in upstream.sorted(by: { $0.key < $1.key }) {
            guard let out = result.outputs[name], out.requiresGrad else { continue }
            let term = (out * g.to(out.dtype)).sum()
            total = total.map { $0 + term } ?? term
        }
        guard let total else { return failures + ["no differentiable output to take gradients from"] }
        total.backward()
        for (name, expected) in expectedGrads.sorted(by: { $0.key < $1.key }) where !skipGradients.contains(name) {
            guard let actual = result.parameters[name]?.grad ?? inputs[name]?.grad else {
                failures.append("no gradient reached input \(name)")
                continue
            }
            if let f = closenessFailure(actual, expected, rtol: fixture.rtol, atol: fixture.atol) {
                failures.append("grad \(name): \(f)")
            }
        }
        return failures
    }

    /// Float64 finite-difference check of the same op at the case's inputs (every float input that has a
    /// reference gradient), summing all differentiable outputs weighted by a fixed random tensor.
    public static func gradientCheck(of fixture: FixtureCase, outputName: String? = nil, apply: Apply) -> String? {
        let gradNames = ((fixture.raw["grads"] as? [String: Any])?.keys.map { $0 } ?? []).sorted()
        guard !gradNames.isEmpty else { return nil }
        let all64 = fixture.tensors("inputs", float64: true)
        let differentiable = gradNames.compactMap { all64[$0] }
        var upstreamNames = Array(fixture.tensors("grad_outputs").keys).sorted()
        if fixture.tensor("grad_output") != nil { upstreamNames = ["output"] }
        if let outputName { upstreamNames = [outputName] }
        let failure = gradientCheckFailure(differentiable, eps: 1e-6, rtol: 1e-4, atol: 1e-7) { xs in
            var inputs = all64
            for (k, name) in gradNames.enumerated() { inputs[name] = xs[k] }
            let outs = apply(fixture, inputs)
            return Tensor.cat(upstreamNames.compactMap { outs[$0]?.reshape([-1]).to(.float64) })
        }
        return failure.map { "\(fixture.name): finite differences: \($0)" }
    }
}
