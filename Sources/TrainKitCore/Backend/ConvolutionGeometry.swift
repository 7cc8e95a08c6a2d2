/// An image batch `[batch, channels, height, width]` (contiguous), a window `kernelH × kernelW` with stride,
/// zero padding and dilation, and the grid `[outHeight, outWidth]` of window positions:
/// `out = ⌊(size + 2·pad - dilation·(kernel - 1) - 1) / stride⌋ + 1`.
package struct ConvolutionGeometry: Sendable, Equatable {
    package var batch, channels, height, width: Int
    package var kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW: Int
    package var outHeight, outWidth: Int

    package init(batch: Int, channels: Int, height: Int, width: Int, kernelH: Int, kernelW: Int, strideH: Int,
                 strideW: Int, padH: Int, padW: Int, dilationH: Int, dilationW: Int, outHeight: Int, outWidth: Int) {
        (self.batch, self.channels, self.height, self.width) = (batch, channels, height, width)
        (self.kernelH, self.kernelW, self.strideH, self.strideW) = (kernelH, kernelW, strideH, strideW)
        (self.padH, self.padW, self.dilationH, self.dilationW) = (padH, padW, dilationH, dilationW)
        (self.outHeight, self.outWidth) = (outHeight, outWidth)
    }

    /// Rows of the column matrix: `channels · kernelH · kernelW`, ordered (c, i, j).
    package var rows: Int { channels * kernelH * kernelW }
    /// Columns of the column matrix: `batch · outHeight · outWidth`, ordered (n, oy, ox).
    package var columns: Int { batch * outHeight * outWidth }

    /// The grid size a convolution over `size` gives: `⌊(size + 2p - d(k-1) - 1) / s⌋ + 1`.
    package static func outputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }
}
