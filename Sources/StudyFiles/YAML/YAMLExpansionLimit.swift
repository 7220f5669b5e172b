import CYaml

/// Refuses YAML whose aliases would expand into more values than a study file can reasonably hold
/// (a "billion laughs" file: ten levels of `&aN [*aM, *aM, ...]` are 734 bytes and 10^10 values).
/// (Nesting depth needs no check here: libyaml refuses more than 1,000 levels, which the recursive
/// composing and conversion handle.)
///
/// Yams resolves an alias to the anchored node itself, so composing is cheap, but everything that walks
/// the composed tree (Yams hashing an alias used as a mapping key, our conversion to `YAMLValue`) visits
/// each use of an anchor in full. The check therefore runs on libyaml's event stream, before Yams
/// composes anything: it records the expanded size of every anchored node once and adds that size at
/// each alias, stopping at the first alias that crosses the limit. Time and memory are linear in the
/// text whatever the aliases say.
struct YAMLExpansionLimit {
    /// The most values (scalars, lists and mappings, counting each alias as the values it stands for)
    /// a file may expand to. The shipped studies expand to a few hundred.
    var maxExpandedValues = 100_000
    /// The most alias uses (`*name`) a file may hold.
    var maxAliasUses = 10_000

    /// Scans `yaml` and throws when it breaks a limit. Syntax errors end the scan silently: Yams
    /// reports them with their position when it parses the same text next.
    ///
    /// - Throws: `StudyFileIssue` at the alias that crossed a limit.
    func check(yaml: String, fileName: String) throws(StudyFileIssue) {
        let bytes = Array(yaml.utf8)
        // libyaml asserts a non-null input pointer; an empty array may not have one.
        guard !bytes.isEmpty else { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var failure: StudyFileIssue?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            failure = scan(&parser, fileName: fileName)
        }
        if let failure { throw failure }
    }

    /// Walks the events; returns the first limit broken, if any.
    private func scan(_ parser: inout yaml_parser_t, fileName: String) -> StudyFileIssue? {
        /// An open list or mapping: its anchor and how many values it expands to so far (itself included).
        struct OpenCollection {
            var anchor: String?
            var size: Int
        }
        var open: [OpenCollection] = []
        var anchoredSizes: [String: Int] = [:]
        var expanded = 0
        var aliasUses = 0
        var event = yaml_event_t()

        /// Adds a finished value of `size` to the collection holding it.
        func add(_ size: Int) {
            if !open.isEmpty { open[open.count - 1].size += size }
        }
        func issue(_ mark: yaml_mark_t, _ message: String) -> StudyFileIssue {
            StudyFileIssue(file: fileName, line: Int(mark.line) + 1, column: Int(mark.column) + 1, keyPath: "", message: message)
        }

        while yaml_parser_parse(&parser, &event) == 1 {
            defer { yaml_event_delete(&event) }
            let mark = event.start_mark
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                expanded += 1
                if let anchor = Self.text(event.data.scalar.anchor) { anchoredSizes[anchor] = 1 }
                add(1)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                expanded += 1
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? Self.text(event.data.sequence_start.anchor) : Self.text(event.data.mapping_start.anchor)
                open.append(OpenCollection(anchor: anchor, size: 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = open.popLast() else { break }
                if let anchor = closed.anchor { anchoredSizes[anchor] = closed.size }
                add(closed.size)
            case YAML_ALIAS_EVENT:
                aliasUses += 1
                guard aliasUses <= maxAliasUses else {
                    return issue(mark, "the file uses more than \(Self.grouped(maxAliasUses)) aliases (*name); a study file needs far fewer — repeat the values or remove the anchors")
                }
                // An undefined alias is Yams's error to report; count it as one value meanwhile.
                let size = Self.text(event.data.alias.anchor).flatMap { anchoredSizes[$0] } ?? 1
                expanded += size
                guard expanded <= maxExpandedValues else {
                    return issue(mark, "aliases expand to more than \(Self.grouped(maxExpandedValues)) values; a study file needs far fewer — remove the nested anchors")
                }
                add(size)
            default:
                break
            }
        }
        return nil
    }

    /// A C string from libyaml (anchors are UTF-8), or `nil`.
    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// `100000` → `100,000`.
    private static func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
