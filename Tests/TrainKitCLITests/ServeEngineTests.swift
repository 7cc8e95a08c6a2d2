import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// The serving engine without HTTP: the strict JSON reader, v2 request parsing, rows through the run's
/// preprocessing (the same predictions as `trainkit predict`), and the batcher's queue, splitting and draining.
/// The HTTP server itself is tested against a running `trainkit serve` by scripts/check-serve.
@Suite struct ServeEngineTests {
    static func body(_ s: String) -> [UInt8] { Array(s.utf8) }

    func error(_ body: String) -> InferenceError? {
        do { _ = try InferenceRequest.parse(Self.body(body)); return nil } catch { return error }
    }

    @Test func strictJSONRefusesWhatJSONDoesNotAllow() throws {
        let cases = ["", "{", "[1,]", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1e999}", "{\"a\":01x}", "[1] 2",
                     "\"\u{01}\"", "{\"a\" 1}", "\"\\ud800\"", String(repeating: "[", count: 40) + String(repeating: "]", count: 40)]
        for text in cases {
            #expect(throws: InferenceError.self, "\(text.prefix(20))") { try InferenceJSON.parse(Self.body(text)) }
        }
        let value = try InferenceJSON.parse(Self.body(" {\"a\": [1, -2.5e2, true, null, \"\\u00e9\\ud83d\\ude00\\n\"]} "))
        #expect(value == .object([("a", .array([.number(1), .number(-250), .bool(true), .null, .string("é😀\n")]))]))
        #expect(InferenceJSON.quoted("a\"b\\\n\u{01}") == "\"a\\\"b\\\\\\n\\u0001\"")
    }

