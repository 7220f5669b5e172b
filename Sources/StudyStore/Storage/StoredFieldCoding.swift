import Foundation
import JSONValues
import Tuning

/// How both stores encode the domain's values in their columns: JSON text for hyperparameters,
/// search spaces, oracle settings and Hyperband assignments; `min` / `max` for directions; REAL Unix
/// seconds for times. Decoding failures become `StoreError.damagedData` naming study, trial and field.
enum StoredFieldCoding {
    static func text(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.compactEncoder.encode(value), as: UTF8.self)
    }

    static func direction(_ direction: Objective.Direction) -> String { direction == .maximize ? "max" : "min" }

    /// One decoder for every stored field (making one per field was a measurable share of reading a
    /// large study).
    private static let decoder = JSONCoding.decoder

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, location: String, study: String, trial: Int?,
                                     field: String) throws(StoreError) -> T {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw .damagedData(location: location, study: study, trial: trial, field: field, detail: JSONCoding.describe(error))
        }
    }
}
