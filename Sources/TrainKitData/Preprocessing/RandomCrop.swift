import TrainKitCore

/// Pads each image by `padding` pixels on every side with `fill`, then crops a `size` window at a
/// random position (torchvision's `RandomCrop(size, padding)`), a different position per image.
///
/// Shapes: `[B, C, H, W] -> [B, C, size.height, size.width]`. Offsets are uniform over
/// `0...(H + 2·padding - height)` and `0...(W + 2·padding - width)`, drawn from the key in image order.
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
        let (b, c, h, w) = imageDimensions(images, caller: "RandomCrop")
        let p = padding
        precondition(h + 2 * p >= height && w + 2 * p >= width,
                     "RandomCrop: crop \(height)x\(width) is larger than padded images \(h + 2 * p)x\(w + 2 * p)")
        var generator = KeyedGenerator(key)
        let offsets = (0..<b).map { _ in
            (Int(generator.next(upperBound: UInt64(h + 2 * p - height + 1))),
             Int(generator.next(upperBound: UInt64(w + 2 * p - width + 1))))
        }
        let (outH, outW, fill) = (height, width, self.fill)
        return images.withUnsafeBufferPointer(as: Float.self) { x in
            Tensor.make(shape: [b, c, outH, outW], as: Float.self) { out in
                for n in 0..<b {
                    let (top, left) = offsets[n]
                    for ch in 0..<c {
                        let source = (n * c + ch) * h * w, target = (n * c + ch) * outH * outW
                        for i in 0..<outH {
                            let row = top + i - p
                            for j in 0..<outW {
                                let col = left + j - p
                                out[target + i * outW + j] = row >= 0 && row < h && col >= 0 && col < w
                                    ? x[source + row * w + col] : fill
                            }
                        }
                    }
                }
            }
        }
    }
}
