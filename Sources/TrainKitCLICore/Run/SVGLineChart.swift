import Foundation

/// An inline SVG line chart of one or more series over epochs (no scripts, no external files), for the
/// HTML run report.
///
/// Each series is `(name, values)` with `values[i]` at epoch `i + 1`; non-finite values are left out. The
/// y range spans the finite values (padded by 5%; a flat series gets ±1% of its value), the x range epochs
/// 1...n. Axis labels show the range ends; a legend names the series in their colors.
struct SVGLineChart {
    var title: String
    var series: [(name: String, values: [Double])]
    var width = 560.0
    var height = 260.0

    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

    var svg: String {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let count = series.map(\.values.count).max() ?? 0
        let (left, right, top, bottom) = (56.0, 12.0, 28.0, 36.0)
        let plotW = width - left - right, plotH = height - top - bottom
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if hi - lo < 1e-12 { let pad = Swift.max(abs(lo) * 0.01, 1e-6); lo -= pad; hi += pad }
        let pad = (hi - lo) * 0.05
        lo -= pad
        hi += pad
        func x(_ i: Int) -> Double { left + (count <= 1 ? plotW / 2 : plotW * Double(i) / Double(count - 1)) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }

        var parts: [String] = []
        parts.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">")
        parts.append("<text x=\"\(left)\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(HTMLText.escape(title))</text>")
        parts.append("<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#999\"/>")
        for (value, anchor) in [(hi, top + 4), (lo, top + plotH)] {
            parts.append("<text x=\"\(left - 4)\" y=\"\(anchor)\" font-size=\"11\" text-anchor=\"end\">\(Self.label(value))</text>")
        }
        parts.append("<text x=\"\(left)\" y=\"\(height - 18)\" font-size=\"11\">1</text>")
        parts.append("<text x=\"\(left + plotW)\" y=\"\(height - 18)\" font-size=\"11\" text-anchor=\"end\">\(count)</text>")
        parts.append("<text x=\"\(left + plotW / 2)\" y=\"\(height - 18)\" font-size=\"11\" text-anchor=\"middle\">epoch</text>")
        for (k, s) in series.enumerated() {
            let color = Self.colors[k % Self.colors.count]
            let points = s.values.enumerated().filter { $0.element.isFinite }
                .map { (x: String(format: "%.1f", x($0.offset)), y: String(format: "%.1f", y($0.element))) }
            if points.count > 1 {
                let list = points.map { "\($0.x),\($0.y)" }.joined(separator: " ")
                parts.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(list)\"/>")
            }
            for p in points {
                parts.append("<circle cx=\"\(p.x)\" cy=\"\(p.y)\" r=\"2.5\" fill=\"\(color)\"/>")
            }
            let legendX = left + 8 + Double(k) * 150
            parts.append("<rect x=\"\(legendX)\" y=\"\(height - 12)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>")
            parts.append("<text x=\"\(legendX + 14)\" y=\"\(height - 3)\" font-size=\"11\">\(HTMLText.escape(s.name))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func label(_ v: Double) -> String {
        abs(v) >= 1000 || (abs(v) < 0.01 && v != 0) ? String(format: "%.2e", v) : String(format: "%.3f", v)
    }
}

/// Escaping for text placed in HTML or SVG.
enum HTMLText {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
