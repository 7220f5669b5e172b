import Foundation
import Neural
import Testing
import TestSupport

/// Numeric CSV files with a header and a label column (the California-housing-style regression data).
@Suite struct CSVTableTests {
    private func write(_ text: String, in directory: TemporaryDirectory, name: String = "data.csv") throws -> String {
        let path = directory.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func loadsFeaturesLabelsAndNames() throws {
        let directory = try TemporaryDirectory()
        let path = try write("""
        MedInc,HouseAge,"Ave,Rooms",MedHouseVal\r
        8.3252, 41,6.98,4.526\r
        -1e-2,21.0,+6.24,"3.585"\r
        \r
        7.2574,52,8.29,3.521
        """, in: directory)
        let (features, labels, names) = try CSVTable.load(path: path, labelColumn: "MedHouseVal")
        #expect(names == ["MedInc", "HouseAge", "Ave,Rooms"])
        #expect(features.shape == [3, 3])
        #expect(features.scalars == [8.3252, 41, 6.98, -0.01, 21, 6.24, 7.2574, 52, 8.29])
        #expect(labels.shape == [3])
        #expect(labels.scalars == [4.526, 3.585, 3.521])

        // The label may be any column; other columns may be ignored (a text column, say).
        let middle = try write("a,label,text,b\n1,0,\"x, \"\"y\"\"\",2\n3,1,\"multi\nline\",4\n", in: directory, name: "middle.csv")
        let loaded = try CSVTable.load(path: middle, labelColumn: "label", ignoring: ["text"])
        #expect(loaded.featureNames == ["a", "b"])
        #expect(loaded.features.scalars == [1, 2, 3, 4])
        #expect(loaded.labels.scalars == [0, 1])
        let table = try CSVTable.read(path: middle, ignoring: ["text"])
        #expect(table.columnNames == ["a", "label", "b"] && table.rowCount == 2)
        #expect(try table.column("b") == [2, 4])
        #expect(table.tensor.shape == [2, 3])
    }

    @Test func writeThenLoadIsExact() throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 11)
        let features = Tensor(randomNormal: [50, 4], standardDeviation: 100, generator: &generator)
        let labels = Tensor(randomUniform: [50], lower: 0, upper: 5, generator: &generator)
        let path = directory.file("housing.csv")
        let names = ["longitude", "latitude", "rooms, total", "\"quoted\""]
        try CSVTable.write(features: features, labels: labels, featureNames: names, labelName: "value", to: path)
        let loaded = try CSVTable.load(path: path, labelColumn: "value")
        #expect(loaded.featureNames == names)
        #expect(loaded.features.scalars.map(\.bitPattern) == features.scalars.map(\.bitPattern))
        #expect(loaded.labels.scalars.map(\.bitPattern) == labels.scalars.map(\.bitPattern))
        #expect(try directory.entries() == ["housing.csv"])
    }

    @Test func errorsNameFileLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        func error(_ text: String, label: String = "y", ignoring: [String] = [], missingValue: Float? = nil) throws -> CSVError? {
            let path = try write(text, in: directory, name: "bad.csv")
            do {
                _ = try CSVTable.load(path: path, labelColumn: label, ignoring: ignoring, missingValue: missingValue)
                return nil
            } catch {
                return error
            }
        }
        let path = directory.file("bad.csv")
        #expect(try error("x,y\n1,2\n3,abc\n") == .nonNumeric(path: path, line: 3, column: 2, columnName: "y", text: "abc"))
        #expect(try error("x,y\n1,2\n3,4,5\n") == .raggedRow(path: path, line: 3, expected: 2, found: 3))
        #expect(try error("x,y\n1\n") == .raggedRow(path: path, line: 2, expected: 2, found: 1))
        #expect(try error("x,y\n1,\n") == .nonNumeric(path: path, line: 2, column: 2, columnName: "y", text: ""))
        #expect(try error("x,y\n1,\n", missingValue: -1) == nil)
        #expect(try error("x,y\nnan,1\n") == .nonNumeric(path: path, line: 2, column: 1, columnName: "x", text: "nan"))
        #expect(try error("x,y\n0x10,1\n") == .nonNumeric(path: path, line: 2, column: 1, columnName: "x", text: "0x10"))
        #expect(try error("x,y\n1,2\n", label: "z") == .missingColumn(path: path, name: "z", available: ["x", "y"]))
        #expect(try error("x,x,y\n1,2,3\n") == .duplicateColumn(path: path, name: "x"))
        #expect(try error("") == .noHeader(path: path))
        #expect(try error("x,y\n") == .noRows(path: path))
        #expect(try error("x,y\n1,\"2\n") == .badQuoting(path: path, line: 2, reason: "a quoted field is never closed"))
        guard case .badQuoting(_, 2, _)? = try error("x,y\n1,2\"3\n") else { Issue.record("quote inside a field"); return }
        // A quoted field spanning lines: the error after it counts the lines it took.
        #expect(try error("x,y,t\n1,2,\"a\nb\"\n3,?,c\n", label: "x", ignoring: ["t"])
            == .nonNumeric(path: path, line: 4, column: 2, columnName: "y", text: "?"))
        let message = CSVError.nonNumeric(path: "h.csv", line: 7, column: 3, columnName: "rooms", text: "n/a").description
        #expect(message == "h.csv: line 7, column 3 ('rooms'): 'n/a' is not a number")
        let missing = directory.file("absent.csv")
        #expect(throws: CSVError.fileNotFound(path: missing)) { try CSVTable.load(path: missing, labelColumn: "y") }
    }
}
