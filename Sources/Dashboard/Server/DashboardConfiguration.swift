/// What `tuner dashboard` serves and where: the storage it reads, the address it listens on, how often
/// live pages look for changes, how many trials a page of the trials table shows, and whether it takes
/// changes from its forms.
public struct DashboardConfiguration: Sendable {
    /// The storage string: an SQLite file's path or a PostgreSQL connection string (as `--storage`).
    public var storage: String
    /// The address to listen on; 127.0.0.1 (only this machine) unless told otherwise.
    public var host: String
    /// The TCP port; 0 asks the system for a free one (`Dashboard.run` reports it through `onListening`).
    public var port: Int
    /// How long a live stream waits between two looks at the store (a change shows within this plus the
    /// time to read it).
    public var pollInterval: Duration
    /// How many trials one page of a study's trials table lists.
    public var pageSize: Int
    /// How many connections read the store at once (each on a thread of its own, so a slow read never
    /// holds up the server's event loops).
    public var readers: Int
    /// How many studies' snapshots are kept between page views, so showing a study again reads only what
    /// changed since (0: read every page afresh).
    public var cachedStudies: Int
    /// How long one read of the store may take before the request gets a 503 page and the connection is
    /// replaced (a PostgreSQL connection the server ended can otherwise leave a call waiting forever).
    public var readTimeout: Duration
    /// The token every request must carry, when set (see `DashboardToken`; required to listen beyond this
    /// machine).
    public var token: String?
    /// Whether the dashboard only shows (`--read-only`): no forms, and its POST routes — enqueue a trial,
    /// stop a trial, a study's note — answer 403.
    public var readOnly: Bool

    /// A configuration with the defaults: 127.0.0.1:8080, a look every second, 50 trials a page, 2 readers,
    /// 4 studies kept, 30 s for a read, no token, writes taken.
    public init(storage: String, host: String = "127.0.0.1", port: Int = 8080, pollInterval: Duration = .seconds(1),
                pageSize: Int = 50, readers: Int = 2, cachedStudies: Int = 4, readTimeout: Duration = .seconds(30),
                token: String? = nil, readOnly: Bool = false) {
        self.storage = storage
        self.host = host
        self.port = port
        self.pollInterval = pollInterval
        self.pageSize = pageSize
        self.readers = readers
        self.cachedStudies = cachedStudies
        self.readTimeout = readTimeout
        self.token = token
        self.readOnly = readOnly
    }
}
