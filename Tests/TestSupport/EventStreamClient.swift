import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One Server-Sent Event as a client reads it.
public struct ServerSentEvent: Sendable, Equatable {
    /// The event's name (`message` when the server gave none).
    public var event: String
    /// Its data lines joined by newlines.
    public var data: String
    /// Its `id:` field, if any.
    public var id: String?

    /// The data parsed as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    }
}

/// A minimal HTTP/1.1 client over a plain socket for reading an event stream as a browser does: it sends
/// one GET, reads the response head, then undoes the chunked transfer encoding and splits the body into
/// events as they arrive. Blocking; its async methods run it on a dispatch queue.
public final class EventStreamClient: @unchecked Sendable {
    private let socket: Int32
    private var buffer: [UInt8] = []
    private var body: [UInt8] = []
    /// The response's status code and headers (lower-cased names).
    public private(set) var status = 0
    public private(set) var headers: [String: String] = [:]
    private var chunked = false

    /// Why the client gave up: a socket error, a timeout (with the events read so far) or a closed stream.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Connects to 127.0.0.1:`port` and sends `GET path` with `headers`.
    public init(port: Int, path: String, headers extra: [String: String] = [:]) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure(description: "connect to port \(port): \(String(cString: strerror(errno)))")
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
        for (name, value) in extra { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else {
            close(socket)
            throw Failure(description: "send failed")
        }
    }

    deinit { close(socket) }

    /// Reads until the response head is in (within `timeout` seconds).
    public func readHead(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = find([13, 10, 13, 10], in: buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                chunked = headers["transfer-encoding"]?.lowercased().contains("chunked") == true
                return
            }
            try receive(until: deadline)
        }
    }

    /// Reads events until `stop` returns true for one (that one included) or `timeout` seconds pass.
    ///
    /// - Throws: `Failure` on a timeout (with the events read so far) or when the server closes.
    public func events(timeout: Double, until stop: (ServerSentEvent) -> Bool) throws -> [ServerSentEvent] {
        let deadline = Date().addingTimeInterval(timeout)
        var events: [ServerSentEvent] = []
        while true {
            decodeChunks()
            while let end = find([10, 10], in: body) {
                let block = String(decoding: body[..<end], as: UTF8.self)
                body.removeFirst(end + 2)
                guard let event = Self.parse(block) else { continue }
                events.append(event)
                if stop(event) { return events }
            }
            do {
                try receive(until: deadline)
            } catch {
                throw Failure(description: "\(error); events so far: \(events.map { "\($0.event) \($0.data)" })")
            }
        }
    }

    /// Async forms, run on a dispatch queue (the blocking reads stay off Swift's cooperative threads).
    public func readHead(timeout: Double) async throws {
        try await Self.offload { try self.readHead(timeout: timeout) }
    }

    public func events(timeout: Double, until stop: @escaping @Sendable (ServerSentEvent) -> Bool) async throws -> [ServerSentEvent] {
        try await Self.offload { try self.events(timeout: timeout, until: stop) }
    }

    private static func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    private static func parse(_ block: String) -> ServerSentEvent? {
        var event = "message", data: [String] = [], id: String?
        var any = false
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") || line.isEmpty { continue }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let field = String(parts[0])
            var value = parts.count > 1 ? String(parts[1]) : ""
            if value.hasPrefix(" ") { value.removeFirst() }
            switch field {
            case "event": event = value; any = true
            case "data": data.append(value); any = true
            case "id": id = value; any = true
            default: any = true
            }
        }
        return any ? ServerSentEvent(event: event, data: data.joined(separator: "\n"), id: id) : nil
    }

    /// Moves complete chunks from `buffer` to `body` (or everything, when the body is not chunked).
    private func decodeChunks() {
        guard chunked else {
            body += buffer
            buffer.removeAll()
            return
        }
        while let lineEnd = find([13, 10], in: buffer) {
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return }
            guard buffer.count >= lineEnd + 2 + size + 2 else { return }
            body += buffer[(lineEnd + 2)..<(lineEnd + 2 + size)]
            buffer.removeFirst(lineEnd + 2 + size + 2)
        }
    }

    private func receive(until deadline: Date) throws {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw Failure(description: "timed out") }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(min(remaining, 60) * 1000))
        guard ready > 0 else { throw Failure(description: "timed out") }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(socket, &chunk, chunk.count, 0)
        guard count > 0 else { throw Failure(description: "the server closed the connection") }
        buffer += chunk[0..<count]
    }

    private func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if Array(bytes[start..<(start + pattern.count)]) == pattern { return start }
        }
        return nil
    }
}
