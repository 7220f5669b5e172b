import Neural
import Testing

/// The same scrambled [2, 3, 4] values as the reduction tests, divided by 4; expected numbers from NumPy.
private let logits = Tensor(shape: [2, 3, 4], scalars: (0..<24).map { (Float(($0 * 7) % 24) - 11.5) / 4 })

@Suite struct SoftmaxTests {
    @Test func softmaxMatchesNumPyAlongEachAxis() {
        expectClose(logits.softmax(), [
            0.004339594, 0.02497264, 0.1437076, 0.8269802, 0.0247878, 0.142644, 0.8208593, 0.01170893,
            0.0247878, 0.142644, 0.8208593, 0.01170893, 0.1368166, 0.7873252, 0.01123059, 0.06462759,
            0.1368166, 0.7873252, 0.01123059, 0.06462759, 0.6374641, 0.009092937, 0.05232624, 0.3011167,
        ], shape: [2, 3, 4])
        let big: Float = 0.9525741, small: Float = 0.04742587
        expectClose(logits.softmax(alongAxis: 0), [
            small, small, big, big, small, small, big, small, small, big, big, small,
            big, big, small, small, big, big, small, big, big, small, small, big,
        ], shape: [2, 3, 4])
        expectClose(logits.softmax(alongAxis: -2), [
            0.09003057, 0.09003057, 0.09003057, 0.9755588, 0.2447285, 0.2447285, 0.2447285, 0.006573263,
            0.665241, 0.665241, 0.665241, 0.01786798, 0.09003057, 0.2676232, 0.09003057, 0.09003057,
            0.2447285, 0.7274752, 0.2447285, 0.2447285, 0.665241, 0.004901689, 0.665241, 0.665241,
        ], shape: [2, 3, 4])
    }

    @Test func logSoftmaxMatchesNumPy() {
        expectClose(logits.logSoftmax(alongAxis: 1), [
            -2.407606, -2.407606, -2.407606, -0.02474489, -1.407606, -1.407606, -1.407606, -5.024745,
            -0.407606, -0.407606, -0.407606, -4.024745, -2.407606, -1.318175, -2.407606, -2.407606,
            -1.407606, -0.3181754, -1.407606, -1.407606, -0.407606, -5.318175, -0.407606, -0.407606,
        ], shape: [2, 3, 4])
        expectClose(logits.logSoftmax(), [
            -5.439975, -3.689975, -1.939975, -0.1899746, -3.697404, -1.947404, -0.1974036, -4.447404,
            -3.697404, -1.947404, -0.1974036, -4.447404, -1.989114, -0.2391139, -4.489114, -2.739114,
            -1.989114, -0.2391139, -4.489114, -2.739114, -0.4502573, -4.700257, -2.950257, -1.200257,
        ], shape: [2, 3, 4])
    }

    /// Shifting the inputs by a large constant changes nothing: the maximum is subtracted first.
    @Test func largeInputsAreStable() {
        let small = Tensor([0, 1, 2]), large = Tensor([1000, 1001, 1002]), negative = Tensor([-1002, -1001, -1000])
        expectClose(small.softmax(), [0.09003057, 0.2447285, 0.665241])
        expectClose(large.softmax(), small.softmax().scalars, tolerance: 1e-6)
        expectClose(negative.softmax(), small.softmax().scalars, tolerance: 1e-6)
        expectClose(large.logSoftmax(), small.logSoftmax().scalars, tolerance: 1e-5)
        expectClose(small.logSoftmax(), [-2.407606, -1.407606, -0.407606])
        // 1002.4076 is as close as Float gets (its spacing there is 6e-5).
        #expect(abs(large.logSumExp(alongAxes: nil).scalar - 1000 - small.logSumExp(alongAxes: nil).scalar) < 1e-4)
        // Column path too: softmax down axis 0 of a matrix whose columns are the vectors above.
        let columns = Tensor([[0, 1000], [1, 1001], [2, 1002]]).softmax(alongAxis: 0)
        expectClose(columns, [0.09003057, 0.09003057, 0.2447285, 0.2447285, 0.665241, 0.665241], tolerance: 1e-6)
        // A far-below-the-max logit: log-softmax stays finite where log(softmax) would be -inf.
        let extreme = Tensor([0, 200]).logSoftmax()
        expectClose(extreme, [-200, 0])
        #expect(extreme.scalars.allSatisfy { $0.isFinite })
        #expect(large.softmax().scalars.allSatisfy { $0.isFinite })
        let total = large.softmax().sum().scalar
        #expect(abs(total - 1) < 1e-6)
    }

    @Test func softmaxGradients() {
        let x = randomTensor([2, 3, 4], seed: 41, lower: -2, upper: 2)
        checkGradients([x]) { $0[0].softmax() }
        checkGradients([x]) { $0[0].softmax(alongAxis: 0) }
        checkGradients([x]) { $0[0].softmax(alongAxis: 1) }
        checkGradients([x]) { $0[0].logSoftmax() }
        checkGradients([x]) { $0[0].logSoftmax(alongAxis: 0) }
        checkGradients([x]) { $0[0].logSoftmax(alongAxis: -2) }
        // Large inputs: the gradient is that of the shifted inputs.
        checkGradients([x + 1000], epsilon: 0.25) { ($0[0] - 1000).softmax() }
    }

    /// The fused backward passes are recorded ops, so nested tapes give second derivatives.
    @Test func softmaxSecondOrderGradients() {
        let x = randomTensor([2, 3, 4], seed: 42, lower: -2, upper: 2)
        checkSecondOrderGradients(x) { $0.softmax() }
        checkSecondOrderGradients(x) { $0.softmax(alongAxis: 1) }
        checkSecondOrderGradients(x) { $0.logSoftmax() }
        checkSecondOrderGradients(x) { $0.logSoftmax(alongAxis: 0) }
        // A third order through softmax: the gradient of a second derivative stays finite and recorded.
        let y = Tensor([0.3, -0.2, 0.5])
        checkSecondOrderGradients(y) { $0.softmax() * $0.softmax() }
    }
}
