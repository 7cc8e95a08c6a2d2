import Foundation

/// One `--require` rule: `METRIC OP NUMBER`, e.g. `test_accuracy >= 0.9`.
public struct PromotionRule: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", equal = "==", notEqual = "!=", greater = ">", less = "<"

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .greaterOrEqual: return a >= b
            case .lessOrEqual: return a <= b
            case .equal: return a == b
            case .notEqual: return a != b
            case .greater: return a > b
            case .less: return a < b
            }
        }

        /// Which way is better, as the rule states it (nil for `==`, `!=`).
        var higherIsBetter: Bool? {
            switch self {
            case .greaterOrEqual, .greater: return true
            case .lessOrEqual, .less: return false
            case .equal, .notEqual: return nil
            }
        }
    }

    public var metric: String
    public var comparison: Comparison
    public var threshold: Double

    public var description: String { "\(metric) \(comparison.rawValue) \(Self.format(threshold))" }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// Parses one or more rules: `test_accuracy >= 0.9`, joined by `and` (or `,`).
    ///
    /// - Throws: ``RegistryError/invalid(_:)`` quoting the rule and the grammar.
    public static func parse(_ text: String) throws -> [PromotionRule] {
        let pieces = text.replacingOccurrences(of: " AND ", with: ",").replacingOccurrences(of: " and ", with: ",")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !pieces.isEmpty, !pieces.contains(where: \.isEmpty) else { throw grammar(text) }
        return try pieces.map { piece in
            // The longest operators first, so `>=` is not read as `>`.
            for comparison in Comparison.allCases {
                guard let range = piece.range(of: comparison.rawValue) else { continue }
                let metric = piece[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let number = piece[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !metric.isEmpty, metric.allSatisfy({ $0.isLetter || $0.isNumber || "_-./".contains($0) }),
                      let threshold = Double(number), threshold.isFinite else { throw grammar(piece) }
                return PromotionRule(metric: metric, comparison: comparison, threshold: threshold)
            }
            throw grammar(piece)
        }
    }

    private static func grammar(_ text: String) -> RegistryError {
        .invalid("--require '\(text)': a rule reads METRIC OP NUMBER with OP one of >= > <= < == != "
            + "(e.g. \"test_accuracy >= 0.9\"); join rules with 'and'")
    }
}

/// The promotion gate: threshold rules on the candidate's metrics, and optionally the condition that it beats
/// the version holding an alias (compared on the same test data only).
public struct PromotionGate: Sendable {
    public var rules: [PromotionRule]
    /// The alias whose holder the candidate must beat.
    public var mustBeat: String?
    /// The metrics compared with the holder, each with its better direction; from the rules when empty.
    public var compareOn: [(metric: String, higherIsBetter: Bool)]

    public init(rules: [PromotionRule], mustBeat: String?, compareOn: [(metric: String, higherIsBetter: Bool)] = []) {
        self.rules = rules
        self.mustBeat = mustBeat
        self.compareOn = compareOn
    }

    /// The rule as recorded: `test_accuracy >= 0.9 and beats production`.
    public var text: String {
        (rules.map(\.description) + (mustBeat.map { ["beats \($0) on \(comparisonMetrics.map(\.metric).joined(separator: ", "))"] } ?? []))
            .joined(separator: " and ")
    }

    var comparisonMetrics: [(metric: String, higherIsBetter: Bool)] {
        if !compareOn.isEmpty { return compareOn }
        var seen = Set<String>()
        return rules.compactMap { rule in
            guard let better = rule.comparison.higherIsBetter, seen.insert(rule.metric).inserted else { return nil }
            return (rule.metric, better)
        }
    }

    /// The checks of `candidate` against the rules and `holder` (the current version of ``mustBeat``, if any).
    public func evaluate(_ candidate: ModelVersion, holder: ModelVersion?) -> PromotionDecision {
        var checks: [PromotionCheck] = []
        for rule in rules {
            let value = candidate.metrics[rule.metric]
            let passed = value.map { rule.comparison.holds($0, rule.threshold) } ?? false
            let note = value == nil
                ? "\(candidate.label) has no metric '\(rule.metric)' (it has: \(candidate.metrics.keys.sorted().joined(separator: ", ")))"
                : (passed ? "" : "\(Self.show(value)) is not \(rule.comparison.rawValue) \(PromotionRule.format(rule.threshold))")
            checks.append(PromotionCheck(check: rule.description, candidate: value, reference: rule.threshold,
                                         passed: passed, note: note))
        }
        if let alias = mustBeat {
            checks += beatChecks(candidate, holder: holder, alias: alias)
        }
        return PromotionDecision(candidate: candidate.label, holder: holder?.reference, checks: checks)
    }

    private func beatChecks(_ candidate: ModelVersion, holder: ModelVersion?, alias: String) -> [PromotionCheck] {
        let check = "beats \(alias)"
        guard let holder else {
            return [PromotionCheck(check: check, candidate: nil, reference: nil, passed: true,
                                   note: "no version holds '\(alias)' yet: nothing to beat")]
        }
        if holder.version == candidate.version {
            return [PromotionCheck(check: check, candidate: nil, reference: nil, passed: true,
                                   note: "\(candidate.label) already holds '\(alias)'")]
        }
        guard let mine = candidate.testData, let theirs = holder.testData, mine == theirs else {
            let a = candidate.testData.map { String($0.prefix(24)) } ?? "unknown"
            let b = holder.testData.map { String($0.prefix(24)) } ?? "unknown"
            return [PromotionCheck(check: check, candidate: nil, reference: nil, passed: false,
                                   note: "not comparable: \(candidate.label) and \(holder.reference) were tested on different data "
                                       + "(\(a)… vs \(b)…); the comparison does not count, so it cannot pass (drop --must-beat to promote on the rules alone)")]
        }
        let metrics = comparisonMetrics
        guard !metrics.isEmpty else {
            return [PromotionCheck(check: check, candidate: nil, reference: nil, passed: false,
                                   note: "no metric to compare on: give a --require rule with >=, >, <= or <, or --metric")]
        }
        return metrics.map { metric, higher in
            let a = candidate.metrics[metric], b = holder.metrics[metric]
            let name = "\(metric) \(higher ? ">" : "<") \(holder.reference) (\(alias))"
            guard let a, let b else {
                return PromotionCheck(check: name, candidate: a, reference: b, passed: false,
                                      note: "'\(metric)' is missing from \(a == nil ? candidate.label : holder.reference)")
            }
            let passed = higher ? a > b : a < b
            return PromotionCheck(check: name, candidate: a, reference: b, passed: passed,
                                  note: passed ? "same test data" : "does not beat \(holder.reference) on the same test data")
        }
    }

    static func show(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "—" }
}

/// One line of a promotion's table of why.
public struct PromotionCheck: Sendable, Codable, Equatable {
    public var check: String
    public var candidate: Double?
    /// The threshold, or the holder's value.
    public var reference: Double?
    public var passed: Bool
    public var note: String
}

/// What the gate decided.
public struct PromotionDecision: Sendable, Codable, Equatable {
    public var candidate: String
    public var holder: String?
    public var checks: [PromotionCheck]
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// The table of why, one check a line.
    public var table: String {
        var rows = [["check", "candidate", "required / holder", "result", "note"]]
        for c in checks {
            rows.append([c.check, PromotionGate.show(c.candidate), PromotionGate.show(c.reference), c.passed ? "pass" : "FAIL", c.note])
        }
        return TextTable.render(rows)
    }
}

/// Plain-text tables, columns padded to their widest cell.
public enum TextTable {
    public static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
