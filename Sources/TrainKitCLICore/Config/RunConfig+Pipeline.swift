import Foundation
import TrainKit
import TrainKitRegistry

/// `pipeline:` — what `trainkit pipeline` does after training the config: the gate a model must pass, where it
/// is registered and promoted, and the bounded search it falls back on when the gate refuses
/// (docs/registry.md, "One command for the loop"). `train`, `cv` and `tune` ignore it.
///
/// ```yaml
/// pipeline:
///   name: wine
///   require: ["test_rmse <= 0.7"]
///   must_beat: production
///   search:
///     trials: 6
///     space:
///       training.optimizer.lr: {tune: loguniform, low: 1e-4, high: 1e-1}
/// ```
public struct PipelineConfig: Equatable, Sendable {
    /// The registered model's name; nil when the config has no `pipeline` section.
    public var name: String?
    /// The registry (a SQLite file or a `postgres://` URL); nil: `$TRAINKIT_STORE`, else the default store.
    public var store: String?
    /// Gate rules on the candidate's metrics (`test_accuracy >= 0.9`), all of which must hold.
    public var require: [String] = []
    /// The alias whose holder the candidate must beat on the same test data.
    public var mustBeat: String?
    /// The alias a passing candidate moves.
    public var promoteTo = "production"
    /// The search a refused candidate falls back on: at most this many trials (0: no search).
    public var tuneTrials = 0
    /// The searched keys, `path: {tune: ...}` in the order written.
    public var tuneSpace: [ConfigNode.Entry] = []
    public var tuneSampler: SamplerKind = .tpe
    public var tunePrune: PrunerKind = .none
    /// The validation metric that ranks trials (nil: tune's default for the task).
    public var tuneMetric: String?

    public init() {}

    /// Whether the config has a `pipeline` section.
    public var isSet: Bool { name != nil }
}

extension RunConfig {
    /// The `pipeline` keys (the last section of ``fields``); each writes nothing when the section is absent.
    static let pipelineFields: [ConfigField] = [
        ConfigField(path: "pipeline", type: .section, defaultText: "none",
                    doc: "What `trainkit pipeline` does after training: gate, register and promote, or search and gate again (below; [docs/registry.md](registry.md#one-command-for-the-loop)). Other commands ignore it.",
                    write: { _ in nil }),
        ConfigField(path: "pipeline.name", type: .string, defaultText: "required in `pipeline`",
                    doc: "The registered model's name (letters, digits, `_`, `-`, `.`).",
                    write: { $0.pipeline.name.map { .string($0) } }),
        ConfigField(path: "pipeline.store", type: .string, defaultText: "`$TRAINKIT_STORE`, else `~/.trainkit/registry.db`",
                    doc: "The registry: a SQLite file or a `postgres://` URL (`--store` overrides it).",
                    write: { $0.pipeline.store.map { .string($0) } }),
        ConfigField(path: "pipeline.require", type: .list(.string), defaultText: "`[]`",
                    doc: "Gate rules on the candidate's metrics, `METRIC OP NUMBER` (`test_accuracy >= 0.9`; OP one of `>=` `>` `<=` `<` `==` `!=`); every rule must hold.",
                    write: { p in p.pipeline.isSet ? .list(p.pipeline.require.map { ConfigNode(.string($0)) }) : nil }),
        ConfigField(path: "pipeline.must_beat", type: .string, defaultText: "none",
                    doc: "An alias whose current holder the candidate must beat on the rules' metrics, compared on the same test data only (no holder yet: nothing to beat).",
                    write: { $0.pipeline.mustBeat.map { .string($0) } }),
        ConfigField(path: "pipeline.promote_to", type: .string, defaultText: "`production`",
                    doc: "The alias a candidate that passes the gate is promoted to.",
                    write: { p in p.pipeline.isSet ? .string(p.pipeline.promoteTo) : nil }),
        ConfigField(path: "pipeline.search", type: .section, defaultText: "none",
                    doc: "The bounded search run when the first candidate fails the gate; its best trial is trained and gated again.",
                    write: { _ in nil }),
        ConfigField(path: "pipeline.search.trials", type: .integer, bounds: .atLeast(0), defaultText: "0",
                    doc: "The search's budget in trials; 0 ends the pipeline at the first refusal.",
                    write: { p in p.pipeline.isSet ? .int(p.pipeline.tuneTrials) : nil }),
        ConfigField(path: "pipeline.search.space", type: .searchSpace, defaultText: "`{}`",
                    doc: "The keys searched and their ranges: `training.optimizer.lr: {tune: loguniform, low: 1e-4, high: 1e-1}` ([Search spaces](#search-spaces-and-trainkit-tune)); the config's own values are the first candidate.",
                    write: { p in p.pipeline.isSet ? .map(p.pipeline.tuneSpace) : nil }),
        ConfigField(path: "pipeline.search.sampler", type: .choice(SamplerKind.allCases.map(\.rawValue)), defaultText: "`tpe`",
                    doc: "How trials draw their values (`tune --sampler`).",
                    write: { p in p.pipeline.isSet ? .string(p.pipeline.tuneSampler.rawValue) : nil }),
        ConfigField(path: "pipeline.search.prune", type: .choice(PrunerKind.allCases.map(\.rawValue)), defaultText: "`none`",
                    doc: "Stop weak trials early (`tune --prune`).",
                    write: { p in p.pipeline.isSet ? .string(p.pipeline.tunePrune.rawValue) : nil }),
        ConfigField(path: "pipeline.search.metric", type: .string, defaultText: "`val_accuracy`, or `val_rmse` for regression",
                    doc: "The validation metric that ranks trials (`tune --metric`).",
                    write: { $0.pipeline.tuneMetric.map { .string($0) } }),
    ]

