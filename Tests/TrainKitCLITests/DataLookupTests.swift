import Foundation
import Testing
@testable import TrainKitCLICore

/// Data files are looked up beside the config, then in --data-dir and TRAINKIT_DATA; a missing one names the
/// file, every place searched and, for an example dataset, where to get it.
@Suite struct DataLookupTests {
    @Test func candidatesDropLeadingFoldersInEachDataFolder() {
        let lookup = DataLookup(dataDirectories: ["/d1"], environment: ["TRAINKIT_DATA": "/e1::/e2"])
        #expect(lookup.folders == [.init(path: "/d1", origin: "--data-dir"), .init(path: "/e1", origin: "TRAINKIT_DATA"),
                                   .init(path: "/e2", origin: "TRAINKIT_DATA")])
        let places = lookup.candidates("../../shared/datasets/adult/adult.data", base: "/repo/Examples/configs").map(\.path)
        #expect(places.first == "/repo/shared/datasets/adult/adult.data")
        #expect(Array(places.prefix(5)) == ["/repo/shared/datasets/adult/adult.data", "/d1/shared/datasets/adult/adult.data",
                                            "/d1/datasets/adult/adult.data", "/d1/adult/adult.data", "/d1/adult.data"])
        #expect(places.contains("/e2/adult/adult.data"))
        #expect(places.count == 1 + 3 * 4)
        let plain = DataLookup(dataDirectories: [], environment: [:])
        #expect(plain.candidates("/abs/x.csv", base: "/elsewhere").map(\.path) == ["/abs/x.csv"])
    }

    @Test func dataFolderFindsAFileTheConfigDoesNotHave() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data/wine-quality")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bundledWine, toPath: data.appendingPathComponent("winequality-red.csv").path)
        let configs = dir.appendingPathComponent("configs")
        try FileManager.default.createDirectory(at: configs, withIntermediateDirectories: true)
        let text = wineConfig(epochs: 1, output: dir.appendingPathComponent("run"))
            .replacingOccurrences(of: bundledWine, with: "../../datasets/wine-quality/winequality-red.csv")
        let config = try write(text, to: "wine.yaml", in: configs)

        let missing = trainkit(["train", config])
        #expect(missing.status == 2)
        #expect(missing.diagnostics.contains("wine.yaml:3:10: data.train: no such file or directory: "), "\(missing.diagnostics)")
        #expect(missing.diagnostics.contains("(beside the config)"))
        #expect(missing.diagnostics.contains("https://archive.ics.uci.edu/dataset/186/wine+quality"))
        #expect(missing.diagnostics.contains("--data-dir"))

        let found = trainkit(["train", config, "--data-dir", dir.appendingPathComponent("data").path])
        #expect(found.status == 0, "\(found.diagnostics)")
        let resolved = try String(contentsOf: dir.appendingPathComponent("run/config.yaml"), encoding: .utf8)
        #expect(resolved.contains("train: \(data.appendingPathComponent("winequality-red.csv").path)"))

        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let stillMissing = trainkit(["cv", config, "--data-dir", empty.path])
        #expect(stillMissing.status == 2)
        #expect(stillMissing.diagnostics.contains("\(empty.path)/wine-quality/winequality-red.csv (--data-dir \(empty.path))"),
                "\(stillMissing.diagnostics)")
        #expect(stillMissing.diagnostics.contains("put it in one of the data folders above"))
    }

    @Test func environmentFolderIsSearched() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("adult"), withIntermediateDirectories: true)
        try write("x\n1\n", to: "adult/adult.data", in: dir)
        let lookup = DataLookup(dataDirectories: [], environment: ["TRAINKIT_DATA": dir.path])
        let found = try lookup.locate("../../../shared/datasets/adult/adult.data", base: "/nonexistent/a/b", key: "data.train",
                                      location: nil)
        #expect(found == dir.appendingPathComponent("adult/adult.data").path)
        #expect(throws: ConfigError.self) {
            try lookup.locate("adult.test", base: "/nonexistent", key: "data.test", location: nil)
        }
        do {
            _ = try lookup.locate("unknown/file.csv", base: "/nonexistent", key: "data.test", location: nil)
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("data.test: no such file or directory: /nonexistent/unknown/file.csv"))
            #expect(text.contains("(TRAINKIT_DATA \(dir.path))") && !text.contains("https://"))
        }
    }
}
