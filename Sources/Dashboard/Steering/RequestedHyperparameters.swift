import Foundation
import Tuning

/// The hyperparameters of a trial asked for with the study page's form: one field per parameter of the
/// study's search space (`hp.NAME`), read by the parameter's kind and then checked against the whole
/// space as the oracle checks enqueued values (range, step, choices, conditions). An empty field is left
/// out: the parameter takes its default, or stays unset when its conditions do not hold. Fixed parameters
/// have no field.
enum RequestedHyperparameters {
    /// The form field of parameter `name`.
    static func fieldName(_ name: String) -> String { "hp." + name }

    /// The values the form asks for, checked against `space`.
    ///
    /// - Throws: a 400 `DashboardProblem` naming the field and saying why its value cannot be used.
    static func values(from form: FormFields, space: SearchSpace) throws(DashboardProblem) -> [String: HyperParameterValue] {
        guard !space.isEmpty else {
            throw .badRequest("This study's search space is still empty (no trial has defined a hyperparameter yet), so there is nothing to ask for.")
        }
        var values: [String: HyperParameterValue] = [:]
        for spec in space.specs {
            guard let text = try form.value(fieldName(spec.name))?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            values[spec.name] = try value(text, for: spec)
        }
        do {
            return try space.validated(values)
        } catch {
            throw .badRequest("The trial was not requested: \(error.description)")
        }
    }

    /// `text` read as a value of `spec`'s kind.
    private static func value(_ text: String, for spec: HyperParameterSpec) throws(DashboardProblem) -> HyperParameterValue {
        let field = "Field “\(spec.name)”"
        switch spec.kind {
        case .int:
            guard let number = Int(text) else { throw .badRequest("\(field): “\(text)” is not a whole number (\(spec.description)).") }
            return .int(number)
        case .float:
            guard let number = Double(text), number.isFinite else {
                throw .badRequest("\(field): “\(text)” is not a finite number (\(spec.description)).")
            }
            return .float(number)
        case .boolean:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw .badRequest("\(field): “\(text)” is neither true nor false.")
            }
        case .choice(let domain):
            guard let choice = domain.values.first(where: { $0.description == text }) else {
                let allowed = domain.values.map { "“\($0.description)”" }.joined(separator: ", ")
                throw .badRequest("\(field): “\(text)” is not one of its choices (\(allowed)).")
            }
            return choice
        case .fixed(let fixed):
            guard fixed.description == text else { throw .badRequest("\(field): it is fixed at “\(fixed.description)”.") }
            return fixed
        }
    }
}
