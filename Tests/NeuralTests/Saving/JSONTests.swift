import Foundation
import Neural
import Testing

/// The strict JSON reader and writer behind config.json and safetensors headers.
@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(json: #" { "a": [1, -2, 3.5, 1e-3, -0.0, 12345678901234567890], "b": {"c": null, "d": true, "e": false}, "s": "x\"\\\/\n\u00e9\ud83d\ude00" } "#)
        let object = try #require(value.objectValue)
        // An integer above Int.max stays an exact integer (.uint), as JSONValue's decoder reads it.
        #expect(object["a"] == [.int(1), .int(-2), .double(3.5), .double(0.001), .double(-0.0), .uint(12345678901234567890)])
        #expect(object["b"] == ["c": nil, "d": true, "e": false])
        #expect(object["s"] == .string("x\"\\/\né😀"))
    }

    @Test func writesCompactSortedAndPretty() throws {
        let value: JSONValue = ["b": [1, 2.5, "t\u{01}"], "a": nil, "é": ["z": true, "y": 0.1], "n": [[1], []]]
        #expect(try value.strictJSONText() == #"{"a":null,"b":[1,2.5,"t\u0001"],"n":[[1],[]],"é":{"y":0.1,"z":true}}"#)
        #expect(try value.strictJSONText(pretty: true) == """
        {
          "a": null,
          "b": [1, 2.5, "t\\u0001"],
          "n": [
            [1],
            []
          ],
          "é": {
            "y": 0.1,
            "z": true
          }
        }
        """)
        // Round trip, with doubles kept exactly.
        let numbers: JSONValue = [0.1, 1e-300, 123456.789, .double(Double(Float(0.01))), -3]
        #expect(try JSONValue(json: numbers.strictJSONText()) == numbers)
        #expect(try JSONValue(json: value.strictJSONText(pretty: true)) == value)
    }

    @Test func keepsIntegersAboveIntMaxExact() throws {
        let seeds: JSONValue = [.uint(UInt64.max), .int(Int.max), .int(Int.min)]
        let text = try seeds.strictJSONText()
        #expect(text == "[18446744073709551615,9223372036854775807,-9223372036854775808]")
        #expect(try JSONValue(json: text) == seeds)
        // The same value through JSONValue's Foundation coders.
        #expect(try JSONValue.parse(Data(text.utf8)) == seeds)
        #expect(seeds.jsonText == text)
        // Beyond UInt64 an integer is a double, as before.
        #expect(try JSONValue(json: "18446744073709551616") == .double(18446744073709551616))
    }

    @Test func accessorsTreatUIntAsAnInteger() throws {
        let big = JSONValue.uint(UInt64(Int.max) + 1)
        #expect(big.intValue == nil)
        #expect(big.doubleValue == 9223372036854775808.0)
        #expect(JSONValue.uint(7).intValue == 7)
        #expect(JSONValue.int(3).doubleValue == 3)
        #expect(JSONValue.double(2).intValue == 2)
        #expect(JSONValue.double(2.5).intValue == nil)
        #expect(JSONValue.string("2").intValue == nil)
        let configuration: Configuration = ["seed": big, "units": 8]
        #expect(throws: ConfigurationError.invalidValue(type: "T", key: "seed", expected: "an integer", found: big)) {
            try configuration.int("seed", in: "T")
        }
        #expect(try configuration.double("seed", in: "T") == 9223372036854775808.0)
        #expect(try configuration.int("units", in: "T") == 8)
    }

    @Test func refusesNonFiniteNumbersWhereFoundationWritesStrings() throws {
        // Saved files stay strict JSON: the strict writer refuses NaN...
        #expect(throws: JSONError.nonFiniteNumber(.infinity)) { try JSONValue.array([.double(.infinity)]).strictJSONText() }
        // ...and JSONValue's own text spells it as a string, which JSONValue.parse reads back as the number.
        let text = JSONValue.array([.double(.infinity)]).jsonText
        #expect(text == #"["Infinity"]"#)
        #expect(try JSONValue.parse(Data(text.utf8)) == [.double(.infinity)])
        // The default JSONEncoder (what Codable users of OptimizerConfiguration get) still throws on NaN.
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(JSONValue.double(.nan)) }
    }

    @Test func refusesInvalidJSON() throws {
        let cases: [(String, String)] = [
            (#"{"a": 1, "a": 2}"#, "duplicate"),
            (#"{"a": 1} x"#, "after"),
            (#"[1, 2,]"#, "expected a value"),
            (#"{"a" 1}"#, "':'"),
            (#"01"#, "leading zeros"),
            (#"1."#, "decimal point"),
            (#""abc"#, "unterminated"),
            ("\"a\u{01}b\"", "control character"),
            (#""\ud800""#, "surrogate"),
            (#"nul"#, "'null'"),
            (#"1e999"#, "out of range"),
            ("", "expected a value"),
        ]
        for (text, fragment) in cases {
            do {
                _ = try JSONValue(json: text)
                Issue.record("\(text) should not parse")
            } catch {
                #expect(error.description.contains(fragment), "\(text): \(error)")
            }
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONError.tooDeep(offset: 512, limit: 512)) { try JSONValue(json: deep) }
        #expect(throws: JSONError.nonFiniteNumber(.infinity)) { try JSONValue.double(.infinity).strictJSONText() }
        // Invalid UTF-8 inside a string.
        #expect(throws: JSONError.self) { try JSONValue(json: [0x22, 0xFF, 0x22]) }
    }
}
