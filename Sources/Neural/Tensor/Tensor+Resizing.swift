/// Resizing channels-last images: nearest-neighbor upsampling by integer factors.
extension Tensor {
    /// Each pixel of `input` `[N, H, W, C]` repeated `size.height` times down and `size.width` times
    /// across: `[N, H·sh, W·sw, C]` (Keras's `UpSampling2D` with `interpolation="nearest"`). Traps
    /// when the input is not rank 4 or a factor is not positive. Differentiable: the gradient sums each
    /// block of the upstream.
    public static func upSampling2d(_ input: Tensor, size: Size2D) -> Tensor {
        guard input.rank == 4 else {
            trap(.invalidShape(op: "upSampling2d (input must be [N, H, W, C])", shape: input.shape))
        }
        guard size.isPositive else {
            trap(.invalidArgument(op: "upSampling2d", message: "size \(size) must be positive"))
        }
        let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        if size.height == 1 && size.width == 1 { return input }
        return input.reshaped(to: [n, h, 1, w, 1, c])
            .broadcast(toShape: [n, h, size.height, w, size.width, c])
            .reshaped(to: [n, h * size.height, w * size.width, c])
    }
}
