/// Search spaces declared inside a config, and configs with sampled values written back.
///
/// A parameter is searched by writing a spec mapping in place of its value:
///
/// ```yaml
/// training:
///   optimizer: {name: adam, lr: {tune: loguniform, low: 1e-4, high: 1e-1}}
/// model:
///   hidden: {tune: choice, values: [[64], [128, 64]]}
/// ```
///
/// ``extract(from:)`` finds every mapping with a `tune` key (its dotted path becomes the parameter's path) and
/// ``apply(_:to:)`` writes a trial's values back, giving a config ready to train.
extension SearchSpace {
    /// The search space declared in a nested config (`[String: Any]`, as a YAML parser gives it), and the
    /// config with each spec removed. Mappings inside lists are not searched.
    /// - Throws: ``SelectionError/invalidSpace(path:message:)`` naming the dotted path of a bad spec.
    public static func extract(from config: [String: Any]) throws -> (space: SearchSpace, base: [String: Any]) {
        var found: [String: Distribution] = [:]
        func walk(_ node: [String: Any], prefix: String) throws -> [String: Any] {
            var out: [String: Any] = [:]
            for (key, value) in node {
                let path = prefix.isEmpty ? key : prefix + "." + key
                guard let child = value as? [String: Any] else {
                    out[key] = value
                    continue
                }
                if child["tune"] != nil {
                    found[path] = try Distribution(spec: child, path: path)
                } else {
                    out[key] = try walk(child, prefix: path)
                }
            }
            return out
        }
        let base = try walk(config, prefix: "")
        return (try SearchSpace(found), base)
    }

    /// `config` with each dotted path of `params` set to its value (intermediate mappings are created).
    public static func apply(_ params: [String: ParameterValue], to config: [String: Any]) -> [String: Any] {
        var out = config
        for path in params.keys.sorted() {
            out = setting(params[path]!.anyValue, at: path.split(separator: ".").map(String.init)[...], in: out)
        }
        return out
    }

    /// Nested params: `["training.optimizer.lr": 0.01]` → `["training": ["optimizer": ["lr": 0.01]]]`.
    public static func nested(_ params: [String: ParameterValue]) -> [String: Any] { apply(params, to: [:]) }

    private static func setting(_ value: Any, at path: ArraySlice<String>, in node: [String: Any]) -> [String: Any] {
        var node = node
        guard let head = path.first else { return node }
        if path.count == 1 {
            node[head] = value
        } else {
            node[head] = setting(value, at: path.dropFirst(), in: node[head] as? [String: Any] ?? [:])
        }
        return node
    }
}
