import Foundation
import TrainKit
import TrainKitRegistry

/// `trainkit tune --storage`: the study in a SQL database that workers on several machines share
/// (``SQLStudyStore``), seen by ``Study`` as its ``StudyStorage``.
final class SharedStudyStorage: StudyStorage, @unchecked Sendable {
    let store: SQLStudyStore

    /// Joins study `study` at `location` (`postgres://…` or `sqlite:PATH`), creating it with `configHash`.
    /// - Throws: ``StudyStoreError/configMismatch(study:store:stored:given:)`` when the study holds another config.
    init(location: String, study: String, configHash: String) throws {
        store = try SQLStudyStore(location: location, study: study, configHash: configHash)
    }

    var location: String { "\(store.location) (study '\(store.study)')" }

    func transaction<T>(_ body: ([String]) throws -> (append: [String], result: T)) throws -> T {
        try store.transaction(body)
    }

    func beat(owner: String) throws { try store.beat(owner: owner) }
    func silence() throws -> [String: Double] { try store.silence() }
}
