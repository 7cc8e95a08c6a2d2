import Foundation
import Testing

/// The user-facing documentation stands alone: a user who clones the repository has no `../shared` folder, so
/// no page may send them there, and every relative link must reach a file in the repository.
struct DocsTests {
    /// README.md, BENCHMARKS.md, docs/*.md and the example configs' README, relative to the repository root.
    static var pages: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("docs").path)) ?? []
        return ["README.md", "BENCHMARKS.md", "Examples/configs/README.md"]
            + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
    }

    static func text(_ page: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(page), encoding: .utf8)
    }

    @Test func pagesAreFound() {
        #expect(Self.pages.contains("docs/datasets.md") && Self.pages.count > 8, "\(Self.pages)")
    }

    @Test(arguments: pages) func noPagePointsIntoTheSharedFolder(page: String) throws {
        let lines = try Self.text(page).split(separator: "\n", omittingEmptySubsequences: false)
        let offending = lines.enumerated().filter { $0.element.contains("../shared") }.map { "\(page):\($0.offset + 1): \($0.element)" }
        #expect(offending.isEmpty, "a clone has no ../shared folder; name the official source instead (docs/datasets.md):\n\(offending.joined(separator: "\n"))")
    }

    @Test(arguments: pages) func relativeLinksReachFiles(page: String) throws {
        let folder = repositoryRoot.appendingPathComponent(page).deletingLastPathComponent()
        var missing: [String] = []
        for match in try Self.text(page).matches(of: #/\]\(([^)\s]+)\)/#) {
            let target = String(match.output.1)
            if target.contains("://") || target.hasPrefix("#") || target.hasPrefix("mailto:") { continue }
            let path = String(target.split(separator: "#", maxSplits: 1)[0])
            if !FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) { missing.append(target) }
        }
        #expect(missing.isEmpty, "\(page) links to files that are not in the repository: \(missing)")
    }

    @Test func everyExampleDatasetHasItsSourceAndChecksums() throws {
        let page = try Self.text("docs/datasets.md")
        for folder in ["wine-quality", "adult", "bike-sharing", "sms-spam-collection", "banking77", "restaurant-consumer",
                       "mnist", "fashion-mnist"] {
            let row = page.split(separator: "\n").first { $0.hasPrefix("| `\(folder)` |") }
            #expect(row?.contains("<https://") == true, "\(folder): no official source URL")
            #expect(page.contains(try Regex("[0-9a-f]{64}  \(folder)/")), "\(folder): no SHA-256")
        }
        #expect(page.contains("--data-dir") && page.contains("TRAINKIT_DATA"))
    }
}
