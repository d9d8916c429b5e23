import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real PostgreSQL server for tests: a cluster made with `initdb` in its own temporary folder,
/// started with `pg_ctl` on a free loopback port (its unix socket in that folder too), with a
/// superuser `hub` trusted on loopback. `databaseURL` names its first database; `createDatabase`
/// makes more (a copy of a template is quick: one per test).
///
/// PostgreSQL refuses to run as root: when the tests run as root, every server command runs as the
/// `postgres` user (`runuser -u postgres`), created when missing, and the folder is given to it.
/// `stop()` is `pg_ctl stop`, which signals the PID in the cluster's `postmaster.pid` only;
/// `deinit` stops it (immediate mode) and removes the folder.
public final class PostgresServer: @unchecked Sendable {
    // @unchecked Sendable: every property is immutable; starting and stopping go through pg_ctl,
    // serialized by `lock`.

    /// The address the server listens on.
    public let host = "127.0.0.1"
    /// The TCP port: chosen free at creation, kept across `restart()`.
    public let port: Int
    /// The superuser the tests connect as (trusted: no password).
    public let user = "hub"
    /// The folder holding the cluster (`data`), its socket and its log.
    public let directory: URL
    /// The server's log, for failure messages.
    public let logFile: URL
    /// The database made at creation.
    public let database = "hub"
    private let binaries: URL
    private let dataDirectory: URL
    private let socketDirectory: URL
    /// The user the server runs as when the tests run as root; nil to run as the current user.
    private let serverUser: String?
    private let lock = NSLock()

    /// Creates a cluster, starts it and creates the database `database`.
    ///
    /// - Parameter settings: more server settings (`name=value`), passed as `-c` options.
    /// - Throws: `TestSupportError` when PostgreSQL is not installed or does not start.
    public init(settings: [String] = []) throws {
        binaries = try Self.locateBinaries()
        port = try MosquittoBroker.freeLoopbackPort()
        directory = try TemporaryDirectory.make(prefix: "postgres")
        dataDirectory = directory.appendingPathComponent("data")
        socketDirectory = directory.appendingPathComponent("socket")
        logFile = directory.appendingPathComponent("postgres.log")
        serverUser = geteuid() == 0 ? "postgres" : nil
        try FileManager.default.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        if let serverUser {
            try Self.ensureUser(serverUser)
            try ExternalProgram.runTool("chown", ["-R", serverUser, directory.path])
        }
        // Nothing the tests do survives a machine crash: fsync is off, as for any disposable cluster.
        self.settings = ["listen_addresses=\(host)", "unix_socket_directories=\(socketDirectory.path)", "fsync=off",
                         "max_connections=200"] + settings
        try server("initdb", ["-D", dataDirectory.path, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        try start()
        try createDatabase(database)
    }

    private let settings: [String]

    deinit {
        shutDown()
    }

    /// Stops the server at once (immediate mode) and removes its folder; the object is unusable
    /// afterwards. Calling it again does nothing; `deinit` calls it.
    public func shutDown() {
        lock.withLock {
            guard FileManager.default.fileExists(atPath: dataDirectory.path) else { return }
            try? server("pg_ctl", ["-D", dataDirectory.path, "-m", "immediate", "-w", "stop"])
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The URL of `name` (the database made at creation by default), as the hub's configuration takes it.
    public func url(database name: String? = nil) -> String {
        "postgresql://\(user)@\(host):\(port)/\(name ?? database)?sslmode=disable"
    }

    /// The URL of the database made at creation.
    public var databaseURL: String { url() }

    /// Starts the server (again) on the same port and cluster and waits until it accepts connections.
    public func start() throws {
        try lock.withLock {
            let options = ["-p", String(port)] + settings.flatMap { ["-c", $0] }
            do {
                try server("pg_ctl", ["-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60",
                                      "-o", options.joined(separator: " "), "start"])
            } catch {
                throw TestSupportError(.brokerDidNotStart, "PostgreSQL did not start: \(error)\n\(logText)")
            }
        }
    }

    /// Stops the server (fast shutdown: sessions are ended, committed work is kept) and waits until it exited.
    public func stop() throws {
        try lock.withLock {
            try server("pg_ctl", ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"])
        }
    }

    /// Stops and starts the server: every client loses its connection, committed data stays.
    public func restart() throws {
        try stop()
        try start()
    }

    /// Creates a database, as a copy of `template` when given (a quick way to a fresh, migrated one).
    public func createDatabase(_ name: String, template: String? = nil) throws {
        try server("createdb", ["-h", socketDirectory.path, "-p", String(port), "-U", user]
                   + (template.map { ["-T", $0] } ?? []) + [name])
    }

    /// Drops a database (no one may be connected to it).
    public func dropDatabase(_ name: String) throws {
        try server("dropdb", ["-h", socketDirectory.path, "-p", String(port), "-U", user, "--if-exists", name])
    }

    /// The server's log so far.
    public var logText: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Runs one of PostgreSQL's programs, as the server's user when the tests run as root, and waits
    /// for it to exit.
    ///
    /// Spawned with `posix_spawn` and awaited with `waitpid` rather than through `Process`: `pg_ctl
    /// start` leaves the server running in the background, and `Process` counts a child as running
    /// while any descendant holds the descriptor it watches; here the server inherits nothing but its
    /// standard streams (every other descriptor is closed in the child).
    private func server(_ program: String, _ arguments: [String]) throws {
        let executable = binaries.appendingPathComponent(program).path
        let command = serverUser.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] } ?? [executable]
        let output = directory.appendingPathComponent("\(program).out")
        let status = try Self.spawnAndWait(command + arguments, output: output.path)
        guard status == 0 else {
            let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw TestSupportError(.commandFailed, "\(program) \(arguments.joined(separator: " ")) exited with \(status): \(printed)")
        }
    }

    /// Runs `command` (a path and its arguments) with standard output and error in `output` and
    /// every other descriptor closed; returns its exit status.
    private static func spawnAndWait(_ command: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Every other descriptor the tests have open (glibc ignores closing one closed meanwhile).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, arguments, environ)
        guard spawned == 0 else {
            throw TestSupportError(.commandFailed, "cannot run \(command[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw TestSupportError(.commandFailed, "waiting for \(command[0]): \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, spelled out (Swift does not import the macros).
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// The folder of the newest PostgreSQL installed from the distribution (`/usr/lib/postgresql/<version>/bin`,
    /// not on PATH), or of `initdb` on PATH.
    private static func locateBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .compactMap { name in Int(name).map { (version: $0, name: name) } }
            .sorted { $0.version > $1.version }
        for version in versions {
            let folder = root.appendingPathComponent(version.name).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("pg_ctl").path) { return folder }
        }
        if let initdb = try? ExternalProgram.locate("initdb") { return initdb.deletingLastPathComponent() }
        throw TestSupportError(.toolNotFound, "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl, no initdb on PATH): scripts/test installs it")
    }

    /// Creates the system user `name` when it does not exist.
    private static func ensureUser(_ name: String) throws {
        guard getpwnam(name) == nil else { return }
        try ExternalProgram.runTool("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name])
    }
}
