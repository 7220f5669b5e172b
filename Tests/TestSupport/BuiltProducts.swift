import Foundation

/// Where the package's built executables are: beside the test bundle in `.build/<configuration>/`.
public enum BuiltProducts {
    /// The path of the built product `name` (such as `"tuner"`) of this test run's configuration.
    public static func path(of name: String) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // The test binary is .build/<config>/TunerPackageTests.xctest: the products are in its folder.
        if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent(name).path
    }
}
