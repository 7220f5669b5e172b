import Foundation
import Hummingbird
import Logging
import StudyStore

/// `tuner dashboard`: an HTTP server (Hummingbird) showing the studies of one storage in a browser — the
/// list of studies, a study's charts and trials, a trial's curves — kept current over Server-Sent Events
/// while a search runs — and steers it from its forms: a trial asked for with given hyperparameters, a
/// running trial stopped, a study's note (`--read-only` turns them off). Pages and streams only read the
/// store, and each change is one short transaction (see `StoreReader`), so it never stalls a running
/// search; pages are rendered on the server and every text from the store is escaped.
///
/// ```swift
/// try await Dashboard.run(DashboardConfiguration(storage: "tuner.sqlite", port: 8080))
/// ```
public enum Dashboard {
    /// The server for `configuration`, not started: `run` runs it; tests drive it with HummingbirdTesting.
    /// `onListening` is called with the port once the server listens (useful with port 0).
    public static func application(_ configuration: DashboardConfiguration,
                                   onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let reader = StoreReader(storage: configuration.storage, count: configuration.readers, timeout: configuration.readTimeout)
        let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: ProblemPages<BasicRequestContext>(location: reader.displayedLocation))
        if let token = configuration.token { router.add(middleware: TokenCheck<BasicRequestContext>(token: token)) }
        DashboardRoutes(reader: reader, configuration: configuration,
                        snapshots: StudySnapshotCache(capacity: configuration.cachedStudies),
                        writes: WriteGuard(readOnly: configuration.readOnly)).add(to: router)
        var logger = Logger(label: "tuner.dashboard")
        logger.logLevel = .warning
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tuner-dashboard"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Runs the dashboard until SIGINT or SIGTERM (then it closes its live streams and stops).
    ///
    /// - Throws: an error naming the address when the server cannot listen (a port in use, an address this
    ///   machine does not have).
    public static func run(_ configuration: DashboardConfiguration,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(configuration, onListening: onListening).runService()
    }
}
