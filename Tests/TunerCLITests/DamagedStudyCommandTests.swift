import Foundation
import GRDB
import Testing
import TestSupport

/// A study whose stored data was damaged (by hand, a disk error, another program) is reported by name,
/// trial and field with a non-zero exit, never read as a silent default, and never hides the other
/// studies of the storage; it can still be deleted.
@Suite(.serialized) struct DamagedStudyCommandTests {
    /// Two ask/tell studies "good" and "broken" in tuner.sqlite, each with one told trial; then trial
    /// 1's hyperparameters of "broken" are overwritten with valid JSON of the wrong shape.
    private func folderWithADamagedStudy() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n")
        for name in ["good", "broken"] {
            let create = try TunerBinary.run(["create", name, "--space", "space.yaml", "--oracle", "random", "--direction", "min",
                                              "--max-trials", "3"], in: directory.path)
            #expect(create.status == 0, "\(create.output)")
            let ask = try TunerBinary.run(["ask", name], in: directory.path)
            #expect(ask.status == 0, "\(ask.output)")
            let told = try TunerBinary.run(["tell", name, "--trial", "1", "--value", "0.5"], in: directory.path)
            #expect(told.status == 0, "\(told.output)")
        }
        try DatabaseQueue(path: directory.path("tuner.sqlite")).write { db in
            try db.execute(sql: """
                UPDATE trials SET hyperparameters = '{"x": 0.25}'
                WHERE study_id = (SELECT id FROM studies WHERE name = 'broken')
                """)
        }
        return directory
    }

    @Test func theListingShowsEveryStudyAndNamesTheDamagedOne() throws {
        let directory = try folderWithADamagedStudy()
        let studies = try TunerBinary.run(["studies", "--format", "csv"], in: directory.path)
        #expect(studies.status != 0, "\(studies.output)")
        #expect(studies.stdout.contains("\ngood,val_loss") || studies.stdout.contains("\ngood,"), "\(studies.output)")
        #expect(studies.stdout.contains("\nbroken,"), "\(studies.output)")
        #expect(studies.stderr.contains("hyperparameters") && studies.stderr.contains("trial 1")
                    && studies.stderr.contains("\"broken\""), "\(studies.stderr)")
    }

    @Test func readingTheDamagedStudyFailsWithItsFieldAndDeletingItWorks() throws {
        let directory = try folderWithADamagedStudy()
        for command in [["trials", "broken"], ["best", "broken"], ["summary", "broken"]] {
            let result = try TunerBinary.run(command, in: directory.path)
            #expect(result.status != 0, "\(command): \(result.output)")
            #expect(result.stderr.contains("hyperparameters") && result.stderr.contains("trial 1"), "\(command): \(result.stderr)")
        }
        #expect(try TunerBinary.run(["trials", "good"], in: directory.path).status == 0)
        let deleted = try TunerBinary.run(["delete", "broken"], in: directory.path)
        #expect(deleted.status == 0, "\(deleted.output)")
        let studies = try TunerBinary.run(["studies", "--format", "csv"], in: directory.path)
        #expect(studies.status == 0 && !studies.stdout.contains("broken"), "\(studies.output)")
    }
}
