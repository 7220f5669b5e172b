import Crypto

/// How a study's name becomes the name of its checkpoint folder (inside `<storage>.checkpoints/`):
/// injective, so two studies never share checkpoints, and safe, so no name reaches outside the root.
public enum CheckpointFolderName {
    /// The longest file name most file systems accept, in bytes.
    public static let fileNameLimit = 255

    /// The name of `study`'s checkpoint folder: every UTF-8 byte of the name outside `A-Z a-z 0-9 -`
    /// written as `%XX` (`my study` → `my%20study`, `..` → `%2E%2E`, `a/b` → `a%2Fb`, `a_b` → `a%5Fb`), so
    /// different names give different folders and none is `.`, `..` or holds a `/`.
    ///
    /// `_` is encoded too because the folders of studies stored before this encoding replaced other
    /// characters with `_` (`a b` in `a_b/`) and are still in use: a folder name of this encoding either
    /// holds a `%` or `~` (which the old naming never wrote) or is made only of letters, digits and `-`,
    /// which the old naming gave only to the study with that very name. So no new study's files can
    /// land in an older study's folder. An encoding longer than a
    /// file name may be (a long name of accented letters) keeps its first 160 bytes and adds `~` and the
    /// SHA-256 of the name; the encoding itself never holds a `~`, so the two forms cannot meet.
    public static func forStudy(_ study: String) -> String {
        var encoded = ""
        var cut = 0
        for byte in study.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" : "") + hex
            }
            if encoded.utf8.count <= 160 { cut = encoded.utf8.count }
        }
        if encoded.isEmpty { return "%" }  // Not reachable for valid names (never empty); still a safe folder.
        guard encoded.utf8.count > fileNameLimit else { return encoded }
        let digest = SHA256.hash(data: Array(study.utf8)).map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        return String(encoded.prefix(cut)) + "~" + digest
    }
}
