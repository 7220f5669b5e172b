/// The Sobol low-discrepancy sequence in up to 256 dimensions, with Joe and Kuo's direction numbers
/// (`new-joe-kuo-6.21201`) and 32-bit resolution.
///
/// Points come in the Gray-code order of Antonov and Saleev, as in Joe and Kuo's `sobol.cc` and SciPy's
/// unscrambled `scipy.stats.qmc.Sobol`: the first points in two dimensions are (0, 0), (0.5, 0.5),
/// (0.75, 0.25), (0.25, 0.75). A *digital shift* (XOR of every coordinate's 32 bits with a fixed random
/// word) randomizes the sequence while keeping its net structure; the Bayesian optimizer uses a fresh
/// shift for every batch of candidates and one fixed shift for its initial design.
public struct SobolSequence: Sendable {
    /// The largest dimension supported (the table holds the first 256 dimensions of Joe and Kuo's).
    public static let maximumDimensionCount = 256

    /// The number of coordinates of each point.
    public let dimensionCount: Int
    /// `directions[k][bit]`: the direction number of coordinate `k` for Gray-code bit `bit`.
    private let directions: [[UInt32]]

    /// A sequence in `dimensionCount` dimensions.
    ///
    /// Throws `BayesianOptimizationError.invalidConfiguration` when `dimensionCount` is below 1 or above
    /// `maximumDimensionCount`.
    public init(dimensionCount: Int) throws(BayesianOptimizationError) {
        guard dimensionCount >= 1, dimensionCount <= Self.maximumDimensionCount else {
            throw .invalidConfiguration(
                "a Sobol sequence needs 1 to \(Self.maximumDimensionCount) dimensions, got \(dimensionCount)")
        }
        self.dimensionCount = dimensionCount
        directions = Array(Self.allDirections.prefix(dimensionCount))
    }

    /// The point of rank `index` (0-based, below 2³²) of the unshifted sequence; index 0 is the origin.
    public func point(at index: Int) -> [Double] {
        point(at: index, digitalShift: nil)
    }

    /// The point of rank `index` XOR-ed coordinate-wise with `digitalShift` (one word per dimension;
    /// nil for none). Indices are taken modulo 2³².
    public func point(at index: Int, digitalShift: [UInt32]?) -> [Double] {
        let rank = UInt32(truncatingIfNeeded: index)
        let gray = rank ^ (rank >> 1)
        var result = [Double](repeating: 0, count: dimensionCount)
        for k in 0..<dimensionCount {
            var bits: UInt32 = 0
            var remaining = gray
            var bit = 0
            while remaining != 0 {
                if remaining & 1 != 0 { bits ^= directions[k][bit] }
                remaining >>= 1
                bit += 1
            }
            if let digitalShift, k < digitalShift.count { bits ^= digitalShift[k] }
            result[k] = Double(bits) * 0x1.0p-32
        }
        return result
    }

    /// `count` consecutive points starting at rank `start`, each shifted by `digitalShift`.
    public func points(from start: Int, count: Int, digitalShift: [UInt32]? = nil) -> [[Double]] {
        (0..<Swift.max(0, count)).map { point(at: start + $0, digitalShift: digitalShift) }
    }

    /// Direction numbers of all tabulated dimensions, built once from `joeKuoTable`.
    private static let allDirections: [[UInt32]] = {
        // The first coordinate is the van der Corput sequence: m_k = 1 for every k.
        var table: [[UInt32]] = [(0..<32).map { UInt32(1) << (31 - $0) }]
        for line in joeKuoTable.split(separator: "\n") {
            let numbers = line.split(separator: " ").compactMap { UInt32($0) }
            guard numbers.count >= 3 else { continue }
            let degree = Int(numbers[0]), coefficients = numbers[1]
            let initial = Array(numbers[2...])
            var v = [UInt32](repeating: 0, count: 32)
            for bit in 0..<32 {
                if bit < degree {
                    v[bit] = initial[bit] << (31 - bit)
                } else {
                    // The recurrence of the primitive polynomial x^s + a_1 x^(s-1) + … + 1.
                    var value = v[bit - degree] ^ (v[bit - degree] >> UInt32(degree))
                    for l in 1..<degree where (coefficients >> UInt32(degree - 1 - l)) & 1 == 1 {
                        value ^= v[bit - l]
                    }
                    v[bit] = value
                }
            }
            table.append(v)
        }
        return table
    }()
}
