import TrainKitCore

/// Whether ops with a fused kernel use it. Such ops (``fusedConv2d(_:weight:bias:geometry:relu:)``, layer and
/// group norm, the LSTM recurrence) ask their inputs' backend for the kernel (`Backend.fusedConvolution`,
/// `fusedLayerNorm`, `fusedLSTM`) and compose primitives when it has none, so a backend with only the
/// primitives runs every model. Tests switch the fused kernels off for one scope to run the composed path on
/// the same backend and compare the two:
///
/// ```swift
/// let composed = FusedPath.$isEnabled.withValue(false) { model(x) }
/// ```
enum FusedPath {
    /// True unless a test turned the fused kernels off for the current task.
    @TaskLocal static var isEnabled = true
}

/// `kernels` (a backend's optional fused kernels) when fused kernels are enabled here, else nil.
@inline(__always)
func fused<Kernels>(_ kernels: Kernels?) -> Kernels? {
    FusedPath.isEnabled ? kernels : nil
}
