import CMicroHTTPD
import Foundation
import HubCore
import HubServices
import Synchronization

/// An HTTP(S) server on libmicrohttpd: one thread per connection (bounded by `maxConnections`,
/// and by `maxConnectionsPerAddress` per client), request deadlines (`ConnectionDeadlines`), the
/// handler's admission asked before any body byte is read, bodies collected up to a limit,
/// responses given whole or streamed.
///
/// libmicrohttpd parses HTTP; this type only moves requests to an `HTTPHandler` and responses
/// back. The server object reaches the C callbacks through their `cls` pointer; each request's
/// state lives behind `con_cls` and is released in the completion callback.
public final class HTTPServer: Sendable {
    /// The version of the libmicrohttpd the server runs on, e.g. `0.9.75`.
    public static var libraryVersion: String { MHD_get_version().map { String(cString: $0) } ?? "unknown" }

    /// The settings it runs with.
    public let settings: HTTPSettings
    private let handler: any HTTPHandler
    private let logger: Logger
    fileprivate let deadlines: ConnectionDeadlines
    private let daemon = Mutex<DaemonHandle?>(nil)
    private let boundPort = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    /// Creates a server; nothing listens until `start()`.
    public init(settings: HTTPSettings, handler: any HTTPHandler, logger: Logger) {
        self.settings = settings
        self.handler = handler
        self.logger = logger
        deadlines = ConnectionDeadlines(settings: settings, logger: logger)
    }

    /// The port it listens on (the one picked when `settings.port` is 0), 0 before `start()`.
    public var port: Int { boundPort.load(ordering: .relaxed) }

    /// Whether the server stops streams and takes no more requests.
    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Binds the address and starts serving.
    ///
    /// - Throws: `HTTPServerError` when the port cannot be bound, the TLS files cannot be read, or
    ///   libmicrohttpd refuses the options.
    public func start() throws {
        try daemon.withLock { daemon in
            guard daemon == nil else { return }
            var key: String?
            var certificate: String?
            if let certFile = settings.certFile, let keyFile = settings.keyFile {
                do {
                    certificate = try String(contentsOfFile: certFile, encoding: .utf8)
                    key = try String(contentsOfFile: keyFile, encoding: .utf8)
                } catch {
                    throw HTTPServerError(.tlsFiles, "cannot read the TLS certificate \(certFile) or key \(keyFile): \(error.localizedDescription)")
                }
            }
            let socket = try ListeningSocket(address: settings.address, port: settings.port)
            var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_THREAD_PER_CONNECTION.rawValue
                | MHD_USE_POLL.rawValue | MHD_USE_ERROR_LOG.rawValue
            if key != nil { flags |= MHD_USE_TLS.rawValue }
            let context = Unmanaged.passUnretained(self).toOpaque()
            let contextArgument = OpaquePointer(context)
            let completed = OpaquePointer(unsafeBitCast(requestCompleted, to: UnsafeRawPointer.self))
            let connectionChanged = OpaquePointer(unsafeBitCast(connectionNotified, to: UnsafeRawPointer.self))
            let started: OpaquePointer? = withOptionalCString(key) { keyPointer in
                withOptionalCString(certificate) { certificatePointer in
                    var options: [any CVarArg] = [
                        CInt(MHD_OPTION.LISTEN_SOCKET.rawValue), socket.descriptor,
                        CInt(MHD_OPTION.CONNECTION_LIMIT.rawValue), CUnsignedInt(settings.maxConnections),
                        CInt(MHD_OPTION.PER_IP_CONNECTION_LIMIT.rawValue), CUnsignedInt(settings.maxConnectionsPerAddress),
                        CInt(MHD_OPTION.CONNECTION_TIMEOUT.rawValue), CUnsignedInt(settings.connectionTimeoutSeconds),
                        CInt(MHD_OPTION.NOTIFY_COMPLETED.rawValue), completed, contextArgument,
                        CInt(MHD_OPTION.NOTIFY_CONNECTION.rawValue), connectionChanged, contextArgument,
                    ]
                    if let keyPointer, let certificatePointer {
                        options += [CInt(MHD_OPTION.HTTPS_MEM_KEY.rawValue), OpaquePointer(keyPointer),
                                    CInt(MHD_OPTION.HTTPS_MEM_CERT.rawValue), OpaquePointer(certificatePointer)]
                    }
                    options.append(CInt(MHD_OPTION.END.rawValue))
                    return withVaList(options) { list in
                        MHD_start_daemon_va(flags, 0, nil, nil, accessHandler, context, list)
                    }
                }
            }
            guard let started else {
                socket.close()
                throw HTTPServerError(.cannotStart, "libmicrohttpd could not start on \(settings.address):\(socket.port) (see its log line above)")
            }
            daemon = DaemonHandle(pointer: started)
            deadlines.start()
            boundPort.store(socket.port, ordering: .relaxed)
            logger.info("http listening", ["address": settings.address, "port": String(socket.port),
                                           "tls": key == nil ? "off" : "on"])
        }
    }

