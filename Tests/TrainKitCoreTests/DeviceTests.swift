import Testing

@testable import TrainKitCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Device names, the backend registry, `TRAINKIT_BACKEND`, moving tensors between devices and the stop on
/// mixing them.
@Suite struct DeviceTests {
    @Test func namesParseToRegisteredDevices() throws {
        #expect(try Device(parsing: "cpu") == .cpu)
        #expect(try Device(parsing: "reference") == .reference)
        #expect(try Device(parsing: "reference:0") == .reference)
        #expect(Device("cpu", ordinal: 2).description == "cpu:2")
        #expect(BackendRegistry.registeredKinds == ["cpu", "reference"])
        #expect(BackendRegistry.backend(for: .cpu) === CPUBackend.shared)
        #expect(BackendRegistry.backend(for: .reference) === ReferenceBackend.shared)
        #expect(BackendRegistry.backend(for: Device("tpu")) == nil)
    }

    @Test(arguments: ["tpu", "", "cpu:", "cpu:x", "cpu:-1", "reference:1", "cpu:0:0", "CPU"])
    func unknownNamesThrowUnknownDevice(_ name: String) {
        #expect(throws: DeviceError.unknownDevice(name, known: ["cpu", "reference"])) { try Device(parsing: name) }
    }

    @Test func unknownDeviceErrorNamesTheKnownBackends() {
        let message = DeviceError.unknownDevice("tpu", known: ["cpu", "reference"]).description
        #expect(message.contains("'tpu'") && message.contains("cpu, reference") && message.contains("TRAINKIT_BACKEND"))
    }

    /// `TRAINKIT_BACKEND` is read once per process, so each setting runs in a child process.
    @Test func environmentVariableChoosesTheDefaultDevice() async {
        await #expect(processExitsWith: .success) {
            setenv("TRAINKIT_BACKEND", "gpu9", 1)
            guard case .failure(.unknownDevice("gpu9", known: ["cpu", "reference"])) = Device.environmentDefault else {
                exit(1)
            }
        }
        await #expect(processExitsWith: .success) {
            setenv("TRAINKIT_BACKEND", "reference", 1)
            guard Device.environmentDefault == .success(.reference), Device.default == .reference,
                Tensor([1, 2] as [Float]).device == .reference
            else { exit(1) }
        }
        await #expect(processExitsWith: .success) {
            unsetenv("TRAINKIT_BACKEND")
            guard Device.environmentDefault == .success(.cpu), Device.default == .cpu else { exit(1) }
        }
    }

    /// An unknown `TRAINKIT_BACKEND` stops the process when the first tensor needs the default device.
    @Test func unknownEnvironmentBackendStopsAtTheFirstTensor() async {
        await #expect(processExitsWith: .failure) {
            setenv("TRAINKIT_BACKEND", "gpu9", 1)
            _ = Tensor([1] as [Float])
        }
    }

    @Test func movingBetweenDevicesKeepsValuesAndDtypes() {
        for dtype in DType.allCases {
            let x = Tensor([3, -1, 0, 7, 2, 5] as [Double], shape: [2, 3]).to(dtype).to(device: .cpu)
            let there = x.T.to(device: .reference)  // a non-contiguous view moves as its values
            #expect(there.device == .reference && there.dtype == dtype && there.shape == [3, 2])
            let back = there.to(device: .cpu)
            #expect(back.device == .cpu)
            #expect(back.toArray(as: Double.self) == x.T.toArray(as: Double.self), "\(dtype)")
            #expect(Tensor.zeros([0], dtype: dtype, like: x).to(device: .reference).count == 0)
        }
    }

    /// Ops run on their inputs' device and leave results there; the gradient of `to(device:)` moves back.
    @Test func gradientFlowsBackThroughToDevice() {
        var x = Tensor([1, -2, 3] as [Double]).to(device: .cpu)
        x.requiresGrad = true
        let y = x.to(device: .reference)
        let z = (y * y).sum()  // dz/dx = 2x
        #expect(z.device == .reference)
        z.backward()
        #expect(x.grad?.device == .cpu)
        #expect(x.grad?.toArray(as: Double.self) == [2, -4, 6])
    }

    @Test func opsOnTheSameDeviceAgreeAcrossDevices() {
        let a = Tensor([0.5, -1.5, 2] as [Double], shape: [3, 1])
        let b = Tensor([1, 2] as [Double], shape: [1, 2])
        let cpu = (a.to(device: .cpu) * b.to(device: .cpu)).softmax(1)
        let reference = (a.to(device: .reference) * b.to(device: .reference)).softmax(1)
        #expect(reference.device == .reference)
        let (p, q) = (cpu.toArray(as: Double.self), reference.to(device: .cpu).toArray(as: Double.self))
        #expect(zip(p, q).allSatisfy { Swift.abs($0 - $1) <= 1e-15 })
    }

    /// Inputs on two devices stop the op with a message naming the op and both devices (in a child process).
    @Test func mixingDevicesInOneOpStops() async {
        let add = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor([1, 2] as [Float]).to(device: .cpu)
            let b = Tensor([3, 4] as [Float]).to(device: .reference)
            _ = a + b
        }
        #if DEBUG  // -O builds stop without printing the precondition's message
            let message = String(decoding: add?.standardErrorContent ?? [], as: UTF8.self)
            #expect(message.contains("add: tensors on different devices (cpu and reference)"), "\(message)")
        #else
            _ = add
        #endif
        let select = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor([1, 2] as [Float]).to(device: .reference)
            _ = x.indexSelect(0, Tensor([0] as [Int64]).to(device: .cpu))
        }
        #if DEBUG
            let selectMessage = String(decoding: select?.standardErrorContent ?? [], as: UTF8.self)
            #expect(
                selectMessage.contains("index_select: tensors on different devices (reference and cpu)"),
                "\(selectMessage)")
        #else
            _ = select
        #endif
    }
}
