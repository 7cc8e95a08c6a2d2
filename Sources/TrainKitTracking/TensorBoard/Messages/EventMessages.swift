import Foundation
import TrainKitIO

// TensorBoard's `Event` records, hand-declared from the committed `Sources/TrainKitTracking/Protos/event.proto`
// (field numbers and wire types) and written by ``ProtobufWriter``. Only the fields TrainKit writes are declared.
// The names follow the `.proto` package (`tensorboard.Event` → `Tensorboard_Event`).

/// `tensorboard.Event`: a wall time, a step and one of a file version, a summary or a session log.
struct Tensorboard_Event: ProtobufMessage, Equatable {
    /// The `what` oneof.
    enum What: Equatable, Sendable {
        case fileVersion(String)
        case summary(Tensorboard_Summary)
        case sessionLog(Tensorboard_SessionLog)
    }

    var wallTime: Double = 0
    var step: Int64 = 0
    var what: What?
    private var _sourceMetadata: Tensorboard_SourceMetadata?

    init() {}

    var fileVersion: String {
        get { if case .fileVersion(let v) = what { v } else { "" } }
        set { what = .fileVersion(newValue) }
    }

    var summary: Tensorboard_Summary {
        get { if case .summary(let v) = what { v } else { Tensorboard_Summary() } }
        set { what = .summary(newValue) }
    }

    var sessionLog: Tensorboard_SessionLog {
        get { if case .sessionLog(let v) = what { v } else { Tensorboard_SessionLog() } }
        set { what = .sessionLog(newValue) }
    }

    var sourceMetadata: Tensorboard_SourceMetadata {
        get { _sourceMetadata ?? Tensorboard_SourceMetadata() }
        set { _sourceMetadata = newValue }
    }

    func encode(to writer: inout ProtobufWriter) {
        if wallTime != 0 { writer.double(1, wallTime) }
        if step != 0 { writer.int64(2, step) }
        switch what {
        case .fileVersion(let v): writer.string(3, v)
        case .summary(let v): writer.message(5, v)
        case .sessionLog(let v): writer.message(7, v)
        case nil: break
        }
        if let _sourceMetadata { writer.message(10, _sourceMetadata) }
    }
}

/// `tensorboard.SessionLog`: here only its status (START marks a restart, PyTorch's `purge_step`).
struct Tensorboard_SessionLog: ProtobufMessage, Equatable {
    enum SessionStatus: UInt64, Sendable {
        case statusUnspecified = 0, start = 1, stop = 2, checkpoint = 3
    }

    var status: SessionStatus = .statusUnspecified

    func encode(to writer: inout ProtobufWriter) {
        if status != .statusUnspecified { writer.uint64(1, status.rawValue) }
    }
}

/// `tensorboard.SourceMetadata`: the program that wrote the file.
struct Tensorboard_SourceMetadata: ProtobufMessage, Equatable {
    var writer = ""

    func encode(to writer: inout ProtobufWriter) {
        if !self.writer.isEmpty { writer.string(1, self.writer) }
    }
}