    /// Ends streams, stops accepting, and returns when every connection's thread has ended.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        daemon.withLock { daemon in
            guard let handle = daemon else { return }
            deadlines.stop()
            MHD_stop_daemon(handle.pointer)
            daemon = nil
        }
    }

    deinit { stop() }

    // MARK: - Called from libmicrohttpd's threads

    /// One call of the access handler: collects the body, then answers.
    fileprivate func handle(
        connection: OpaquePointer, url: String, method: String, uploadData: UnsafePointer<CChar>?,
        uploadSize: UnsafeMutablePointer<Int>, requestState: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        guard let existing = requestState.pointee else {
            // First call: headers are here, the body is not. The handler decides before any of it is read.
            let state = RequestState(method: method, path: url, connection: connection)
            requestState.pointee = Unmanaged.passRetained(state).toOpaque()
            let head = HTTPRequest(method: method, path: url, query: state.query, headers: state.headers, body: Data())
            let announcedLength = state.headers["content-length"].flatMap(Int.init)
            switch handler.admit(head) {
            case .answer(let response):
                enter(.responding, connection)
                return queue(response, on: connection)
            case .noBody:
                state.discardsBody = true
            case .body(let maxBytes):
                state.limit = min(maxBytes, settings.maxRequestBytes)
                if let announcedLength, announcedLength > state.limit { state.tooLarge = true }
            }
            let hasBody = announcedLength.map { $0 > 0 } ?? (state.headers["transfer-encoding"] != nil)
            enter(hasBody ? .receivingBody : .responding, connection)
            return .YES
        }
        let state = Unmanaged<RequestState>.fromOpaque(existing).takeUnretainedValue()
        if uploadSize.pointee > 0 {
            let count = uploadSize.pointee
            if state.discardsBody {
                // Read and dropped: an endpoint without a body never holds one in memory.
            } else if !state.tooLarge, state.body.count + count <= state.limit, let uploadData {
                state.body.append(UnsafeRawPointer(uploadData).assumingMemoryBound(to: UInt8.self), count: count)
            } else {
                state.tooLarge = true
                state.body = Data()
            }
            uploadSize.pointee = 0
            return .YES
        }
        enter(.responding, connection)
        let response: HTTPResponse
        if state.tooLarge {
            response = .error(413, "too-large", "the request body is larger than the \(state.limit) bytes accepted here")
        } else if isStopping {
            response = HTTPResponse.error(503, "stopping", "the hub is stopping").with(header: "Retry-After", "5")
        } else {
            let request = HTTPRequest(method: method, path: url, query: state.query, headers: state.headers, body: state.body)
            response = handler.respond(to: request)
        }
        return queue(response, on: connection)
    }

    /// Reports the connection's phase to its watch (the one `connectionNotified` stored as its socket context).
    fileprivate func enter(_ phase: ConnectionDeadlines.Phase, _ connection: OpaquePointer) {
        guard let context = hub_mhd_connection_context(connection) else { return }
        deadlines.enter(phase, Unmanaged<ConnectionDeadlines.Watch>.fromOpaque(context).takeUnretainedValue())
    }

    private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
        let created: OpaquePointer?
        switch response.body {
        case .bytes(let data):
            created = data.withUnsafeBytes { bytes in
                MHD_create_response_from_buffer(bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                                .RESPMEM_MUST_COPY)
            }
        case .stream(let stream):
            let reader = StreamReader(stream: stream, server: self)
            created = MHD_create_response_from_callback(
                HubMHDSizeUnknown, 4096, streamRead, Unmanaged.passRetained(reader).toOpaque(), streamFree)
        }
        guard let created else { return .NO }
        defer { MHD_destroy_response(created) }
        for (name, value) in response.headers { _ = MHD_add_response_header(created, name, value) }
        return MHD_queue_response(connection, UInt32(response.status), created)
    }
}

extension HTTPResponse {
    /// The same response with one more header.
    public func with(header name: String, _ value: String) -> HTTPResponse {
        var copy = self
        copy.headers[name] = value
        return copy
    }
}

