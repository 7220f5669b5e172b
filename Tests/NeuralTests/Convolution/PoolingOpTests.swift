import Neural
import Testing

/// Max, average and global pooling and nearest upsampling: values against NumPy and by hand, and
/// finite-difference gradients.
@Suite struct PoolingOpTests {
    typealias R = ConvolutionReference

    @Test func valuesMatchNumPy() {
        expectClose(Tensor.maxPool2d(R.pattern([1, 4, 5, 2], seed: 13), poolSize: 2),
                    R.maxPool2Valid.values, shape: R.maxPool2Valid.shape)
        expectClose(Tensor.maxPool2d(R.pattern([1, 5, 6, 1], seed: 14), poolSize: 3, strides: 2, padding: .same),
                    R.maxPool3Stride2Same.values, shape: R.maxPool3Stride2Same.shape)
        expectClose(Tensor.avgPool2d(R.pattern([1, 3, 5, 2], seed: 15), poolSize: 2, padding: .same),
                    R.avgPool2Same.values, shape: R.avgPool2Same.shape)
    }

    /// By hand: `same` average pooling counts only the pixels inside the input (TensorFlow's rule).
    @Test func sameAverageExcludesPadding() {
        let x = Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = Tensor.avgPool2d(x, poolSize: 2, padding: .same)
        // Windows: [1,2,4,5] → 3, [3,6] → 4.5, [7,8] → 7.5, [9] → 9.
        expectClose(y, [3, 4.5, 7.5, 9], shape: [1, 2, 2, 1])
        let m = Tensor.maxPool2d(x - 20, poolSize: 2, padding: .same)
        expectClose(m, [-15, -14, -12, -11], shape: [1, 2, 2, 1])
    }

    @Test func globalPoolingAndUpsampling() {
        let x = Tensor(shape: [1, 2, 2, 2], scalars: [1, -1, 2, -2, 3, -3, 4, -4])
        expectClose(Tensor.globalMaxPool2d(x), [4, -1], shape: [1, 2])
        expectClose(Tensor.globalAvgPool2d(x), [2.5, -2.5], shape: [1, 2])
        #expect(Tensor.globalAvgPool2d(x, keepDims: true).shape == [1, 1, 1, 2])
        let image = Tensor(shape: [1, 2, 2, 1], scalars: [1, 2, 3, 4])
        expectClose(Tensor.upSampling2d(image, size: [2, 3]),
                    [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4], shape: [1, 4, 6, 1])
    }

    @Test func gradients() {
        // Values 0.05 apart (a permutation), so that no window has a near tie: there a max has no
        // derivative and a central difference is meaningless.
        let x = Tensor(shape: [2, 5, 4, 3], scalars: (0..<120).map { Float(($0 * 37) % 120) * 0.05 - 3 })
        checkGradients([x]) { Tensor.maxPool2d($0[0], poolSize: 2) }
        checkGradients([x]) { Tensor.maxPool2d($0[0], poolSize: 3, strides: [2, 1], padding: .same) }
        checkGradients([x]) { Tensor.avgPool2d($0[0], poolSize: 2, padding: .same) }
        checkGradients([x]) { Tensor.avgPool2d($0[0], poolSize: [3, 2], strides: 1, padding: .valid) }
        checkGradients([x]) { Tensor.globalMaxPool2d($0[0]) }
        checkGradients([x]) { Tensor.globalAvgPool2d($0[0], keepDims: true) }
        checkGradients([x]) { Tensor.upSampling2d($0[0], size: [2, 3]) }
    }

    /// Eight channels at a time take a SIMD path: the same maxima and gradients as channel by channel.
    @Test func wideChannelsMatchChannelByChannel() throws {
        let x = randomTensor([2, 5, 6, 11], seed: 22)
        let pooled = Tensor.maxPool2d(x, poolSize: 3, strides: 2, padding: .same)
        for channel in 0..<11 {
            let single = x.gathering(atIndices: [channel], alongAxis: 3)
            let expected = Tensor.maxPool2d(single, poolSize: 3, strides: 2, padding: .same)
            #expect(pooled.gathering(atIndices: [channel], alongAxis: 3) == expected, "channel \(channel)")
        }
        let tape = GradientTape()
        tape.watch(x)
        let total = tape.record { Tensor.maxPool2d(x, poolSize: 3, strides: 2, padding: .same).sum() }
        let gradient = try #require(try tape.gradient(of: total, wrt: x))
        // Each output sends 1 to its maximum: the gradient sums to the output count.
        #expect(gradient.sum().scalar == Float(pooled.scalarCount))
        #expect(gradient.scalars.allSatisfy { $0 >= 0 })
        let spread = Tensor(shape: [1, 2, 2, 8], scalars: (0..<32).map { Float(($0 * 13) % 32) })
        checkGradients([spread]) { Tensor.maxPool2d($0[0], poolSize: 2) }
    }

    /// The max-pooling gradient goes to the winning position only.
    @Test func maxPoolGradientGoesToTheMaximum() throws {
        let x = Tensor(shape: [1, 2, 2, 1], scalars: [1, 5, 3, 2])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { Tensor.maxPool2d(x, poolSize: 2).sum() }
        let gradient = try #require(try tape.gradient(of: y, wrt: x))
        #expect(gradient.scalars == [0, 1, 0, 0])
    }
}
