import Foundation
import Testing
@testable import TrainKit

/// Collects what a ``ProgressDisplay`` writes.
private final class Captured: @unchecked Sendable {
    var text = ""
}

/// The live progress bar: fitted to the terminal's width, silent about bars off a terminal, and explicit about
/// early stopping.
struct ProgressDisplayTests {
    @Test func barNeverExceedsTheWidthItIsGiven() {
        let state = ProgressLine.State(epoch: 12, epochs: 200, done: 1234, total: 46875, eta: 12345,
                                       samplesPerSecond: 123_456, loss: 0.123456)
        for columns in 0...200 {
            let line = ProgressLine.text(state, columns: columns)
            #expect(line.count <= Swift.max(columns - 1, 0), "\(columns) columns: \(line)")
            #expect(!line.contains("\n"))
        }
        // A wide terminal gets everything, a 60-column pane keeps the bar and the loss, a narrow one the loss.
        #expect(ProgressLine.text(state, columns: 200).contains("samples/s"))
        let sixty = ProgressLine.text(state, columns: 60)
        #expect(sixty.contains("[") && sixty.contains("loss 0.1235") && !sixty.contains("samples/s"), "\(sixty)")
        #expect(ProgressLine.text(state, columns: 30).hasPrefix("epoch 12/200   1234/46875"))
    }

    @Test func liveBarFollowsTheInjectedWidthAndEndsWithTheEarlyStop() throws {
        let captured = Captured()
        let display = ProgressDisplay(mode: .automatic, isTerminal: true, columns: { 40 },
                                      output: { captured.text += $0 })
        let stopper = EarlyStopping(monitor: "val_loss", patience: 2, minDelta: 100)
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [stopper, display], progress: .silent)
        let data = blobs(count: 90, seed: 5)
        try trainer.fit(data, validation: data, epochs: 30, batchSize: 30)
        // Every redraw of the bar (after "\r\u{1B}[2K", up to the next one or a newline) fits in 39 columns.
        let redraws = captured.text.components(separatedBy: "\r\u{1B}[2K").dropFirst()
            .map { $0.split(separator: "\n", omittingEmptySubsequences: false)[0] }
            .filter { $0.contains("[") }
        #expect(!redraws.isEmpty)
        for bar in redraws { #expect(bar.count <= 39, "\(bar)") }
        #expect(captured.text.hasSuffix(
            "early stopping at epoch 3 (val_loss did not improve for 2 epochs); weights kept from epoch 1 (best val_loss "
                + String(format: "%.4f", stopper.best) + ")\n"), "\(captured.text)")
    }

    @Test func noBarOffATerminal() throws {
        let captured = Captured()
        let display = ProgressDisplay(mode: .automatic, isTerminal: false, columns: { 80 },
                                      output: { captured.text += $0 })
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [display], progress: .silent)
        try trainer.fit(blobs(count: 90, seed: 5), epochs: 2, batchSize: 30)
        #expect(!captured.text.contains("\r") && !captured.text.contains("["))
        #expect(captured.text.split(separator: "\n").map { $0.hasPrefix("epoch ") } == [true, true])
        #expect(!captured.text.contains("early stopping"))
    }

    @Test func earlyStoppingWithoutRestoreSaysTheLastWeightsAreKept() throws {
        let stopper = EarlyStopping(monitor: "val_loss", patience: 1, minDelta: 100, restoreBestWeights: false)
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [stopper], progress: .silent)
        let data = blobs(count: 60, seed: 5)
        try trainer.fit(data, validation: data, epochs: 10, batchSize: 30)
        #expect(ProgressDisplay.earlyStoppingLine(stopper)
                == "early stopping at epoch 2 (val_loss did not improve for 1 epoch); weights kept from epoch 2, the last (restoring the best weights is off)")
    }
}