/// The daemon pointer. `@unchecked Sendable`: it is only used inside `HTTPServer.daemon`'s lock.
private struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// What one request has gathered across the handler's calls. Only the connection's own thread
/// touches it (one thread per connection), so it needs no lock.
private final class RequestState {
    let method: String
    let path: String
    var headers: [String: String] = [:]
    var query: [(name: String, value: String)] = []
    var body = Data()
    var limit = 0
    var tooLarge = false
    var discardsBody = false

    init(method: String, path: String, connection: OpaquePointer) {
        self.method = method
        self.path = path
        let box = Unmanaged.passRetained(ValueCollector()).toOpaque()
        defer { Unmanaged<ValueCollector>.fromOpaque(box).release() }
        let collector = Unmanaged<ValueCollector>.fromOpaque(box).takeUnretainedValue()
        _ = MHD_get_connection_values(connection, .HEADER_KIND, collectValue, box)
        headers = Dictionary(collector.pairs.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        collector.pairs = []
        _ = MHD_get_connection_values(connection, .GET_ARGUMENT_KIND, collectValue, box)
        query = collector.pairs
    }
}

/// Gathers key/value pairs from `MHD_get_connection_values`.
private final class ValueCollector {
    var pairs: [(name: String, value: String)] = []
}

/// A streamed body and the bytes of its current piece not yet handed to libmicrohttpd. Only the
/// connection's thread calls `read`; `@unchecked Sendable` because the reference crosses a C pointer.
private final class StreamReader: @unchecked Sendable {
    let stream: any ResponseStream
    unowned let server: HTTPServer
    var pending = Data()

    init(stream: any ResponseStream, server: HTTPServer) {
        self.stream = stream
        self.server = server
    }

    /// Fills `buffer` with up to `capacity` bytes, waiting for the stream; a keep-alive comment after
    /// 15 idle seconds so that proxies and clients see the connection alive.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        var idleSeconds = 0
        while pending.isEmpty {
            if server.isStopping { return Int(HubMHDContentReaderEndOfStream) }
            switch stream.next(timeout: .seconds(1)) {
            case .data(let data): pending = data
            case .end: return Int(HubMHDContentReaderEndOfStream)
            case .abort: return Int(HubMHDContentReaderEndWithError)
            case .idle:
                idleSeconds += 1
                if idleSeconds >= 15 { pending = Data(": keep-alive\n\n".utf8) }
            }
        }
        let count = min(capacity, pending.count)
        pending.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress!, byteCount: count)
        }
        pending.removeFirst(count)
        return count
    }
}

private func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

// MARK: - C callbacks (no captures: everything comes through their context pointers)

private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadSize, conCls in
    guard let cls, let connection, let url, let method, let uploadSize, let conCls else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    return server.handle(connection: connection, url: String(cString: url), method: String(cString: method),
                         uploadData: uploadData, uploadSize: uploadSize, requestState: conCls)
}

private let requestCompleted: MHD_RequestCompletedCallback = { cls, connection, conCls, _ in
    if let cls, let connection {
        // The next request's headers are awaited from now.
        Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().enter(.awaitingHeaders, connection)
    }
    guard let conCls, let state = conCls.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(state).release()
    conCls.pointee = nil
}

private let connectionNotified: MHD_NotifyConnectionCallback = { cls, connection, socketContext, event in
    guard let cls, let connection, let socketContext else { return }
    let deadlines = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().deadlines
    switch event {
    case .CONNECTION_NOTIFY_STARTED:
        // The connection keeps its watch (retained here) until it closes; each phase change is then
        // a store on it, found through the connection, with no lock shared by all connections.
        let watch = deadlines.opened(socket: hub_mhd_connection_socket(connection))
        socketContext.pointee = Unmanaged.passRetained(watch).toOpaque()
    case .CONNECTION_NOTIFY_CLOSED:
        guard let context = socketContext.pointee else { return }
        socketContext.pointee = nil
        deadlines.closed(Unmanaged<ConnectionDeadlines.Watch>.fromOpaque(context).takeRetainedValue())
    default: break
    }
}

private let collectValue: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return .YES }
    let collector = Unmanaged<ValueCollector>.fromOpaque(cls).takeUnretainedValue()
    collector.pairs.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
    return .YES
}

private let streamRead: MHD_ContentReaderCallback = { cls, _, buffer, capacity in
    guard let cls, let buffer else { return Int(HubMHDContentReaderEndWithError) }
    return Unmanaged<StreamReader>.fromOpaque(cls).takeUnretainedValue().read(into: buffer, capacity: capacity)
}

private let streamFree: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    let reader = Unmanaged<StreamReader>.fromOpaque(cls).takeRetainedValue()
    reader.stream.close()
}
