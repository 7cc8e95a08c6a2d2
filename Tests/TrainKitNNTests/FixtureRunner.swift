import Foundation
import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// What an op under test produced: its outputs by fixture key, and where the gradient of each
/// differentiable input lands when it is held by a layer's `Parameter` rather than the input tensor.
struct OpResult {
    var outputs: [String: Tensor]
    var parameters: [String: Parameter] = [:]
}

/// Runs one op case: inputs get `requiresGrad` where the case lists grads, the op runs, every output is
/// compared, then `Σ_k sum(output_k · grad_output_k)` is back-propagated and every listed grad compared.
/// Returns the failure messages (empty when the case passes).
func runOpCase(_ c: FixtureCase, skipGrads: Set<String> = [], _ op: (FixtureCase, [String: Tensor]) -> OpResult) -> [String] {
    var failures: [String] = []
    let expectedGrads = c.tensors("grads")
    var inputs = c.tensors("inputs")
    for name in expectedGrads.keys { inputs[name]?.requiresGrad = true }
    let result = op(c, inputs)
    var expectedOutputs = c.tensors("outputs")
    if let single = c.tensor("output") { expectedOutputs["output"] = single }
    for (name, expected) in expectedOutputs.sorted(by: { $0.key < $1.key }) {
        guard let actual = result.outputs[name] else {
            failures.append("output \(name) missing")
            continue
        }
        let message = expected.dtype.isFloatingPoint
            ? closenessFailure(actual, expected, rtol: c.rtol, atol: c.atol)
            : exactFailure(actual, expected)
        if let message { failures.append("output \(name): \(message)") }
    }
    guard !expectedGrads.isEmpty else { return failures }
    var gradOutputs = c.tensors("grad_outputs")
    if let single = c.tensor("grad_output") { gradOutputs["output"] = single }
    var total: Tensor? = nil
    for (name, g) in gradOutputs.sorted(by: { $0.key < $1.key }) {
        guard let out = result.outputs[name] else { continue }
        let term = (out * g.to(out.dtype)).sum()
        total = total.map { $0 + term } ?? term
    }
    guard let total else { return failures + ["no differentiable output"] }
    total.backward()
    for (name, expected) in expectedGrads.sorted(by: { $0.key < $1.key }) where !skipGrads.contains(name) {
        let grad = result.parameters[name]?.grad ?? inputs[name]?.grad
        guard let grad else {
            failures.append("grad \(name) missing")
            continue
        }
        if let message = closenessFailure(grad, expected, rtol: c.rtol, atol: c.atol) {
            failures.append("grad \(name): \(message)")
        }
    }
    return failures
}

/// Runs every case of a group through `dispatch`, recording one issue per failing case, and returns the
/// number of cases per op that passed / ran (for the report).
@discardableResult
func runGroup(_ group: String, _ dispatch: (FixtureCase, [String: Tensor]) -> OpResult?) throws -> [String: (passed: Int, total: Int)] {
    let cases = try Fixtures.cases(group)
    #expect(!cases.isEmpty, "\(group): no cases")
    var tally: [String: (passed: Int, total: Int)] = [:]
    for c in cases {
        var unsupported = false
        let failures = runOpCase(c) { c, inputs in
            if let r = dispatch(c, inputs) { return r }
            unsupported = true
            return OpResult(outputs: [:])
        }
        var entry = tally[c.op] ?? (0, 0)
        entry.total += 1
        if unsupported {
            Issue.record("\(c.name): op \(c.op) is not supported")
        } else if failures.isEmpty {
            entry.passed += 1
        } else {
            Issue.record("\(c.name): \(failures.joined(separator: "; "))")
        }
        tally[c.op] = entry
    }
    if ProcessInfo.processInfo.environment["TRAINKIT_FIXTURE_TALLY"] != nil {
        for (op, t) in tally.sorted(by: { $0.key < $1.key }) { print("\(group) \(op): \(t.passed)/\(t.total)") }
    }
    return tally
}

extension FixtureCase {
    /// A spatial attribute (int or `[h, w]`) as `Size2d`.
    func size2d(_ key: String) -> Size2d? {
        guard let v = ints(key) else { return nil }
        return v.count == 1 ? Size2d(v[0]) : Size2d(v[0], v[1])
    }
    /// A 1-d spatial attribute (int or `[l]`).
    func size1d(_ key: String) -> Int? { ints(key)?.first }
}
