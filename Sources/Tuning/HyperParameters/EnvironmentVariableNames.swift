/// The one rule turning hyperparameter names into environment variable names, shared by command
/// studies (the variables a trial's command gets) and `tuner ask --format env` (the assignments it
/// prints), so a program reads the same variable either way.
///
/// `TUNER_HP_` followed by the name, one Unicode scalar at a time: an ASCII letter upper-cased, an
/// ASCII digit or `_` kept, any other ASCII character (`-`, `.`, `=`, space, ...) as `_`, and any other
/// scalar as `_U` and its code point in 4 to 6 hexadecimal digits (`é` → `_U00E9`). The result is
/// always a valid POSIX shell variable name (ASCII letters, digits and `_`, starting with a letter):
///
/// | name | variable |
/// | --- | --- |
/// | `learning_rate` | `TUNER_HP_LEARNING_RATE` |
/// | `learning-rate` | `TUNER_HP_LEARNING_RATE` |
/// | `layers.0` | `TUNER_HP_LAYERS_0` |
/// | `taux_é` | `TUNER_HP_TAUX__U00E9` |
///
/// Different names can give the same variable (`a=b`, `a_b`, `A_B`); `collisions(in:)` finds them so
/// a search space where that happens is refused when it is defined.
public enum EnvironmentVariableNames {
    /// What every hyperparameter variable starts with.
    public static let prefix = "TUNER_HP_"

    /// The environment variable holding hyperparameter `name`'s value.
    public static func variable(for name: String) -> String {
        var result = prefix
        for scalar in name.unicodeScalars {
            switch scalar {
            case "a"..."z": result.unicodeScalars.append(Unicode.Scalar(scalar.value - 32) ?? "_")
            case "A"..."Z", "0"..."9", "_": result.unicodeScalars.append(scalar)
            default:
                if scalar.isASCII {
                    result += "_"
                } else {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "_U" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }
            }
        }
        return result
    }

    /// Two hyperparameters whose names give the same variable.
    public struct Collision: Equatable, Sendable, CustomStringConvertible {
        /// The name seen first.
        public let first: String
        /// The later name giving the same variable.
        public let second: String
        /// The variable both would set.
        public let variable: String

        /// A sentence naming both hyperparameters and the variable.
        public var description: String {
            "hyperparameters \"\(first)\" and \"\(second)\" would both be passed as the environment variable "
                + "\(variable); rename one of them so their names differ in more than case and punctuation"
        }
    }

    /// Every later name in `names` whose variable an earlier name already gives, in order.
    public static func collisions(in names: [String]) -> [Collision] {
        var owners: [String: String] = [:]
        var found: [Collision] = []
        for name in names {
            let variable = variable(for: name)
            if let owner = owners[variable] {
                if owner != name { found.append(Collision(first: owner, second: name, variable: variable)) }
            } else {
                owners[variable] = name
            }
        }
        return found
    }
}
