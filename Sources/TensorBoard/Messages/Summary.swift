/// TensorFlow's `Summary` (tensorboard/compat/proto/summary.proto): a set of tagged values.
public struct Summary: ProtobufMessage, Equatable {
    /// `Summary.Image`: an encoded image (PNG here) and its size.
    public struct Image: ProtobufMessage, Equatable {
        /// `height = 1`, in pixels.
        public var height: Int32
        /// `width = 2`, in pixels.
        public var width: Int32
        /// `colorspace = 3`: 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA.
        public var colorspace: Int32
        /// `encoded_image_string = 4`: the file's bytes.
        public var encodedImage: [UInt8]

        /// An image of `width` × `height` pixels whose file bytes are `encodedImage`.
        public init(height: Int32, width: Int32, colorspace: Int32, encodedImage: [UInt8]) {
            self.height = height
            self.width = width
            self.colorspace = colorspace
            self.encodedImage = encodedImage
        }

        /// Appends fields 1 to 4.
        public func encode(to encoder: inout ProtobufEncoder) {
            encoder.int64IfNotDefault(1, Int64(height))
            encoder.int64IfNotDefault(2, Int64(width))
            encoder.int64IfNotDefault(3, Int64(colorspace))
            encoder.byteStringIfNotDefault(4, encodedImage)
        }
    }

    /// `Summary.Value`: one tagged value.
    public struct Value: ProtobufMessage, Equatable {
        /// The value itself (`oneof value`); the audio and obsolete kinds are not modelled.
        public enum Kind: Sendable, Equatable {
            /// `simple_value = 2`: a scalar (float32), what TensorBoard's scalars dashboard plots.
            case simpleValue(Float)
            /// `image = 4`.
            case image(Image)
            /// `histo = 5`.
            case histogram(HistogramProto)
            /// `tensor = 8`: read by the plugin its metadata names (text, for one).
            case tensor(TensorProto)
        }

        /// `tag = 1`: the series' name (slashes group series in TensorBoard).
        public var tag: String
        /// `metadata = 9`: which plugin reads the value; needed for tensors.
        public var metadata: SummaryMetadata?
        /// The value.
        public var kind: Kind

        /// A value named `tag`.
        public init(tag: String, metadata: SummaryMetadata? = nil, kind: Kind) {
            self.tag = tag
            self.metadata = metadata
            self.kind = kind
        }

        /// Appends the fields by number: tag, the value's field (2, 4, 5 or 8), then metadata.
        public func encode(to encoder: inout ProtobufEncoder) {
            encoder.stringIfNotDefault(1, tag)
            switch kind {
            case let .simpleValue(value): encoder.float(2, value)
            case let .image(image): encoder.message(4, image)
            case let .histogram(histogram): encoder.message(5, histogram)
            case let .tensor(tensor): encoder.message(8, tensor)
            }
            if let metadata { encoder.message(9, metadata) }
        }
    }

    /// `value = 1`: the values.
    public var values: [Value]

    /// A summary of `values`.
    public init(values: [Value]) { self.values = values }

    /// Appends each value as field 1.
    public func encode(to encoder: inout ProtobufEncoder) {
        for value in values { encoder.message(1, value) }
    }
}
