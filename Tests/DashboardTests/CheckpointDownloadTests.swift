import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StudyStore
import Testing
import TestSupport

/// Checkpoint downloads: the bytes a storage holds, or a file from the storage's checkpoint folder —
/// never a file a stored path names elsewhere.
@Suite("Checkpoint downloads")
struct CheckpointDownloadTests {
    /// GETs `path` and returns the status, the body's bytes and the headers.
    static func get(_ path: String, _ storage: DashboardStorage) async throws -> (status: HTTPResponse.Status, body: [UInt8], headers: HTTPFields) {
        try await Dashboard.application(storage.configuration()).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                (response.status, Array(response.body.readableBytesView), response.headers)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func storedWeightsDownloadAsSafetensors(_ backend: Backend) async throws {
        let storage = try DashboardStorage(backend)
        let store = try storage.open()
        let study = try makeStudy(store, name: "net é/1")
        let trial = try #require(try store.trial(study: study.id, number: 1))
        let bytes: [UInt8] = [8, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\":1}".utf8) + [0, 1, 2, 255]
        try store.saveCheckpoint(trial: trial.id, epoch: 2, weights: Data(bytes))
        let base = "/studies/" + percentEncoded("net é/1") + "/trials/1"
        let page = try await PageTests.get(base, storage.configuration())
        #expect(page.body.contains("<a href=\"\(base)/checkpoints/3\" download>epoch 3 (safetensors)</a>"))
        let (status, body, headers) = try await Self.get(base + "/checkpoints/3", storage)
        #expect(status == .ok)
        #expect(body == bytes)
        #expect(headers[.contentType] == "application/octet-stream")
        #expect(headers[.contentDisposition] == "attachment; filename=\"net___1-trial-1-epoch-3.safetensors\"")
        #expect(try await Self.get(base + "/checkpoints/2", storage).status == .notFound)
        #expect(try await Self.get(base + "/checkpoints/0", storage).status == .badRequest)
        #expect(try await Self.get(base + "/checkpoints/x", storage).status == .badRequest)
        #expect(try await Self.get("/studies/nope/trials/1/checkpoints/1", storage).status == .notFound)
    }

    @Test func aFileInTheCheckpointFolderIsServedAndNothingElse() async throws {
        let storage = try DashboardStorage()
        let store = try storage.open()
        let study = try makeStudy(store)
        let folder = storage.location + ".checkpoints/mnist"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let inside = folder + "/trial-0-epoch-1.safetensors"
        try Data("weights".utf8).write(to: URL(fileURLWithPath: inside))
        let outside = storage.directory.path("secret.txt")
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside))
        let link = folder + "/link.safetensors"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
        let trials = try store.trials(study: study.id)
        try store.saveCheckpoint(trial: trials[0].id, epoch: 0, path: inside)
        try store.saveCheckpoint(trial: trials[1].id, epoch: 0, path: outside)
        try store.saveCheckpoint(trial: trials[2].id, epoch: 0, path: link)
        try store.saveCheckpoint(trial: trials[3].id, epoch: 0, path: folder + "/../../secret.txt")
        try store.saveCheckpoint(trial: trials[4].id, epoch: 0, path: folder)

        let served = try await Self.get("/studies/mnist/trials/0/checkpoints/1", storage)
        #expect(served.status == .ok && served.body == Array("weights".utf8))
        for number in 1...4 {
            let (status, body, _) = try await Self.get("/studies/mnist/trials/\(number)/checkpoints/1", storage)
            #expect(status == .notFound, "trial \(number)")
            #expect(!String(decoding: body, as: UTF8.self).contains("secret"), "trial \(number)")
            #expect(String(decoding: body, as: UTF8.self).contains("not a file in the storage&#39;s checkpoint folder"), "trial \(number)")
        }
    }
}
