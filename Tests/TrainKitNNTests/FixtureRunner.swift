import Foundation
import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// Runs one op case through the shared runner (`OpCaseRunner.problems`): outputs compared, then
/// `Σ_k sum(output_k · grad_output_k)` back-propagated and every listed grad compared.
func runOpCase(_ c: FixtureCase, skipGrads: Set<String> = [], _ op: (FixtureCase, [String: Tensor]) -> OpResult) -> [String] {
    OpCaseRunner.problems(of: c, skipGradients: skipGrads, run: op)
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
