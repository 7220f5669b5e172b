#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// tf.data's `list_files`.
extension Dataset where Element == String {
    /// The paths of the files matching the shell patterns `patterns` (`*`, `?`, `[...]`, as tf.data's
    /// `list_files`), matched now, sorted and without duplicates; shuffled (once per iteration, with a
    /// full buffer) unless `shuffle` is false, reproducibly when `seed` is given. A pattern that matches
    /// nothing makes an iteration fail with ``DatasetError/fileNotFound(path:)`` naming the pattern.
    ///
    /// ```swift
    /// let filepathDataset = Dataset.listFiles(["datasets/housing/my_train_*.csv"], seed: 42)
    /// ```
    public static func listFiles(_ patterns: [String], shuffle: Bool = true, seed: UInt64? = nil) -> Dataset<String> {
        var paths = Set<String>()
        for pattern in patterns {
            var matches = glob_t()
            defer { globfree(&matches) }
            guard glob(pattern, 0, nil, &matches) == 0 else { return .failing(.fileNotFound(path: pattern)) }
            for index in 0..<Int(matches.gl_pathc) {
                if let path = matches.gl_pathv[index] { paths.insert(String(cString: path)) }
            }
        }
        let dataset = Dataset(elements: paths.sorted())
        return shuffle ? dataset.shuffle(bufferSize: Swift.max(paths.count, 1), seed: seed) : dataset
    }

    /// The files matching one pattern; see ``listFiles(_:shuffle:seed:)-([String],_,_)``.
    public static func listFiles(_ pattern: String, shuffle: Bool = true, seed: UInt64? = nil) -> Dataset<String> {
        listFiles([pattern], shuffle: shuffle, seed: seed)
    }
}
