/// Whether a study looks for the smallest objective value (a loss) or the largest (an accuracy).
public enum SearchDirection: String, Codable, Sendable {
    case minimize, maximize

    /// `maximize` for metrics where higher is better (`accuracy`, `f1`, `auc`, `r2`, `precision`, `recall`,
    /// and the unsupervised `silhouette`, `adjusted_rand`, `normalized_mutual_info`, `log_likelihood`,
    /// `explained_variance_ratio`, with or without a `val_`/`test_` prefix), else `minimize` (losses, `rmse`,
    /// `mae`, `inertia`, `bic`).
    public static func inferred(for metric: String) -> SearchDirection {
        MonitorMode.auto.resolved(for: metric) == .max ? .maximize : .minimize
    }

    /// Whether `a` is strictly better than `b`. NaN is worse than every number.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return self == .maximize ? a > b : a < b
    }

    /// `values` ordered best first (NaN last; ties keep their order).
    func sortedBestFirst<T>(_ items: [T], by value: (T) -> Double) -> [T] {
        items.enumerated().sorted { x, y in
            let a = value(x.element)
            let b = value(y.element)
            if isBetter(a, than: b) { return true }
            if isBetter(b, than: a) { return false }
            return x.offset < y.offset
        }.map(\.element)
    }
}
