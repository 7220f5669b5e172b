/// `summary()`: the layers, their output shapes and parameter counts, as Keras prints them.
extension Model {
    /// The summary text (what ``summary()`` prints):
    /// ```
    /// Model: "sequential"
    /// _________________________________________________________________
    ///  Layer (type)                Output Shape              Param #
    /// =================================================================
    ///  flatten (Flatten)           (None, 784)               0
    ///  dense (Dense)               (None, 300)               235500
    /// ...
    /// =================================================================
    /// Total params: 266,610
    /// Trainable params: 266,610
    /// Non-trainable params: 0
    /// _________________________________________________________________
    /// ```
    public func summaryText(lineLength: Int = 65) -> String {
        let rows = summaryLayers.map { layer -> (String, String, String) in
            let typeName = String(describing: type(of: layer))
            let shape = layer.outputShape.map { "(None, " + $0.map(String.init).joined(separator: ", ") + ")" } ?? "?"
            let shapeText = layer.outputShape?.isEmpty == true ? "(None,)" : shape
            return (" \(layer.name) (\(typeName))", shapeText, "\(layer.parameterCount)")
        }
        let columns = [29, 26, lineLength - 55]
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var lines = ["Model: \"\(name)\"", String(repeating: "_", count: lineLength)]
        lines.append(pad(" Layer (type)", columns[0]) + pad("Output Shape", columns[1]) + "Param #")
        lines.append(String(repeating: "=", count: lineLength))
        for (layer, shape, parameters) in rows {
            lines.append(pad(layer, columns[0]) + pad(shape, columns[1]) + parameters)
        }
        lines.append(String(repeating: "=", count: lineLength))
        let trainable = trainableWeights.reduce(0) { $0 + $1.shape.reduce(1, *) }
        let total = parameterCount
        lines.append("Total params: \(Self.grouped(total))")
        lines.append("Trainable params: \(Self.grouped(trainable))")
        lines.append("Non-trainable params: \(Self.grouped(total - trainable))")
        lines.append(String(repeating: "_", count: lineLength))
        return lines.joined(separator: "\n")
    }

    /// Prints ``summaryText(lineLength:)``.
    public func summary(lineLength: Int = 65) {
        print(summaryText(lineLength: lineLength))
    }

    /// The layers a summary lists: a Sequential's or Functional's own list, else the direct sublayers.
    private var summaryLayers: [Layer] {
        if let sequential = self as? Sequential { return sequential.layers }
        if let functional = self as? Functional { return functional.layers }
        return sublayers.filter { candidate in
            // Direct children only: nested blocks count their own weights.
            !sublayers.contains { $0 !== candidate && $0.sublayers.contains { $0 === candidate } }
        }
    }

    /// `266610` → `266,610`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
