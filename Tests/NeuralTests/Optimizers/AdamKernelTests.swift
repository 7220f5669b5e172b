import Foundation
import Neural
import Testing

/// Adam's update runs in C on the machine's widest vectors (COptimizers, picked at load time). Its
/// results must equal, bit for bit, the formula written out per weight in Swift below (Keras's
/// constants, each operation rounded on its own): with and without AMSGrad and weight decay, over
/// sizes that leave a remainder after any vector width (1, 15, 17, 1,003), for several steps, so the
/// moments feed back.
@Suite struct AdamKernelTests {
    struct Case: CustomStringConvertible, Sendable {
        var amsgrad: Bool
        var weightDecay: Double?
        var count: Int
        var description: String { "amsgrad \(amsgrad) decay \(weightDecay.map { "\($0)" } ?? "-") count \(count)" }
    }

    static let cases: [Case] = [false, true].flatMap { amsgrad in
        [nil, 0.05].flatMap { decay in [1, 15, 17, 1003].map { Case(amsgrad: amsgrad, weightDecay: decay, count: $0) } }
    }

    @Test(arguments: cases)
    func updatesEqualTheFormulaBitForBit(_ c: Case) throws {
        let learningRate = 0.01, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7
        let optimizer = try Adam(learningRate: .constant(Float(learningRate)), beta1: beta1, beta2: beta2, epsilon: epsilon,
                                 amsgrad: c.amsgrad, weightDecay: c.weightDecay)
        let start = randomTensor([c.count], seed: UInt64(c.count))
        let variable = Variable(start)
        var w = start.scalars, m = [Float](repeating: 0, count: c.count), v = m, vHat = m
        let lr = Float(learningRate), keep1 = Float(1 - beta1), keep2 = Float(1 - beta2), eps = Float(epsilon)
        for step in 0..<4 {
            // Gradients of both signs and sizes, a zero among them.
            var g = randomTensor([c.count], seed: UInt64(100 + step), lower: -3, upper: 3).scalars
            g[0] = 0
            try optimizer.apply(gradients: [Tensor(g)], to: [variable])
            let t = Float(step + 1)
            let alpha = lr * (1 - powf(Float(beta2), t)).squareRoot() / (1 - powf(Float(beta1), t))
            for i in 0..<c.count {
                var wi = w[i]
                if let decay = c.weightDecay { wi = wi - wi * Float(decay) * lr }
                m[i] = m[i] + (g[i] - m[i]) * keep1
                v[i] = v[i] + (g[i] * g[i] - v[i]) * keep2
                vHat[i] = Swift.max(vHat[i], v[i])
                w[i] = wi - (m[i] * alpha) / ((c.amsgrad ? vHat[i] : v[i]).squareRoot() + eps)
            }
            let got = variable.value.scalars
            let first = zip(got, w).enumerated().first { $0.element.0.bitPattern != $0.element.1.bitPattern }
            #expect(first == nil, "step \(step), weight \(first?.offset ?? -1): \(first?.element.0 ?? 0) against \(first?.element.1 ?? 0)")
        }
    }
}
