import Neural
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// IDX parsing on files the tests write, and the real Fashion-MNIST files from Debian's package.
@Suite struct IDXFileTests {
    private func temporaryFile(_ bytes: [UInt8]) -> String {
        var template = Array("/tmp/tuner-idx-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, bytes.count) }
        close(descriptor)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    @Test func readsAWellFormedFile() throws {
        let path = temporaryFile([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
        defer { unlink(path) }
        let file = try IDXFile(path: path)
        #expect(file.shape == [2, 3])
        #expect(file.bytes == [1, 2, 3, 4, 5, 6])
    }

    @Test func rejectsMalformedFilesWithTheirPath() {
        let cases: [([UInt8], String)] = [
            ([1, 0, 8, 1, 0, 0, 0, 1, 9], "not an IDX file"),
            ([0, 0, 0x0D, 1, 0, 0, 0, 1, 9], "type code 13 is not supported"),
            ([0, 0, 8, 2, 0, 0, 0], "header is truncated"),
            ([0, 0, 8, 1, 0, 0, 0, 4, 1, 2], "promises 4 elements"),
        ]
        for (bytes, expected) in cases {
            let path = temporaryFile(bytes)
            defer { unlink(path) }
            do {
                _ = try IDXFile(path: path)
                Issue.record("expected an error for \(bytes)")
            } catch {
                #expect(error.description.hasPrefix(path), "\(error)")
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }

    @Test func missingFileSaysWhatToInstall() {
        #expect(throws: DataLoadingError.fileNotFound(path: "/nonexistent/train-images-idx3-ubyte.gz",
                                                      hint: "install Debian's dataset-fashion-mnist package (make test and make demo do)")) {
            try FashionMNIST(split: .train, directory: "/nonexistent")
        }
    }

    /// The real files (make test installs dataset-fashion-mnist): shapes, label range, first label.
    @Test func loadsFashionMNISTTestSplit() throws {
        let test = try FashionMNIST(split: .test)
        #expect(test.images.shape == [10000, 28, 28])
        #expect(test.labels.count == 10000)
        #expect(Set(test.labels) == Set(0..<10))
        #expect(test.labels[0] == 9)  // the first test image is an ankle boot
        #expect(test.images.scalars.max() == 255)
    }
}
