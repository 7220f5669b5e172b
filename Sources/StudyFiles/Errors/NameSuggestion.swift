/// "Did you mean" suggestions: the closest known name within a small edit distance.
enum NameSuggestion {
    /// The candidate nearest to `name` with an edit distance of at most `maximumDistance` (ties go to
    /// the earlier candidate), or `nil`. Comparison ignores case.
    static func closest(to name: String, among candidates: [String], maximumDistance: Int = 2) -> String? {
        var best: (name: String, distance: Int)?
        let lowered = name.lowercased()
        for candidate in candidates where candidate != name {
            let distance = editDistance(lowered, candidate.lowercased())
            guard distance <= maximumDistance else { continue }
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
