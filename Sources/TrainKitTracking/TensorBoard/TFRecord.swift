import Foundation

/// TFRecord framing, the container of TensorBoard event files (tensorboard's `record_writer.py`): each record is
/// `length: UInt64 LE`, `masked CRC-32C of those 8 bytes: UInt32 LE`, `data`, `masked CRC-32C of data: UInt32 LE`.
public enum TFRecord {
    /// One framed record holding `data`.
    public static func frame(_ data: Data) -> Data {
        var out = Data(capacity: data.count + 16)
        let length = littleEndianBytes(UInt64(data.count))
        out.append(contentsOf: length)
        out.append(contentsOf: littleEndianBytes(CRC32C.masked(length)))
        out.append(data)
        out.append(contentsOf: littleEndianBytes(CRC32C.masked(data)))
        return out
    }

    /// The records of `data`, each checked against both CRCs. A truncated last record (a writer stopped
    /// mid-write) ends the list, as TensorBoard's reader does.
    /// - Throws: ``TrackingError/corruptRecord(offset:reason:)`` naming the byte offset of a bad checksum.
    public static func records(in data: Data) throws -> [Data] {
        let bytes = [UInt8](data)
        var records: [Data] = []
        var offset = 0
        while bytes.count - offset >= 12 {
            let lengthBytes = Array(bytes[offset..<offset + 8])
            let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard readUInt32(bytes, at: offset + 8) == CRC32C.masked(lengthBytes) else {
                throw TrackingError.corruptRecord(offset: offset, reason: "the length's checksum does not match")
            }
            guard length <= UInt64(bytes.count - offset - 16) else { break }  // truncated last record
            let start = offset + 12, end = start + Int(length)
            let payload = Array(bytes[start..<end])
            guard readUInt32(bytes, at: end) == CRC32C.masked(payload) else {
                throw TrackingError.corruptRecord(offset: offset, reason: "the data's checksum does not match")
            }
            records.append(Data(payload))
            offset = end + 4
        }
        return records
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    private static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
