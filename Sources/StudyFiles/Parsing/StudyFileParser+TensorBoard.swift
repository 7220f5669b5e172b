extension StudyFileParser {
    /// The `tensorboard` key: a folder path (a non-empty string), resolved against the study file's folder
    /// as data paths are. Whether the folder can be written is checked when the search starts (a worker on
    /// another machine may see another file system).
    func parseTensorBoard(_ value: YAMLValue) -> String? {
        guard let path = reader.string(value, at: "tensorboard") else { return nil }
        if path.contains("\0") {
            reader.fail(value, "tensorboard", "the folder path holds a NUL character")
            return nil
        }
        return resolve(path)
    }
}
