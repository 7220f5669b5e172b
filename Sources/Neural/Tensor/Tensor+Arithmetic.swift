/// `+ - * /` and negation with NumPy broadcasting, each with its gradient.
extension Tensor {
    /// Elementwise sum with broadcasting. Traps (naming both shapes) when they do not broadcast.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = broadcastingKernel(lhs, rhs, op: "add") { $0 + $1 }
        if isRecording {
            let (ls, rs) = (lhs.shape, rhs.shape)
            result.record(inputs: [lhs, rhs]) { g, needed in
                [needed[0] ? g.sum(toShape: ls) : nil, needed[1] ? g.sum(toShape: rs) : nil]
            }
        }
        return result
    }

    /// Elementwise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = broadcastingKernel(lhs, rhs, op: "subtract") { $0 - $1 }
        if isRecording {
            let (ls, rs) = (lhs.shape, rhs.shape)
            result.record(inputs: [lhs, rhs]) { g, needed in
                [needed[0] ? g.sum(toShape: ls) : nil, needed[1] ? (-g).sum(toShape: rs) : nil]
            }
        }
        return result
    }

    /// Elementwise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = broadcastingKernel(lhs, rhs, op: "multiply") { $0 * $1 }
        if isRecording {
            result.record(inputs: [lhs, rhs]) { g, needed in
                [needed[0] ? (g * rhs).sum(toShape: lhs.shape) : nil,
                 needed[1] ? (g * lhs).sum(toShape: rhs.shape) : nil]
            }
        }
        return result
    }

    /// Elementwise quotient with broadcasting (IEEE semantics: division by zero gives ±inf or NaN).
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let result = broadcastingKernel(lhs, rhs, op: "divide") { $0 / $1 }
        if isRecording {
            result.record(inputs: [lhs, rhs]) { g, needed in
                [needed[0] ? (g / rhs).sum(toShape: lhs.shape) : nil,
                 needed[1] ? (-(g * lhs) / (rhs * rhs)).sum(toShape: rhs.shape) : nil]
            }
        }
        return result
    }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        let result = x.withUnsafeBufferPointer { p in
            Tensor.make(shape: x.shape, count: p.count) { out in for i in 0..<out.count { out[i] = -p[i] } }
        }
        if isRecording { result.record(inputs: [x]) { g, _ in [-g] } }
        return result
    }

    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(rhs) }
    /// Adds a scalar to every element.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) + rhs }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(rhs) }
    /// Subtracts every element from a scalar.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) - rhs }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(rhs) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs / Tensor(rhs) }
    /// Divides a scalar by every element.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) / rhs }

    /// `lhs = lhs + rhs` (a new value for the tape; use ``Variable/assignAdd(_:)`` for in-place updates).
    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs`.
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs`.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs`.
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
}
