import Foundation

/// Artifact folders that no version names: a registration killed after copying the run's files and before its
/// row committed leaves `NAME/.incoming-TOKEN/` (or `NAME/vN-TOKEN/` when it had moved the folder into place).
/// The store never names them, so they are harmless beyond their disk space; `trainkit models gc` removes them.
public struct OrphanedArtifact: Sendable, Equatable, Codable {
    /// The folder, relative to the store's artifact root (`wine/.incoming-1a2b3c4d`).
    public var path: String
    public var bytes: Int64
    /// Its last modification.
    public var modified: Date
}

extension RegistryStore {
    /// The folders under ``RegistryStore/artifactRoot`` that no version names and that were last modified at
    /// least `age` seconds ago (so a registration copying its files right now is left alone).
    public func orphanedArtifacts(olderThan age: TimeInterval, now: Date = Date()) throws -> [OrphanedArtifact] {
        var named = Set<String>()
        for model in try models() {
            for version in try versions(of: model.name) { named.insert(version.artifactPath) }
        }
        let fm = FileManager.default
        var orphans: [OrphanedArtifact] = []
        let models = (try? fm.contentsOfDirectory(atPath: artifactRoot.path)) ?? []
        for model in models.sorted() {
            let folder = artifactRoot.appendingPathComponent(model)
            guard Self.isDirectory(folder) else { continue }
            for child in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
                let relative = "\(model)/\(child)"
                let url = folder.appendingPathComponent(child)
                guard !named.contains(relative), Self.isDirectory(url),
                      child.hasPrefix(".incoming-") || child.range(of: #"^v[0-9]+-[0-9a-f]+$"#, options: .regularExpression) != nil
                else { continue }
                let modified = Self.latestModification(url)
                guard now.timeIntervalSince(modified) >= age else { continue }
                orphans.append(OrphanedArtifact(path: relative, bytes: Self.size(url), modified: modified))
            }
        }
        return orphans
    }

    /// Removes `orphans` (as ``orphanedArtifacts(olderThan:now:)`` listed them).
    public func removeOrphanedArtifacts(_ orphans: [OrphanedArtifact]) throws {
        for orphan in orphans {
            do {
                try FileManager.default.removeItem(at: artifactRoot.appendingPathComponent(orphan.path))
            } catch {
                throw RegistryError.invalid("cannot remove the orphaned artifact folder \(artifactRoot.appendingPathComponent(orphan.path).path): \(error)")
            }
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The newest modification time of the folder and everything in it (a copy in progress touches its files).
    private static func latestModification(_ url: URL) -> Date {
        let fm = FileManager.default
        var latest = (try? fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
        if let walker = fm.enumerator(at: url, includingPropertiesForKeys: [.contentModificationDateKey]) {
            for case let file as URL in walker {
                if let date = try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate {
                    latest = max(latest, date)
                }
            }
        }
        return latest
    }

    /// The bytes of the regular files in the folder.
    private static func size(_ url: URL) -> Int64 {
        var total: Int64 = 0
        if let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
            for case let file as URL in walker {
                guard let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]),
                      values.isRegularFile == true else { continue }
                total += Int64(values.fileSize ?? 0)
            }
        }
        return total
    }
}
