import Foundation
import Testing

@testable import TrainKit

@Suite struct StudyJournalTests {
    static let space = try! SearchSpace(["x": .uniform(low: 0, high: 1), "n": .int(low: 1, high: 1000)])

    static func lines(_ url: URL) -> [String] {
        String(decoding: FileManager.default.contents(atPath: url.path)!, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// A crash, simulated: two finished trials, then two trials left running by processes that are gone (an
    /// earlier Study object of this process; a pid that no longer exists) and a half-written last line. The
    /// reopened study keeps the finished trials, never reruns them, retries the interrupted parameters first and
    /// reports the truncated line.
    @Test func journalSurvivesACrash() throws {
        let url = temporaryDirectory("journal-crash").appendingPathComponent("study.jsonl")
        do {
            let first = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), journal: url)
            try first.optimize(trials: 2) { t in ["loss": t.double("x")] }
            // What the process was doing when it died: trial 2 started (by this Study object) and reported once.
            let start0 = Self.lines(url).first { $0.contains("\"event\":\"start\"") }!
            let trial2 = start0.replacingOccurrences(of: "\"trial\":0", with: "\"trial\":2")
                .replacingOccurrences(of: #""x":[0-9.e-]+"#, with: "\"x\":0.123", options: .regularExpression)
            let trial3 = trial2.replacingOccurrences(of: "\"trial\":2", with: "\"trial\":3")
                .replacingOccurrences(of: #""pid":[0-9]+"#, with: "\"pid\":99999999", options: .regularExpression)
                .replacingOccurrences(of: "\"x\":0.123", with: "\"x\":0.456")
            try Self.append(
                trial2 + "\n" + #"{"event":"report","epoch":0,"trial":2,"value":0.5}"# + "\n" + trial3 + "\n"
                    + #"{"event":"report","epoch":0,"tri"#, to: url)
        }  // the first Study object is gone, as its process would be

        let before = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), journal: url)
        let finished = before.trials.filter(\.isFinished)
        #expect(
            finished.map(\.number) == [0, 1]
                && before.trials.map(\.state) == [.complete, .complete, .running, .running])
        #expect(before.problems.contains { $0.contains("truncated last line") }, "\(before.problems)")

        let calls = Calls()
        let result = try before.optimize(trials: 5) { t in
            calls.append(t.params)
            return ["loss": t.double("x")]
        }
        let trials = result.trials
        #expect(trials.map(\.number) == Array(0..<7))
        #expect(Array(trials[0..<2]) == finished)  // kept as they were
        #expect(trials[2].state == .failed && trials[2].interrupted && trials[3].interrupted)
        #expect(trials[2].intermediate == [0: 0.5])
        #expect(trials[4].retryOf == 2 && trials[5].retryOf == 3 && trials[6].retryOf == nil)
        let ran = calls.values
        #expect(ran.count == 3)
        #expect(ran[0]["x"] == .double(0.123) && ran[1]["x"] == .double(0.456))
        #expect(!ran.contains { p in finished.contains { $0.params == p } })  // finished trials are not rerun
        #expect(result.counts == ["complete": 5, "pruned": 0, "failed": 2, "running": 0])

        // Reopened again: nothing left to run; the old truncated line is now one unreadable line.
        let again = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), journal: url)
        let calledAgain = Calls()
        try again.optimize(trials: 5) { t in
            calledAgain.append(t.params)
            return ["loss": 0]
        }
        #expect(calledAgain.values.isEmpty)
        #expect(again.trials == trials)
        #expect(again.problems.count == 1 && again.problems[0].contains("unreadable line ignored"), "\(again.problems)")
        let decodable = Self.lines(url).filter { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }
        #expect(decodable.count == Self.lines(url).count - 1)
    }

    /// D16: a journal whose study line is gone (deleted, or torn by a crash during the first write) is adopted
    /// only by a study whose space holds its trials' parameters and whose metric is their value; another study
    /// is refused as when the line is present.
    @Test func d16HeaderlessJournalOfAnotherStudy() throws {
        for damage in ["lost", "torn"] {
            let url = temporaryDirectory("journal-headerless-\(damage)").appendingPathComponent("study.jsonl")
            try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), journal: url)
                .optimize(trials: 3) { t in ["loss": t.double("x"), "accuracy": 1 - t.double("x")] }
            var lines = Self.lines(url)
            lines[0] = damage == "lost" ? "" : String(lines[0].prefix(20))
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)

            let wider = try SearchSpace(["x": .uniform(low: 0, high: 1), "n": .int(low: 1, high: 1000),
                                         "dropout": .uniform(low: 0, high: 0.3)])
            #expect(throws: SelectionError.self) { try Study(space: wider, metric: "loss", journal: url) }
            do { _ = try Study(space: Self.space, metric: "accuracy", journal: url) } catch {
                #expect("\(error)".contains("no readable study line") && "\(error)".contains("another metric"),
                        "\(error)")
            }
            #expect(throws: SelectionError.self) { try Study(space: Self.space, metric: "accuracy", journal: url) }

            let adopted = try Study(space: Self.space, metric: "loss", journal: url)
            #expect(adopted.trials.count == 3 && adopted.trials.allSatisfy { $0.state == .complete })
            #expect(throws: SelectionError.self) { try Study(space: wider, metric: "loss", journal: url) }
        }
    }

    @Test func aJournalForAnotherSpaceIsRefused() throws {
        let url = temporaryDirectory("journal-space").appendingPathComponent("study.jsonl")
        _ = try Study(space: Self.space, metric: "loss", journal: url)
        #expect(throws: SelectionError.self) { try Study(space: Self.space, metric: "accuracy", journal: url) }
        let other = try SearchSpace(["x": .uniform(low: 0, high: 2)])
        #expect(throws: SelectionError.self) { try Study(space: other, metric: "loss", journal: url) }

        // A choice of whole-number doubles reads back from JSON as ints; the space and the params still match.
        let choiceURL = temporaryDirectory("journal-choice").appendingPathComponent("study.jsonl")
        let choices = try SearchSpace(["scale": .choice([.double(1), .double(0.5)])])
        try Study(space: choices, metric: "loss", sampler: GridSampler(), journal: choiceURL).optimize(trials: 2) { t in
            ["loss": t.double("scale")]
        }
        let reopened = try Study(space: choices, metric: "loss", journal: choiceURL)
        #expect(reopened.trials.map { $0.params["scale"]! } == [.double(1), .double(0.5)])
    }

    /// Two journal handles (as two processes would have) append long lines at once from two threads; every line
    /// stays whole and each writer's lines keep their order.
    @Test func concurrentAppendsDoNotInterleave() throws {
        let url = temporaryDirectory("journal-append").appendingPathComponent("study.jsonl")
        let padding = String(repeating: "p", count: 20_000)  // lines far beyond a pipe's atomic-write size
        let group = DispatchGroup()
        let errors = Calls()
        for writer in 0..<2 {
            group.enter()
            Thread {
                do {
                    let journal = try StudyJournal(url: url)
                    for i in 0..<150 {
                        try journal.transaction { _ in
                            (
                                [
                                    JournalEvent(
                                        event: .finish, trial: writer * 1000 + i, state: .failed, error: padding)
                                ], ()
                            )
                        }
                    }
                } catch { errors.append(["error": .string("\(error)")]) }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(errors.values.isEmpty)
        let lines = Self.lines(url)
        #expect(lines.count == 300)
        let decoded = try lines.map { try JSONDecoder().decode(JournalEvent.self, from: Data($0.utf8)) }
        #expect(decoded.allSatisfy { $0.error == padding })
        for writer in 0..<2 {
            let numbers = decoded.compactMap(\.trial).filter { $0 / 1000 == writer }
            #expect(numbers == (0..<150).map { writer * 1000 + $0 })
        }
    }

    /// Two Study objects (two workers of one study, as two processes would be) share one journal: trial numbers
    /// are unique, the budget is shared, and every trial has exactly one start and one finish line.
    @Test func twoWorkersShareOneStudy() throws {
        let url = temporaryDirectory("journal-share").appendingPathComponent("study.jsonl")
        let group = DispatchGroup()
        let errors = Calls()
        for worker in 0..<2 {
            group.enter()
            Thread {
                do {
                    let study = try Study(
                        space: Self.space, metric: "loss", sampler: TPESampler(seed: UInt64(worker), startupTrials: 4),
                        pruner: ASHAPruner(), journal: url)
                    try study.optimize(trials: 24, parallel: 2) { t in
                        for epoch in 0..<3 where t.report(epoch: epoch, value: t.double("x") / Double(epoch + 1)) {
                            break
                        }
                        return ["loss": t.double("x") / 3]
                    }
                } catch { errors.append(["error": .string("\(error)")]) }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(errors.values.isEmpty, "\(errors.values)")
        let study = try Study(space: Self.space, metric: "loss", journal: url)
        #expect(study.trials.map(\.number) == Array(0..<24))
        #expect(study.trials.allSatisfy { $0.isFinished })
        #expect(study.problems.isEmpty)
        let events = try Self.lines(url).map { try JSONDecoder().decode(JournalEvent.self, from: Data($0.utf8)) }
        #expect(events.filter { $0.event == .study }.count == 1)
        for n in 0..<24 {
            #expect(events.count { $0.event == .start && $0.trial == n } == 1)
            #expect(events.count { $0.event == .finish && $0.trial == n } == 1)
        }
        #expect(Set(study.trials.compactMap { $0.owner?.id }).count == 2)
    }
}

/// A thread-safe list for recording from objectives.
final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [[String: ParameterValue]] = []
    func append(_ item: [String: ParameterValue]) { lock.withLock { items.append(item) } }
    var values: [[String: ParameterValue]] { lock.withLock { items } }
}