    @Test func numbersReadExactlyAsStrtodReadsThem() throws {
        var rng = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "1", "0.1", "7.4", "0.9978", "1e22", "1e23", "9007199254740993", "123456789012345678901234",
                     "0.000000000000000000000000123", "4.9e-324", "1.7976931348623157e308", "2.2250738585072014e-308",
                     "0.30000000000000004", "1E+5", "12.5e-3", "99999999999999999999e-5"]
        for _ in 0..<2000 {
            let mantissa = UInt64.random(in: 0...UInt64(1) << UInt64.random(in: 1...63), using: &rng)
            let shift = Int.random(in: -30...30, using: &rng)
            texts.append(Bool.random() ? "\(mantissa)e\(shift)" : "\(Double(mantissa) * pow(10, Double(shift)))")
            texts.append(String(format: "%.\(Int.random(in: 0...17))f", Double.random(in: -1000...1000, using: &rng)))
        }
        let parsed = try InferenceJSON.parse(Self.body("[" + texts.joined(separator: ",") + "]"))
        guard case .numbers(let values) = parsed else { Issue.record("not read as numbers"); return }
        for (text, value) in zip(texts, values) {
            #expect(value.bitPattern == strtod(text, nil).bitPattern, "\(text): \(value) vs \(strtod(text, nil))")
        }
    }

    @Test func requestsParseNestedOrFlatDataAndNameEachProblem() throws {
        let nested = try InferenceRequest.parse(Self.body(
            "{\"id\":\"7\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[[1,2],[3,4]]}],\"outputs\":[{\"name\":\"prediction\"}]}"))
        #expect(nested.id == "7" && nested.outputs == ["prediction"])
        #expect(nested.inputs == [InferenceInput(name: "x", shape: [2, 2], datatype: .fp32, values: .numbers([1, 2, 3, 4]))])
        let flat = try InferenceRequest.parse(Self.body("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"))
        #expect(flat.inputs == nested.inputs)
        let problems: [(String, String)] = [
            ("[]", "must be a JSON object"),
            ("{}", "no 'inputs'"),
            ("{\"inputs\":[]}", "non-empty array"),
            ("{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", "needs a non-empty string 'name'"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1]}]}", "holds 1 values, but shape [2] needs 2"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[]}]}", "non-negative integers"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP16\",\"data\":[1]}]}", "datatype 'FP16' is not supported"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[\"a\"]}]}", "element 0 is a string; FP32 takes numbers"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1e300]}]}", "does not fit FP32"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT64\",\"data\":[1.5]}]}", "not an integer"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[1]}]}", "BYTES takes strings"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[100000,100000],\"datatype\":\"FP32\",\"data\":[]}]}", "more than"),
            ("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]},{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", "given twice"),
        ]
        for (text, expected) in problems {
            let e = error(text)
            #expect(e?.status == 400 && e?.message.contains(expected) == true, "\(text) → \(e?.message ?? "accepted")")
        }
    }

    /// A small table run: numeric a, b and a category c; target y (regression) or label (classification).
    func trainedRun(in dir: URL, task: String) throws -> URL {
        let rows = (0..<60).map { i in
            "\(i % 9),\(Double(i % 4) * 0.5),\(["red", "green", "blue"][i % 3]),\(Double(i % 9) * 2 + Double(i % 4)),\(i % 2 == 0 ? "even" : "odd")"
        }
        let csv = try write((["a,b,c,y,label"] + rows).joined(separator: "\n") + "\n", to: "train.csv", in: dir)
        let run = dir.appendingPathComponent("run-\(task)")
        let target = task == "regression" ? "y" : "label"
        let drop = task == "regression" ? "label" : "y"
        let config = """
            data: {train: \(csv), target: \(target), drop: [\(drop)], validation_split: 0, test_split: 0}
            model: {kind: mlp, hidden: [4]}
            training: {task: \(task), epochs: 2, batch_size: 8, progress: silent}
            output: \(run.path)
            """
        let trained = trainkit(["train", try write(config, to: "config-\(task).yaml", in: dir)])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        return run
    }

    @Test func rowsGoThroughTheRunsPreprocessingLikePredict() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for task in ["regression", "classification"] {
            let run = try trainedRun(in: dir, task: task)
            let model = try ServedModel(path: run.path, name: "m")
            #expect(model.inputColumns == ["a", "b", "c"])
            #expect(model.rowDatatype == .bytes)
            // Row form (BYTES: numbers as strings, a category) and column form give the same outputs.
            let rowsRequest = InferenceRequest(inputs: [InferenceInput(name: "input", shape: [2, 3], datatype: .bytes,
                                                                       values: .strings(["1", "0.5", "red", "7", "1.5", "blue"]))])
            let columnsRequest = InferenceRequest(inputs: [
                InferenceInput(name: "a", shape: [2], datatype: .fp64, values: .numbers([1, 7])),
                InferenceInput(name: "b", shape: [2, 1], datatype: .fp32, values: .numbers([0.5, 1.5])),
                InferenceInput(name: "c", shape: [2], datatype: .bytes, values: .strings(["red", "blue"])),
            ])
            let byRows = try model.predict(try model.rows(rowsRequest))
            let byColumns = try model.predict(try model.rows(columnsRequest))
            #expect(byRows == byColumns)
            // The same numbers `trainkit predict` writes for the same rows.
            let csv = try write("a,b,c\n1,0.5,red\n7,1.5,blue\n", to: "new-\(task).csv", in: dir)
            let predicted = trainkit(["predict", run.path, "--data", csv, "--format", "jsonl"])
            #expect(predicted.status == 0, "\(predicted.diagnostics)")
            let lines = predicted.output.split(separator: "\n").map { try! jsonObject(String($0)) }
            if task == "regression" {
                guard case .numbers(let values) = byRows[0].values else { Issue.record("no numbers"); continue }
                for (r, line) in lines.enumerated() { #expect(abs(values[r] - (line["prediction"] as! Double)) < 1e-6) }
            } else {
                #expect(byRows.map(\.name) == ["prediction", "probabilities"])
                guard case .strings(let classes) = byRows[0].values, case .numbers(let p) = byRows[1].values else {
                    Issue.record("wrong outputs"); continue
                }
                for (r, line) in lines.enumerated() {
                    #expect(classes[r] == line["prediction"] as? String)
                    let probabilities = line["probabilities"] as! [String: Double]
                    #expect(abs(p[r * 2] - probabilities["even"]!) < 1e-6)
                }
            }
            // Requests that do not fit the model: each a 400 naming the input, row and column.
            let misfits: [(InferenceRequest, String)] = [
                (InferenceRequest(inputs: [InferenceInput(name: "input", shape: [1, 2], datatype: .fp32, values: .numbers([1, 2]))]), "expected [N, 3]"),
                (InferenceRequest(inputs: [InferenceInput(name: "input", shape: [1, 3], datatype: .bytes, values: .strings(["x", "1", "red"]))]), "row 0 column 'a': 'x' is not a number"),
                (InferenceRequest(inputs: [InferenceInput(name: "a", shape: [1], datatype: .fp32, values: .numbers([1])),
                                           InferenceInput(name: "b", shape: [1], datatype: .fp32, values: .numbers([1]))]), "missing input 'c'"),
                (InferenceRequest(inputs: [InferenceInput(name: "a", shape: [1], datatype: .fp32, values: .numbers([1])),
                                           InferenceInput(name: "zz", shape: [1], datatype: .fp32, values: .numbers([1]))]), "unknown input 'zz'"),
                (InferenceRequest(inputs: [InferenceInput(name: "input", shape: [0, 3], datatype: .fp32, values: .numbers([]))]), "no rows"),
                (InferenceRequest(inputs: [InferenceInput(name: "input", shape: [1, 3], datatype: .fp64, values: .numbers([1e39, 1, 2]))]), "does not fit a 32-bit float"),
            ]
            for (request, expected) in misfits {
                do {
                    _ = try model.rows(request)
                    Issue.record("accepted: \(expected)")
                } catch {
                    #expect(error.status == 400 && error.message.contains(expected), "\(error.message)")
                }
            }
        }
    }

    @Test func batcherSplitsOneModelCallBackIntoItsRequests() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try ServedModel(path: try trainedRun(in: dir, task: "regression").path, name: "m")
        func rows(_ a: [Double]) throws -> DataTable {
            try model.rows(InferenceRequest(inputs: [
                InferenceInput(name: "a", shape: [a.count], datatype: .fp32, values: .numbers(a)),
                InferenceInput(name: "b", shape: [a.count], datatype: .fp32, values: .numbers(a.map { $0 / 4 })),
                InferenceInput(name: "c", shape: [a.count], datatype: .bytes, values: .strings(a.map { _ in "green" })),
            ]))
        }
        let alone = try model.predict(try rows([1, 2, 3, 4, 5, 6]))
        var options = InferenceBatcher.Options()
        options.maxBatch = 6
        options.maxDelay = .milliseconds(200)  // long enough that all three requests meet in one call
        let calls = Calls()
        let batcher = InferenceBatcher(model: model, options: options) { rows, requests, _ in calls.add(rows, requests) }
        async let first = batcher.infer(try rows([1]))
        async let second = batcher.infer(try rows([2, 3]))
        async let third = batcher.infer(try rows([4, 5, 6]))
        let results = try await [first, second, third]
        #expect(results[0] == alone.map { $0.rows(0..<1) })
        #expect(results[1] == alone.map { $0.rows(1..<3) })
        #expect(results[2] == alone.map { $0.rows(3..<6) })
        #expect(calls.all == [(6, 3)].map { Calls.Call(rows: $0.0, requests: $0.1) })
        batcher.shutdown()
        await #expect(throws: InferenceError.unavailable("the server is shutting down")) { try await batcher.infer(try rows([1])) }
    }

    @Test func batcherRefusesAFullQueueAndTimesOutStaleRequests() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try ServedModel(path: try trainedRun(in: dir, task: "regression").path, name: "m")
        let one = try model.rows(InferenceRequest(inputs: [InferenceInput(name: "input", shape: [1, 3], datatype: .bytes,
                                                                          values: .strings(["1", "2", "red"]))]))
        var options = InferenceBatcher.Options()
        options.maxBatch = 10
        options.maxQueue = 2
        options.maxDelay = .milliseconds(300)  // queued requests wait this long for the batch to fill
        options.timeout = .milliseconds(100)   // … longer than they may wait
        let batcher = InferenceBatcher(model: model, options: options)
        let results = Results()
        try batcher.enqueue(one) { results.add($0) }
        try batcher.enqueue(one) { results.add($0) }
        #expect(throws: InferenceError.unavailable("the queue of model 'm' is full (2 requests); retry later")) {
            try batcher.enqueue(one) { _ in }
        }
        try await Task.sleep(for: .milliseconds(450))
        batcher.shutdown()
        let statuses = results.all.map { result -> Int in
            if case .failure(let e as InferenceError) = result { return e.status }
            return 200
        }
        #expect(statuses == [504, 504])
    }
}

private final class Calls: @unchecked Sendable {
    struct Call: Equatable { var rows: Int; var requests: Int }
    private let lock = NSLock()
    private var calls: [Call] = []
    func add(_ rows: Int, _ requests: Int) { lock.withLock { calls.append(Call(rows: rows, requests: requests)) } }
    var all: [Call] { lock.withLock { calls } }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[InferenceOutput], any Error>] = []
    func add(_ r: Result<[InferenceOutput], any Error>) { lock.withLock { results.append(r) } }
    var all: [Result<[InferenceOutput], any Error>] { lock.withLock { results } }
}
