import CLinearAlgebra

/// An activation that ``Tensor/dense(_:weight:bias:activation:)`` applies in the same pass as the bias.
public enum FusedActivation: String, Sendable, CaseIterable {
    /// No activation.
    case identity
    /// `max(0, x)`.
    case relu
    /// `1 / (1 + e^-x)`.
    case sigmoid
    /// `tanh(x)`.
    case tanh
}

/// The fully connected layer's forward and backward pass in as few sweeps over memory as possible:
/// the bias is written into the output first and `sgemm` adds the product to it (beta = 1), then the
/// activation runs in place. This is the training hot path of every MLP.
extension Tensor {
    /// `activation(x · weight + bias)` for `x` of shape `[..., in]`, `weight` `[in, out]` and `bias`
    /// `[out]`. Traps (naming the shapes) when they do not fit. Differentiable in all three.
    public static func dense(
        _ x: Tensor, weight: Tensor, bias: Tensor?, activation: FusedActivation = .identity
    ) -> Tensor {
        guard x.rank >= 1, weight.rank == 2, x.shape[x.rank - 1] == weight.shape[0] else {
            trap(.incompatibleShapes(op: "dense (input features vs weight rows)", lhs: x.shape, rhs: weight.shape))
        }
        let (inputs, outputs) = (weight.shape[0], weight.shape[1])
        if let bias, bias.shape != [outputs] {
            trap(.incompatibleShapes(op: "dense (bias must be [units])", lhs: weight.shape, rhs: bias.shape))
        }
        let rows = x.scalarCount / Swift.max(inputs, 1)
        let outShape = Array(x.shape.dropLast()) + [outputs]
        var storage = [Float](unsafeUninitializedCapacity: rows * outputs) { out, initialized in
            if let bias {
                bias.withUnsafeBufferPointer { pb in
                    for row in 0..<rows {
                        (out.baseAddress! + row * outputs).update(from: pb.baseAddress!, count: outputs)
                    }
                }
            } else {
                out.initialize(repeating: 0)
            }
            initialized = rows * outputs
        }
        if rows > 0 && outputs > 0 && inputs > 0 {
            x.withUnsafeBufferPointer { px in
                weight.withUnsafeBufferPointer { pw in
                    storage.withUnsafeMutableBufferPointer { out in
                        sgemm(px.baseAddress!, pw.baseAddress!, out.baseAddress!, m: rows, n: outputs, k: inputs,
                              lda: inputs, ldb: outputs, transposeA: false, transposeB: false, beta: 1)
                    }
                }
            }
        }
        applyInPlace(activation, &storage)
        let result = Tensor(uncheckedShape: outShape, storage: storage)
        if isRecording {
            let recordedInputs = bias.map { [x, weight, $0] } ?? [x, weight]
            result.record(inputs: recordedInputs) { g, needed in
                let dz = activationBackward(activation, upstream: g, output: result)
                let rows2D = dz.reshapedUnrecorded([rows, outputs])
                let x2D = x.reshapedUnrecorded([rows, inputs])
                var gradients: [Tensor?] = [
                    needed[0] ? matmul(dz, weight, transposeB: true) : nil,
                    needed[1] ? matmul(x2D, rows2D, transposeA: true) : nil,
                ]
                if bias != nil { gradients.append(needed[2] ? dz.sum(toShape: [outputs]) : nil) }
                return gradients
            }
        }
        return result
    }

    static func applyInPlace(_ activation: FusedActivation, _ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { v in
            switch activation {
            case .identity: break
            case .relu: if let base = v.baseAddress { VectorKernels.relu(base, base, count: v.count) }
            case .sigmoid: for i in 0..<v.count { v[i] = stableSigmoid(v[i]) }
            case .tanh: for i in 0..<v.count { v[i] = Float(Foundation_tanh(Double(v[i]))) }
            }
        }
    }

    /// The gradient through the activation, from the activation's output (all four are functions of it).
    static func activationBackward(_ activation: FusedActivation, upstream g: Tensor, output y: Tensor) -> Tensor {
        switch activation {
        case .identity: return g
        case .relu: return reluBackward(upstream: g, output: y)
        case .sigmoid: return g * y * (1 - y)
        case .tanh: return g * (1 - y * y)
        }
    }

    /// `upstream` where `output > 0`, zero elsewhere: ReLU's backward pass in one sweep. Linear in
    /// `upstream` (ReLU's second derivative is zero), so recorded with `output` as a constant.
    public static func reluBackward(upstream: Tensor, output: Tensor) -> Tensor {
        guard upstream.shape == output.shape else {
            trap(.incompatibleShapes(op: "reluBackward", lhs: upstream.shape, rhs: output.shape))
        }
        let result = upstream.withUnsafeBufferPointer { pg in
            output.withUnsafeBufferPointer { py in
                Tensor.make(shape: upstream.shape, count: pg.count) { out in
                    guard let g = pg.baseAddress, let y = py.baseAddress, let o = out.baseAddress else { return }
                    VectorKernels.maskPositive(g, reference: y, o, count: out.count)
                }
            }
        }
        if isRecording {
            result.record(inputs: [upstream]) { g, _ in [reluBackward(upstream: g, output: output)] }
        }
        return result
    }
}

/// `1 / (1 + e^-x)` without overflow for large |x|.
@inlinable
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + expf(-x))
    }
    let e = expf(x)
    return e / (1 + e)
}

#if canImport(Glibc)
import Glibc
@usableFromInline func Foundation_tanh(_ x: Double) -> Double { Glibc.tanh(x) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func Foundation_tanh(_ x: Double) -> Double { Darwin.tanh(x) }
#endif
