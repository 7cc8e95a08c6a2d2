import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of the live progress bar, fitted to a terminal width, and the terminal's width itself.
///
/// A line longer than the terminal wraps, and `\r` then returns only to the start of the last screen row, so
/// every redraw would leave a stale row behind. The line is therefore cut to `columns - 1` characters (the
/// last column is left free, since some terminals wrap when it is written): the samples/s figure goes first,
/// then the ETA, then the bar itself, and whatever still does not fit is truncated.
enum ProgressLine {
    /// The numbers a bar shows.
    struct State {
        var epoch: Int
        var epochs: Int
        var done: Int
        var total: Int
        var eta: Double
        var samplesPerSecond: Double
        var loss: Double
    }

    /// The widest bar drawn, in characters between the brackets.
    static let maxBarWidth = 24
    /// Below this many characters the bar is left out rather than drawn uselessly short.
    static let minBarWidth = 6

    /// The bar for `state`, at most `columns - 1` characters long (empty for `columns < 2`).
    static func text(_ state: State, columns: Int) -> String {
        let budget = Swift.max(columns - 1, 0)
        let head = "epoch \(state.epoch)/\(state.epochs)"
        // The step is padded to the total's width, so the bar keeps its length as the count grows.
        let done = String(state.done), total = String(state.total)
        let counts = String(repeating: " ", count: Swift.max(total.count - done.count, 0)) + done + "/" + total
        let eta = String(format: "ETA %.0fs", state.eta)
        let rate = String(format: "%.0f samples/s", state.samplesPerSecond)
        let loss = String(format: "loss %.4f", state.loss)
        // Each candidate drops one more of the optional parts, in order: samples/s, ETA, bar.
        let tails: [[String]] = [[counts, eta, rate, loss], [counts, eta, loss], [counts, loss]]
        for (k, tail) in (tails + [[counts, loss]]).enumerated() {
            let withBar = k < tails.count
            let fixed = head.count + tail.map { 2 + $0.count }.reduce(0, +)
            if withBar {
                let room = budget - fixed - 3 // " [" + "]"
                guard room >= minBarWidth else { continue }
                let width = Swift.min(room, maxBarWidth)
                let filled = state.total > 0 ? width * Swift.min(state.done, state.total) / state.total : width
                let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
                return head + " [" + bar + "]" + tail.map { "  " + $0 }.joined()
            }
            if fixed <= budget { return head + tail.map { "  " + $0 }.joined() }
        }
        return String((head + "  " + counts + "  " + loss).prefix(budget))
    }

    /// The width of the terminal on standard error: the kernel's window size (`TIOCGWINSZ`), else the
    /// `COLUMNS` environment variable, else 80.
    static func terminalColumns() -> Int {
        var size = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        if ioctl(STDERR_FILENO, request, &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return columns
        }
        return 80
    }
}
