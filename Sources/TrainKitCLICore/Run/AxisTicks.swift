import Foundation

/// Tick marks for a chart axis: round values (1, 2 or 5 times a power of ten) inside the data's own range,
/// so an axis never labels a padded end (a loss of −0.137 below a positive series) or an odd number.
struct AxisTicks: Equatable {
    /// The tick values, ascending, each inside `lo...hi`.
    var values: [Double]
    /// The distance between ticks (0 for a single tick on a flat range).
    var step: Double

    /// Three to eight ticks for `lo...hi` (one, at the value itself, when the range is flat); with `integers`,
    /// the step is at least 1 (epochs).
    init(lo: Double, hi: Double, integers: Bool = false) {
        guard lo.isFinite, hi.isFinite, hi >= lo else { values = []; step = 0; return }
        let span = hi - lo
        guard span > Swift.max(Swift.abs(lo), Swift.abs(hi)) * 1e-9, span > 0 else {
            values = [lo]; step = 0; return
        }
        // The largest round step that leaves at least three ticks in the range.
        let raw = span / 3
        let power = pow(10, floor(log10(raw)))
        let fraction = raw / power
        var step = (fraction >= 5 ? 5 : fraction >= 2 ? 2 : 1) * power
        if integers { step = Swift.max(step.rounded(), 1) }
        let first = Int((lo / step - 1e-9).rounded(.up)), last = Int((hi / step + 1e-9).rounded(.down))
        values = first <= last ? (first...last).map { Double($0) * step } : []
        self.step = step
    }

    /// The labels of ``values``: as many decimals as the step needs (`0.25`, `1.5`, `40`), or powers of ten
    /// for very small or large values (`2e-5`, `1.5e+06`).
    var labels: [String] { values.map { Self.label($0, step: step) } }

    static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        guard step > 0 else { return String(format: "%.6g", value) }
        let stepPower = Int(floor(log10(step) + 1e-9))
        if stepPower < -3 || Swift.abs(value) >= 1e6 {
            let power = Int(floor(log10(Swift.abs(value)) + 1e-9))
            let digits = Swift.max(power - stepPower, 0)
            var mantissa = String(format: "%.\(digits)f", value / pow(10, Double(power)))
            if mantissa.contains(".") {
                while mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
            }
            return "\(mantissa)e\(power)"
        }
        return String(format: "%.\(Swift.max(-stepPower, 0))f", value)
    }
}
