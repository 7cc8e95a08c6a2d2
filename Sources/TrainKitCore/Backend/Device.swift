#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a tensor's storage lives and which backend runs its ops: a backend name and an ordinal
/// (`cpu`, `reference`, later e.g. `cuda:1`).
///
/// Every op runs on its inputs' device and leaves its result there; inputs on two devices are an error that
/// names both. ``Tensor/to(device:)`` moves data. New tensors go to ``Device/default``: `cpu`, or what the
/// environment variable `TRAINKIT_BACKEND` names (`TRAINKIT_BACKEND=reference` runs a whole process on the
/// reference backend).
public struct Device: Hashable, Sendable, CustomStringConvertible {
    /// The backend's name (`cpu`, `reference`).
    public let kind: String
    /// Which device of that kind (0 for the host backends).
    public let ordinal: Int

    public init(_ kind: String, ordinal: Int = 0) {
        self.kind = kind
        self.ordinal = ordinal
    }

    /// The CPU: the C kernels (SIMD, every core, BLAS when found).
    public static let cpu = Device("cpu")
    /// The reference backend: one plain Swift loop per primitive, no SIMD, no threads. Slow, and the oracle
    /// every other backend is tested against.
    public static let reference = Device("reference")

    /// `cpu`, or `cpu:0` style with an ordinal.
    public var description: String { ordinal == 0 ? kind : "\(kind):\(ordinal)" }

    /// The device a spelling like `cpu`, `reference` or `cpu:0` names.
    /// - Throws: ``DeviceError/unknownDevice(_:known:)`` for a name no registered backend has, or a malformed
    ///   ordinal.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let kind = String(parts[0])
        var ordinal = 0
        if parts.count == 2, let n = Int(parts[1]), n >= 0 { ordinal = n } else if parts.count != 1 {
            throw DeviceError.unknownDevice(text, known: BackendRegistry.registeredKinds)
        }
        let device = Device(kind, ordinal: ordinal)
        guard BackendRegistry.backend(for: device) != nil else {
            throw DeviceError.unknownDevice(text, known: BackendRegistry.registeredKinds)
        }
        self = device
    }

    /// The device new tensors are created on: `TRAINKIT_BACKEND` when set (read once), else `cpu`.
    /// An unknown `TRAINKIT_BACKEND` stops the process with a message naming it; command-line tools check
    /// ``environmentDefault`` first and exit with a usage error instead.
    public static var `default`: Device { BackendRegistry.defaultBackend.device }

    /// What `TRAINKIT_BACKEND` asks for: `.success(.cpu)` when unset or empty, the named device, or the error
    /// for an unknown name.
    public static var environmentDefault: Result<Device, DeviceError> {
        guard let raw = getenv("TRAINKIT_BACKEND").map({ String(cString: $0) }), !raw.isEmpty else {
            return .success(.cpu)
        }
        do { return .success(try Device(parsing: raw)) } catch let error as DeviceError {
            return .failure(error)
        } catch { return .failure(.unknownDevice(raw, known: BackendRegistry.registeredKinds)) }
    }
}

/// Errors about devices and backends.
public enum DeviceError: Error, CustomStringConvertible, Equatable {
    /// A device name (from `TRAINKIT_BACKEND`, a config or code) that no backend has.
    case unknownDevice(String, known: [String])

    public var description: String {
        switch self {
        case .unknownDevice(let name, let known):
            "unknown device '\(name)' (TRAINKIT_BACKEND or a device name): known backends are \(known.joined(separator: ", "))"
        }
    }
}

/// The backends of this process, by device. `cpu` and `reference` are always there; a backend target adds
/// its own with ``register(_:)`` before creating tensors on it.
package enum BackendRegistry {
    private static let lock = RegistryLock()
    nonisolated(unsafe) private static var backends: [Device: any Backend] = [
        .cpu: CPUBackend.shared, .reference: ReferenceBackend.shared,
    ]

    /// Makes `backend` the one for its device.
    package static func register(_ backend: any Backend) {
        lock.withLock { backends[backend.device] = backend }
    }

    /// The backend running `device`, or nil.
    package static func backend(for device: Device) -> (any Backend)? {
        lock.withLock { backends[device] }
    }

    /// The registered backend names, sorted.
    package static var registeredKinds: [String] {
        lock.withLock { Array(Set(backends.keys.map(\.kind))).sorted() }
    }

    /// The backend of ``Device/default``, resolved once.
    package static let defaultBackend: any Backend = {
        switch Device.environmentDefault {
        case .success(let device): return backend(for: device)!
        case .failure(let error): fatalError("TrainKit: \(error)")
        }
    }()

    /// The backend for `device`, or a stop naming the device.
    package static func require(_ device: Device) -> any Backend {
        guard let backend = backend(for: device) else {
            fatalError("TrainKit: \(DeviceError.unknownDevice(device.description, known: registeredKinds))")
        }
        return backend
    }
}

/// A mutex around the registry (registration is rare; lookups happen when a device is named, not per op).
private final class RegistryLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
