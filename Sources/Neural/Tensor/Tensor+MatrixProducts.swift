import CLinearAlgebra

/// Matrix products through `cblas_sgemm`: transposed operands are passed as flags (no copies), a
/// batch of matrices is a loop of products, and a batched left operand times one matrix is folded into a
/// single product.
extension Tensor {
    /// The matrix product of the last two dimensions, `op(a) · op(b)`, where `op` transposes when asked.
    ///
    /// Rank-2 operands give a matrix. Higher ranks are batches: both operands with the same leading
    /// dimensions, or one of them a plain matrix shared by the batch. Traps (naming both shapes) when the
    /// inner dimensions or the batch dimensions differ. Differentiable in both operands.
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
    ) -> Tensor {
        let result = matmulKernel(a, b, transposeA: transposeA, transposeB: transposeB)
        if isRecording {
            result.record(inputs: [a, b]) { g, needed in
                let da: Tensor?, db: Tensor?
                switch (transposeA, transposeB) {
                case (false, false):
                    da = needed[0] ? matmul(g, b, transposeB: true) : nil
                    db = needed[1] ? matmul(a, g, transposeA: true) : nil
                case (true, false):
                    da = needed[0] ? matmul(b, g, transposeB: true) : nil
                    db = needed[1] ? matmul(a, g) : nil
                case (false, true):
                    da = needed[0] ? matmul(g, b) : nil
                    db = needed[1] ? matmul(g, a, transposeA: true) : nil
                case (true, true):
                    da = needed[0] ? matmul(b, g, transposeA: true, transposeB: true) : nil
                    db = needed[1] ? matmul(g, a, transposeA: true, transposeB: true) : nil
                }
                // A matrix shared by a batch gets the sum of the batch's gradients.
                return [da.map { $0.sum(toShape: a.shape) }, db.map { $0.sum(toShape: b.shape) }]
            }
        }
        return result
    }

    static func matmulKernel(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        guard a.rank >= 2, b.rank >= 2 else {
            trap(.incompatibleShapes(op: "matmul (operands need rank 2 or more)", lhs: a.shape, rhs: b.shape))
        }
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (kb, n) = transposeB ? (bc, br) : (br, bc)
        guard k == kb else {
            trap(.incompatibleShapes(op: "matmul (inner dimensions \(k) and \(kb) differ)", lhs: a.shape, rhs: b.shape))
        }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))

        // A batch of rows times one matrix is one product over all the rows.
        if bBatch.isEmpty && !transposeA && !aBatch.isEmpty {
            let rows = aBatch.reduce(1, *) * m
            let flat = gemm(a.storage, b.storage, m: rows, n: n, k: k, lda: ac, ldb: bc, transposeA: false, transposeB: transposeB)
            return Tensor(uncheckedShape: aBatch + [m, n], storage: flat)
        }
        guard aBatch.isEmpty || bBatch.isEmpty || aBatch == bBatch else {
            trap(.incompatibleShapes(op: "matmul (batch dimensions differ)", lhs: a.shape, rhs: b.shape))
        }
        let batchShape = aBatch.isEmpty ? bBatch : aBatch
        let batch = batchShape.reduce(1, *)
        if batchShape.isEmpty {
            let values = gemm(a.storage, b.storage, m: m, n: n, k: k, lda: ac, ldb: bc, transposeA: transposeA, transposeB: transposeB)
            return Tensor(uncheckedShape: [m, n], storage: values)
        }
        let aStride = aBatch.isEmpty ? 0 : ar * ac
        let bStride = bBatch.isEmpty ? 0 : br * bc
        let values = [Float](unsafeUninitializedCapacity: batch * m * n) { out, initialized in
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    for index in 0..<batch {
                        sgemm(
                            pa.baseAddress! + index * aStride, pb.baseAddress! + index * bStride,
                            out.baseAddress! + index * m * n, m: m, n: n, k: k, lda: ac, ldb: bc,
                            transposeA: transposeA, transposeB: transposeB, beta: 0)
                    }
                }
            }
            initialized = batch * m * n
        }
        return Tensor(uncheckedShape: batchShape + [m, n], storage: values)
    }

    private static func gemm(
        _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, lda: Int, ldb: Int, transposeA: Bool, transposeB: Bool
    ) -> [Float] {
        [Float](unsafeUninitializedCapacity: m * n) { out, initialized in
            if m * n > 0 {
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        if k == 0 {
                            out.initialize(repeating: 0)
                        } else {
                            sgemm(pa.baseAddress!, pb.baseAddress!, out.baseAddress!, m: m, n: n, k: k,
                                  lda: lda, ldb: ldb, transposeA: transposeA, transposeB: transposeB, beta: 0)
                        }
                    }
                }
            }
            initialized = m * n
        }
    }

    /// `c = op(a)·op(b) + beta·c` for row-major matrices.
    @usableFromInline
    static func sgemm(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, lda: Int, ldb: Int, transposeA: Bool, transposeB: Bool, beta: Float
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
    }
}

/// The matrix product `a · b` (rank 2 or batched); see ``Tensor/matmul(_:_:transposeA:transposeB:)``.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
}
