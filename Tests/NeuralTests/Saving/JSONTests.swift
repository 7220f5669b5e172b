import Neural
import Testing

/// The strict JSON reader and writer behind config.json and safetensors headers.
@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try ConfigValue(json: #" { "a": [1, -2, 3.5, 1e-3, -0.0, 12345678901234567890], "b": {"c": null, "d": true, "e": false}, "s": "x\"\\\/\n\u00e9\ud83d\ude00" } "#)
        let object = try #require(value.objectValue)
        #expect(object["a"] == [.int(1), .int(-2), .double(3.5), .double(0.001), .double(-0.0), .double(12345678901234567890)])
        #expect(object["b"] == ["c": nil, "d": true, "e": false])
        #expect(object["s"] == .string("x\"\\/\né😀"))
    }

    @Test func writesCompactSortedAndPretty() throws {
        let value: ConfigValue = ["b": [1, 2.5, "t\u{01}"], "a": nil, "é": ["z": true, "y": 0.1], "n": [[1], []]]
        #expect(try value.jsonText() == #"{"a":null,"b":[1,2.5,"t\u0001"],"n":[[1],[]],"é":{"y":0.1,"z":true}}"#)
        #expect(try value.jsonText(pretty: true) == """
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
        let numbers: ConfigValue = [0.1, 1e-300, 123456.789, .double(Double(Float(0.01))), -3]
        #expect(try ConfigValue(json: numbers.jsonText()) == numbers)
        #expect(try ConfigValue(json: value.jsonText(pretty: true)) == value)
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
                _ = try ConfigValue(json: text)
                Issue.record("\(text) should not parse")
            } catch {
                #expect(error.description.contains(fragment), "\(text): \(error)")
            }
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONError.tooDeep(offset: 512, limit: 512)) { try ConfigValue(json: deep) }
        #expect(throws: JSONError.nonFiniteNumber(.infinity)) { try ConfigValue.double(.infinity).jsonText() }
        // Invalid UTF-8 inside a string.
        #expect(throws: JSONError.self) { try ConfigValue(json: [0x22, 0xFF, 0x22]) }
    }
}