    /// `pipeline:`; an absent section is no pipeline.
    static func decodePipeline(_ s: ConfigSection?) throws -> PipelineConfig {
        var p = PipelineConfig()
        guard let s else { return p }
        try s.checkKeys()
        if let t = try s.section("search") {
            try t.checkKeys()
            if let trials = try t.int("trials") {
                guard trials >= 0 else { throw t.invalid("trials", "must be >= 0, got \(trials)") }
                p.tuneTrials = trials
            }
            p.tuneSampler = try t.choice("sampler").flatMap(SamplerKind.init(rawValue:)) ?? p.tuneSampler
            p.tunePrune = try t.choice("prune").flatMap(PrunerKind.init(rawValue:)) ?? p.tunePrune
            p.tuneMetric = try t.string("metric")
            if let space = try t.section("space") {
                for entry in space.entries {
                    guard ConfigSchema.allPaths.contains(entry.key), !entry.key.hasPrefix("pipeline") else {
                        throw ConfigError.invalidValue(
                            path: space.fullPath(entry.key), reason: "not a config key that can be searched (keys are dotted paths such as training.optimizer.lr)",
                            location: entry.value.location)
                    }
                    guard let spec = entry.value.plainValue as? [String: Any], spec["tune"] != nil else {
                        throw ConfigError.wrongType(path: space.fullPath(entry.key), expected: "a search spec such as {tune: loguniform, low: 1e-4, high: 1e-1}",
                                                    got: entry.value.describe, location: entry.value.location)
                    }
                    do {
                        _ = try Distribution(spec: spec, path: entry.key)
                    } catch {
                        throw ConfigError.invalidValue(path: space.fullPath(entry.key), reason: "\(error)", location: entry.value.location)
                    }
                }
                p.tuneSpace = space.entries
            }
            if p.tuneTrials > 0 && p.tuneSpace.isEmpty {
                throw t.invalid("space", "trials is \(p.tuneTrials) but nothing is searched: name the keys and their ranges (e.g. training.optimizer.lr: {tune: loguniform, low: 1e-4, high: 1e-1})")
            }
        }
        guard let name = try s.string("name") else {
            throw ConfigError.invalidValue(path: s.fullPath("name"), reason: "required: the registered model's name (e.g. name: wine)",
                                           location: s.node.location)
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
            throw s.invalid("name", "a model name is letters, digits, '_', '-' and '.', got '\(name)'")
        }
        p.name = name
        p.store = try s.string("store")
        p.require = try s.stringList("require") ?? []
        for rule in p.require {
            do { _ = try PromotionRule.parse(rule) } catch { throw s.invalid("require", "\(error)") }
        }
        p.mustBeat = try s.string("must_beat")
        p.promoteTo = try s.string("promote_to") ?? p.promoteTo
        for (key, alias) in [("must_beat", p.mustBeat), ("promote_to", p.promoteTo)] {
            if let alias, alias.isEmpty || !alias.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) {
                throw s.invalid(key, "an alias is letters, digits, '_', '-' and '.', got '\(alias)'")
            }
        }
        if p.require.isEmpty && p.mustBeat == nil {
            throw s.invalid("require", "the gate needs at least one rule (e.g. require: [\"test_accuracy >= 0.9\"]) or must_beat")
        }
        return p
    }
}
