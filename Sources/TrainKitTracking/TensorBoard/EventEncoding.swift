import Foundation
import SwiftProtobuf

// The TensorBoard messages (`Tensorboard_Event`, `Tensorboard_Summary`, `Tensorboard_Hparams_*`) are swift-protobuf's,
// generated from the committed Sources/TrainKitTracking/Protos/*.proto into Generated/*.pb.swift by
// scripts/generate-protos (run by hand when a .proto changes; builds and CI do not run protoc). The hparams map
// values are the SwiftProtobuf module's own `Google_Protobuf_Value`.

extension SwiftProtobuf.Message {
    /// The message's wire-format bytes, deterministic: map entries (`SessionStartInfo.hparams`) sorted by key, so
    /// the same run writes the same bytes.
    /// - Throws: swift-protobuf's `BinaryEncodingError`, only for missing `required` fields or an `Any`, which the
    ///   TensorBoard protos (proto3) do not have; ``EventFileWriter`` reports it as a ``TrackingError``.
    func deterministicData() throws -> Data {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try serializedData(options: options)
    }
}
