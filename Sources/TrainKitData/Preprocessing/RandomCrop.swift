import TrainKitCore

/// Pads each image by `padding` pixels on every side with `fill`, then crops a `size` window at a
/// random position (torchvision's `RandomCrop(size, padding)`), a different position per image.
///
/// Shapes: `[B, C, H, W] -> [B, C, size.height, size.width]`. Offsets are uniform over
/// `0...(H + 2·padding - height)` and `0...(W + 2·padding - width)`, drawn from the key in image order.
/// Tensor ops on the images' device: one `pad`, then each image's window (a view) joined by `cat`.
public struct RandomCrop: ImageTransform {
    public let height: Int
    public let width: Int
    public let padding: Int
    public let fill: Float

    /// A square crop of side `size`.
    public init(size: Int, padding: Int = 0, fill: Float = 0) {
        self.init(height: size, width: size, padding: padding, fill: fill)
    }

    public init(height: Int, width: Int, padding: Int = 0, fill: Float = 0) {
        precondition(height > 0 && width > 0 && padding >= 0,
                     "RandomCrop: needs positive size and padding >= 0, got \(height)x\(width), padding \(padding)")
        self.height = height
        self.width = width
        self.padding = padding
        self.fill = fill
    }

    public func callAsFunction(_ images: Tensor, key: RandomKey) -> Tensor {
        let (b, _, h, w) = imageDimensions(images, caller: "RandomCrop")
        let p = padding
        precondition(h + 2 * p >= height && w + 2 * p >= width,
                     "RandomCrop: crop \(height)x\(width) is larger than padded images \(h + 2 * p)x\(w + 2 * p)")
        var generator = KeyedGenerator(key)
        let offsets = (0..<b).map { _ in
            (Int(generator.next(upperBound: UInt64(h + 2 * p - height + 1))),
             Int(generator.next(upperBound: UInt64(w + 2 * p - width + 1))))
        }
        guard b > 0 else { return Tensor.zeros([0, images.shape[1], height, width], device: images.device) }
        let padded = p > 0 ? images.pad([p, p, p, p], value: Double(fill)) : images
        let windows = offsets.enumerated().map { n, offset in
            padded.narrow(0, start: n, length: 1).narrow(2, start: offset.0, length: height)
                .narrow(3, start: offset.1, length: width)
        }
        return Tensor.cat(windows, dim: 0)
    }
}
