import Foundation

/// An inline SVG line chart of one or more series over epochs (no scripts, no external files), for the
/// HTML run report.
///
/// Each series is `(name, values)` with `values[i]` at epoch `i + 1`; non-finite values are left out. The
/// y range spans the finite values, padded by 5% (never below zero for a series that has no negative value;
/// a flat series gets ±1% of its value). The axes are labelled at round values inside the data's own range
/// (``AxisTicks``), never at the padded ends, with light grid lines. `marker` draws a dashed vertical line at
/// one epoch (the epoch whose weights the run kept) with its label; a legend names the series in their colors.
struct SVGLineChart {
    var title: String
    var series: [(name: String, values: [Double])]
    /// A 1-based epoch to mark, and the label beside the mark.
    var marker: (epoch: Int, label: String)? = nil
    var width = 560.0
    var height = 260.0

    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

    /// The plot area's edges: left, right, top and bottom margins.
    static let margins = (left: 64.0, right: 12.0, top: 28.0, bottom: 36.0)

    /// The y range drawn: the finite values padded by 5%, clamped at 0 when none is negative.
    var yRange: (lo: Double, hi: Double) {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        let dataLo = finite.min() ?? 0, dataHi = finite.max() ?? 1
        var lo = dataLo, hi = dataHi
        if hi - lo < 1e-12 { let pad = Swift.max(abs(lo) * 0.01, 1e-6); lo -= pad; hi += pad }
        let pad = (hi - lo) * 0.05
        lo -= pad
        hi += pad
        if dataLo >= 0 { lo = Swift.max(lo, 0) }
        return (lo, hi)
    }

    /// The y axis ticks: round values between the smallest and the largest finite value.
    var yTicks: AxisTicks {
        let finite = series.flatMap(\.values).filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return AxisTicks(lo: 0, hi: 0) }
        return AxisTicks(lo: lo, hi: hi)
    }

    var svg: String {
        let count = series.map(\.values.count).max() ?? 0
        let (left, right, top, bottom) = Self.margins
        let plotW = width - left - right, plotH = height - top - bottom
        let (lo, hi) = yRange
        func x(_ i: Int) -> Double { left + (count <= 1 ? plotW / 2 : plotW * Double(i) / Double(count - 1)) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var parts: [String] = []
        parts.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">")
        parts.append("<text x=\"\(left)\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(HTMLText.escape(title))</text>")
        let ticks = yTicks
        for (value, label) in zip(ticks.values, ticks.labels) {
            let ty = y(value)
            parts.append("<line x1=\"\(left)\" y1=\"\(f(ty))\" x2=\"\(left + plotW)\" y2=\"\(f(ty))\" stroke=\"#e4e4e4\"/>")
            parts.append("<text class=\"ytick\" x=\"\(left - 4)\" y=\"\(f(ty + 4))\" font-size=\"11\" text-anchor=\"end\">\(label)</text>")
        }
        parts.append("<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#999\"/>")
        let epochTicks = count > 0 ? AxisTicks(lo: 1, hi: Double(count), integers: true) : AxisTicks(lo: 0, hi: -1)
        for (value, label) in zip(epochTicks.values, epochTicks.labels) {
            parts.append("<text class=\"xtick\" x=\"\(f(x(Int(value) - 1)))\" y=\"\(height - 22)\" font-size=\"11\" text-anchor=\"middle\">\(label)</text>")
        }
        parts.append("<text x=\"\(left + plotW)\" y=\"\(height - 3)\" font-size=\"11\" text-anchor=\"end\">epoch</text>")
        if let marker, marker.epoch >= 1, marker.epoch <= count {
            let mx = f(x(marker.epoch - 1))
            parts.append("<line class=\"kept\" x1=\"\(mx)\" y1=\"\(top)\" x2=\"\(mx)\" y2=\"\(top + plotH)\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>")
            let anchor = marker.epoch * 2 > count ? "end" : "start"
            let dx = anchor == "end" ? -4 : 4
            parts.append("<text class=\"kept\" x=\"\(mx)\" y=\"\(top + 12)\" dx=\"\(dx)\" font-size=\"11\" fill=\"#555\" text-anchor=\"\(anchor)\">\(HTMLText.escape(marker.label))</text>")
        }
        for (k, s) in series.enumerated() {
            let color = Self.colors[k % Self.colors.count]
            let points = s.values.enumerated().filter { $0.element.isFinite }
                .map { (x: f(x($0.offset)), y: f(y($0.element))) }
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
}

/// Escaping for text placed in HTML or SVG.
enum HTMLText {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
