import CLinearAlgebra
import CZlib
import Testing

/// The three module maps link their Debian libraries and expose the functions Tuner relies on.
@Suite struct SystemLibrariesTests {
    @Test func openBLASMultipliesMatrices() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test func lapackeFactorsAPositiveDefiniteMatrix() {
        var a: [Double] = [4, 2, 2, 3]
        let info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), 2, &a, 2)
        #expect(info == 0)
        #expect(abs(a[0] - 2) < 1e-12)
        #expect(abs(a[2] - 1) < 1e-12)
        #expect(abs(a[3] - 2.0.squareRoot()) < 1e-12)
    }

    @Test func zlibRoundTripsBytes() {
        let input = Array("tuner tuner tuner tuner".utf8)
        var compressed = [UInt8](repeating: 0, count: 128)
        var compressedLength = uLongf(compressed.count)
        #expect(compress(&compressed, &compressedLength, input, uLong(input.count)) == Z_OK)
        var output = [UInt8](repeating: 0, count: input.count)
        var outputLength = uLongf(output.count)
        #expect(uncompress(&output, &outputLength, compressed, compressedLength) == Z_OK)
        #expect(output == input)
    }
}
