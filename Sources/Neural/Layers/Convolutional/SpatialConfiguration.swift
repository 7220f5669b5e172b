/// Reading and writing the arguments convolution, pooling and upsampling layers share in Keras's
/// configurations: 2-D sizes (`[h, w]` or one integer), `padding` and `data_format`.
extension Size2D {
    /// `[height, width]`, as Keras saves `kernel_size`, `strides`, `pool_size`...
    var configValue: JSONValue { .array([.int(height), .int(width)]) }
}

extension Padding {
    /// `"valid"` or `"same"`.
    var configValue: JSONValue { .string(rawValue) }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The 2-D size at `key` (`[h, w]` or one integer for both), or `defaultValue` when absent or null.
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` for anything else or a
    ///   size that is not positive.
    func size2D(_ key: String, in type: String, default defaultValue: Size2D?) throws(ConfigurationError) -> Size2D? {
        guard let value = self[key], value != .null else { return defaultValue }
        let size: Size2D
        if let both = value.intValue {
            size = Size2D(both)
        } else if let items = value.arrayValue, items.count == 2, let h = items[0].intValue, let w = items[1].intValue {
            size = Size2D(h, w)
        } else {
            throw invalid(key, in: type, expected: "[height, width] or one integer")
        }
        guard size.isPositive else { throw invalid(key, in: type, expected: "positive sizes") }
        return size
    }

    /// The 2-D size at `key`, which must be present.
    /// - Throws: ``ConfigurationError`` when it is absent or not a positive size.
    func requiredSize2D(_ key: String, in type: String) throws(ConfigurationError) -> Size2D {
        guard let size = try size2D(key, in: type, default: nil) else { throw .missingKey(type: type, key: key) }
        return size
    }

    /// `padding` (`"valid"` or `"same"`, either case), `.valid` when absent.
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` for another value.
    func padding(in type: String) throws(ConfigurationError) -> Padding {
        guard let value = self["padding"], value != .null else { return .valid }
        guard let text = value.stringValue, let padding = Padding(rawValue: text.lowercased()) else {
            throw invalid("padding", in: type, expected: "\"valid\" or \"same\"")
        }
        return padding
    }

    /// Checks `data_format`: only `channels_last` (NHWC) is supported.
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` for `channels_first`.
    func checkChannelsLast(in type: String) throws(ConfigurationError) {
        guard let value = self["data_format"], value != .null else { return }
        guard value.stringValue == "channels_last" else {
            throw invalid("data_format", in: type, expected: "\"channels_last\" (the only layout supported)")
        }
    }
}

extension Layer {
    /// The window geometry for an input, or a ``LayerError`` naming this layer when it does not fit.
    func windowGeometry(
        _ inputShape: [Int], kernel: Size2D, strides: Size2D, dilations: Size2D = 1, padding: Padding
    ) throws -> Conv2DGeometry {
        guard inputShape.count == 4 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, height, width, channels]", got: inputShape)
        }
        do {
            return try Conv2DGeometry(inputShape: inputShape, kernel: kernel, strides: strides, dilations: dilations,
                                      padding: padding, op: name)
        } catch {
            throw LayerError.incompatibleInput(
                layer: name,
                expected: "[batch, height, width, channels] large enough for a \(kernel) window (dilation \(dilations)) with padding '\(padding.rawValue)'",
                got: inputShape)
        }
    }

    /// Checks sizes given to a spatial layer.
    func checkPositive(_ sizes: [(String, Size2D)]) throws {
        for (key, size) in sizes where !size.isPositive {
            throw LayerError.invalidArgument(layer: name, message: "\(key) must be positive, got \(size)")
        }
    }
}
