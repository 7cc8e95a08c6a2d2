import Foundation
import Testing
@testable import TrainKitCLICore

/// `trainkit models gc`: artifact folders no version names (a registration killed before it committed) are
/// listed and removed once nothing touched them for `--older-than`; a version's own folder never is.
@Suite struct RegistryGCTests {
    @Test func orphanedFoldersAreRemovedAndVersionsKeepTheirArtifacts() throws {
        let (dir, run, store) = try RegistryCLITests.trainedRun()
        #expect(trainkit(["models", "register", run.path, "--name", "wine", "--store", store]).status == 0)
        let artifacts = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".artifacts") })
        let root = dir.appendingPathComponent(artifacts).appendingPathComponent("wine")
        let versionFolder = try #require(try FileManager.default.contentsOfDirectory(atPath: root.path).first { $0.hasPrefix("v1-") })
        // What killed registrations leave: a half-copied incoming folder and a folder moved into place whose row
        // never committed; an hour old. A fresh incoming folder is a registration copying right now.
        let old = Date().addingTimeInterval(-7200)
        for name in [".incoming-0a1b2c3d", "v2-deadbeef", ".incoming-fresh000"] {
            let folder = root.appendingPathComponent(name).appendingPathComponent("model")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(repeating: 7, count: 1000).write(to: folder.appendingPathComponent("weights.safetensors"))
            if name != ".incoming-fresh000" {
                for url in [folder.appendingPathComponent("weights.safetensors"), folder, folder.deletingLastPathComponent()] {
                    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: url.path)
                }
            }
        }
        let dry = trainkit(["models", "gc", "--dry-run", "--store", store, "--json"])
        #expect(dry.status == 0, "\(dry.diagnostics)")
        let listed = try jsonObject(dry.output)
        let paths = (listed["folders"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths == ["wine/.incoming-0a1b2c3d", "wine/v2-deadbeef"], "\(paths)")
        #expect(listed["bytes"] as? Int == 2000)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("v2-deadbeef").path), "a dry run removes nothing")

        let removed = trainkit(["models", "gc", "--store", store])
        #expect(removed.status == 0 && removed.output.contains("2 orphaned artifact folders"), "\(removed.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(left == [".incoming-fresh000", versionFolder], "\(left)")
        // The registered version still predicts from its artifacts.
        let predicted = try TrainkitProcess(["predict", "wine@1", "--data", bundledWine], logs: dir, name: "predict",
                                            environment: ["TRAINKIT_STORE": store])
        #expect(predicted.wait() == 0, "\(predicted.diagnostics)")
    }
}
