import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Testing
@testable import TrainKitCLICore
import TrainKitTestSupport

/// Hostile configs (deep nesting, alias bombs, huge key counts, long `--set` paths) end quickly with status 2
/// and a message naming the file, line and key path, instead of crashing or stalling the reader.
@Suite struct ConfigLimitTests {
    /// Runs `trainkit train` on `yaml` written to `name` in a fresh directory; returns the result and seconds.
    func train(_ yaml: String, name: String = "config.yaml", extra: [String] = []) throws -> (CLIResult, Double) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try write(yaml, to: name, in: dir)
        let start = Date()
        let result = trainkit(["train", path] + extra)
        return (result, Date().timeIntervalSince(start))
    }

    @Test func d11YAMLNestingDepthLimit() throws {
        let n = 5000
        let flow = "model:\n  hidden: " + String(repeating: "[", count: n) + "16" + String(repeating: "]", count: n) + "\n"
        let (result, seconds) = try train(flow, name: "deep.yaml")
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("deep.yaml:2:"))
        #expect(result.diagnostics.contains("model.hidden: lists and mappings nest more than 64 levels deep"))
        #expect(seconds < Sanitizers.timeLimit(2))

        let block = (0..<200).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect(throws: ConfigError.self) { try ConfigNode.parse(yaml: block, file: "block.yaml") }
        let dashes = "a: " + String(repeating: "- ", count: 200) + "1\n"
        #expect(throws: ConfigError.self) { try ConfigNode.parse(yaml: dashes, file: "dashes.yaml") }

        // Moderate nesting, brackets inside quotes and comments, and block scalars still read.
        let fine = """
            a: \(String(repeating: "[", count: 40))1\(String(repeating: "]", count: 40))
            b: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["  # [[[[[[[[[[[[[[[[[[[[[[
            c: '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'
            d: |
              [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
            e: it's [not a list
            """
        let tree = try ConfigNode.parse(yaml: fine, file: "fine.yaml")
        #expect(tree["e"]?.value == .string("it's [not a list"))
    }

    @Test func d11YAMLAliasBudget() throws {
        var bomb = "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for i in 1..<10 {
            bomb += "a\(i): &a\(i) [\(Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ","))]\n"
        }
        let (result, seconds) = try train(bomb, name: "laughs.yaml")
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("laughs.yaml:"))
        #expect(result.diagnostics.contains("the alias *a"))
        #expect(result.diagnostics.contains("expands past 10000 values"))
        #expect(seconds < Sanitizers.timeLimit(2))

        let small = "base: &base {lr: 0.1, epochs: 3}\nrun: *base\nlist: &l [1, 2]\nagain: *l\n"
        let tree = try ConfigNode.parse(yaml: small, file: "small.yaml")
        #expect(tree["run"] == tree["base"])
        #expect(tree["again"]?.value == .list([ConfigNode(.int(1)), ConfigNode(.int(2))]))
    }

    /// D11 / D14: a config that is a device, a FIFO, a folder or a file too large to be hand-written is refused
    /// before it is read (reading /dev/zero or a FIFO would never end).
    @Test func d11ConfigFileMustBeARegularFileOfBoundedSize() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        for file in ["/dev/zero", fifo, dir.path] {
            let result = trainkit(["train", file])
            #expect(result.status == 2)
            #expect(result.diagnostics.contains("\(file): cannot read: not a regular file"), "\(result.diagnostics)")
        }
        let big = dir.appendingPathComponent("big.yaml")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(ConfigLimits.maxBytes + 1))  // sparse: nothing is written
        try handle.close()
        let result = trainkit(["train", big.path])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("a config may be at most 16 MiB"), "\(result.diagnostics)")
    }

    @Test func d11YAMLKeyCountLimit() throws {
        let keys = (0..<12_000).map { "k\($0): 1\n" }.joined()
        let (result, seconds) = try train(keys, name: "keys.yaml")
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("keys.yaml:10001:1: k10000: the config has more than 10000 keys"))
        #expect(seconds < Sanitizers.timeLimit(2))
    }

    @Test func d11YAMLDuplicateKeyCheckIsLinear() throws {
        let keys = (0..<9_000).map { "k\($0): 1\n" }.joined() + "k5: 2\n"
        let start = Date()
        #expect(throws: ConfigError.syntax(file: "dup.yaml", reason: "key 'k5' appears twice (line 9001)")) {
            try ConfigNode.parse(yaml: keys, file: "dup.yaml")
        }
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(2))
    }

    @Test func d11SetPathComponentLimit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(wineConfig(output: dir.appendingPathComponent("run")), to: "config.yaml", in: dir)
        let key = Array(repeating: "a", count: 20_000).joined(separator: ".")
        let start = Date()
        let result = trainkit(["train", config, "--set", "\(key)=1"])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("the key path has 20000 components; a config nests at most 64 levels"))
        #expect(result.diagnostics.count < 300)
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(2))

        var tree = ConfigNode.emptyMap
        try tree.set(ConfigNode(.int(1)), at: Array(repeating: "a", count: 64))
        let path = Array(repeating: "a", count: 64)
        #expect(throws: ConfigError.wrongType(path: path.joined(separator: "."), expected: "a mapping (to set 'x' inside it)",
                                              got: "the integer 1", location: nil)) {
            try tree.set(ConfigNode(.int(2)), at: path + ["x"])
        }
        let deepValue = trainkit(["train", config, "--set", "model.hidden=" + String(repeating: "[", count: 100)])
        #expect(deepValue.status == 2)
        #expect(deepValue.diagnostics.contains("--set model.hidden: lists and mappings nest more than 64 levels"))
    }

    @Test func d17LongNameListsReadInLinearTime() throws {
        let names = "drop: [" + Array(repeating: "density", count: 200_000).joined(separator: ", ") + "]\n"
        let start = Date()
        let tree = try ConfigNode.parse(yaml: names, file: "drop.yaml")
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(2))
        guard case .list(let items) = tree["drop"]?.value else { Issue.record("not a list"); return }
        #expect(items.count == 200_000)

        // Words that start like a YAML 1.1 null, bool or number still resolve as YAML says.
        let typed = try ConfigNode.parse(yaml: "v: [density, yes, Off, true, null, ~, 1, 1.5, .inf, relu, 'no', étude]",
                                         file: "typed.yaml")
        #expect(typed["v"]?.value == .list([
            ConfigNode(.string("density")), ConfigNode(.bool(true)), ConfigNode(.bool(false)), ConfigNode(.bool(true)),
            ConfigNode(.null), ConfigNode(.null), ConfigNode(.int(1)), ConfigNode(.double(1.5)),
            ConfigNode(.double(.infinity)), ConfigNode(.string("relu")), ConfigNode(.string("no")),
            ConfigNode(.string("étude")),
        ]))
    }
}
