import TrainKitCore
import TrainKitNN

/// A basic residual block (He et al., 2016): `y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`.
///
/// `conv1` is 3×3 with `stride`, `conv2` 3×3 with stride 1, both without bias (batch norm follows). The
/// shortcut is the identity when the shape is kept, else a 1×1 convolution with `stride` and batch norm.
/// Shapes: `[N, inChannels, H, W]` → `[N, outChannels, ⌈H/stride⌉, ⌈W/stride⌉]`.
public final class ResidualBlock: Layer {
    public let moduleState = ModuleState()
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    public let shortcut: Sequential?

    public init(_ inChannels: Int, _ outChannels: Int, stride: Int = 1) {
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, stride: Size2d(stride, stride), padding: 1, bias: false)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2d(outChannels)
        shortcut = stride == 1 && inChannels == outChannels ? nil
            : Sequential([Conv2d(inChannels, outChannels, kernelSize: 1, stride: Size2d(stride, stride), bias: false),
                          BatchNorm2d(outChannels)])
    }

    public func forward(_ x: Tensor) -> Tensor {
        let y = bn2(conv2(bn1(conv1(x)).relu()))
        return (y + (shortcut.map { $0(x) } ?? x)).relu()
    }
}

/// A small residual network for images (model kind `resnet`): a 3×3 stem convolution to `channels[0]`
/// with batch norm and ReLU, then per entry of `channels` a stage of `blocksPerStage` ``ResidualBlock``s
/// (the first block of every stage after the first halves the resolution with stride 2), global average
/// pooling and the MLP head.
///
/// Shapes: `[N, C, H, W]` → `[N, outputs]`. With `channels: [16, 32, 64]` and one block per stage it has
/// about 75k convolution weights (a CIFAR-style ResNet-8).
public final class ResidualNet: Layer {
    public let moduleState = ModuleState()
    public let stem: Sequential
    public let stages: [ResidualBlock]
    public let head: Sequential

    /// - Parameters:
    ///   - inChannels: the image channels `C`.
    ///   - channels: the width of each stage (stage `s > 0` halves the resolution).
    ///   - blocksPerStage: residual blocks per stage (>= 1).
    ///   - head: builds the classifier from the last stage's width (after global average pooling).
    public init(inChannels: Int, channels: [Int], blocksPerStage: Int, head: (Int) -> Sequential) {
        precondition(!channels.isEmpty && blocksPerStage >= 1, "ResidualNet: needs channels and >= 1 block per stage")
        stem = Sequential([Conv2d(inChannels, channels[0], kernelSize: 3, padding: 1, bias: false),
                           BatchNorm2d(channels[0]), ReLU()])
        var blocks: [ResidualBlock] = []
        var width = channels[0]
        for (s, out) in channels.enumerated() {
            for b in 0..<blocksPerStage {
                blocks.append(ResidualBlock(width, out, stride: s > 0 && b == 0 ? 2 : 1))
                width = out
            }
        }
        stages = blocks
        self.head = head(width)
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, inputShapeMessage(expected: "[N, C, H, W]", got: x.shape))
        var y = stem(x)
        for block in stages { y = block(y) }
        return head(y.mean([2, 3]))
    }
}
