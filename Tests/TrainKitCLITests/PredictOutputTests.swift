import Foundation
import Testing
@testable import TrainKitCLICore

/// `predict --output` never replaces the data it reads.
@Suite struct PredictOutputTests {
    @Test func d18PredictOutputOverDataIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try UnlabelledPredictTests().trainedRun(in: dir)
        let text = "a,b\n1,2\n3,0\n"
        let data = try write(text, to: "new.csv", in: dir)
        let link = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: data)
        for output in [data, link, dir.path + "/./new.csv"] {
            let result = trainkit(["predict", run.path, "--data", data, "--output", output])
            #expect(result.status == 2)
            #expect(result.diagnostics.contains(output) && result.diagnostics.contains(data))
            #expect(try String(contentsOfFile: data, encoding: .utf8) == text)
        }
        let elsewhere = trainkit(["predict", run.path, "--data", link, "--output", dir.appendingPathComponent("out.csv").path])
        #expect(elsewhere.status == 0, "\(elsewhere.diagnostics)")
    }
}
