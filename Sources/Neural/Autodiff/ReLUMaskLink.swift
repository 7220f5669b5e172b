/// Joins an op with ReLU fused (`conv2d(..., activation: .relu)`) and a 2×2 max pooling that reads its
/// output, so the training step's backward pass writes the ReLU-masked gradient of that output once
/// instead of twice.
///
/// Unfused, the pooling's gradient writes the full-size input gradient (zero except at each window's
/// winner), then the convolution's backward masks it by `output > 0` in a second full-size pass. The
/// pooling can write the masked gradient directly: at a winner the output is the pooled value, so the
/// mask there is `pooled > 0`, and elsewhere the gradient is zero either way. That masked gradient is
/// the right gradient only for the producer, so the pooling hands it on only when nobody asked for
/// the output's own gradient (``TapeContext/backwardSources``) and no tape records the backward pass
/// (second derivatives). Masking is idempotent and linear, so the producer skips its mask only for
/// exactly the tensor the pooling returned (``maskedGradient``) and masks anything else, such as a sum
/// with another consumer's gradient, as before: the values are the unfused ones bit for bit.
final class ReLUMaskLink {
    /// The identity of the gradient the pooling returned already masked; nil until it did.
    var maskedGradient: TensorID?
}
