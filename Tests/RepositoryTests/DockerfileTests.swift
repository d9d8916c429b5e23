import Foundation
import HubTesting
import XCTest

/// The container image cannot be built on these machines (no registry is reachable), so these
/// tests check what a build would need: `docker/Dockerfile`'s packages against `scripts/lib.sh`
/// and the hub's real shared libraries, and its Swift base image against `Package.swift`.
final class DockerfileTests: XCTestCase {
    private var dockerfile: Dockerfile!

    override func setUpWithError() throws {
        dockerfile = try Dockerfile(contentsOf: Repository.root.appendingPathComponent("docker/Dockerfile"))
    }

    /// The build stage installs every package `scripts/lib.sh` builds the hub with (pkg-config and
    /// the `-dev` packages), and no other.
    func testBuildStageInstallsTheBuildPackagesOfScriptsLib() throws {
        let build = try XCTUnwrap(dockerfile.stages["build"], "no stage named build")
        let wanted = try Self.scriptPackages().filter { $0 == "pkg-config" || $0.hasSuffix("-dev") }
        XCTAssertFalse(wanted.isEmpty)
        XCTAssertEqual(Set(build.installedPackages), Set(wanted),
                       "docker/Dockerfile's build stage and scripts/lib.sh's HUB_APT_PACKAGES disagree")
    }

    /// The runtime stage installs the library each `-dev` package is built from (libmosquitto1 for
    /// libmosquitto-dev, libqpdf29 for libqpdf-dev, ...), as this machine's Debian names them.
    func testRuntimeStageInstallsTheLibraryOfEveryDevPackage() throws {
        let runtime = try XCTUnwrap(dockerfile.stages["runtime"], "no stage named runtime")
        let packages = try DebianPackages()
        for dev in try Self.scriptPackages() where dev.hasSuffix("-dev") {
            let libraries = try packages.sameVersionDependencies(of: dev)
            XCTAssertFalse(libraries.isEmpty, "\(dev) names no library of its own version")
            for library in libraries {
                XCTAssertTrue(runtime.installedPackages.contains(library),
                              "the runtime stage does not install \(library), the library of \(dev)")
            }
        }
    }

    /// Every shared library the hub loads, except the Swift runtime (linked in statically by
    /// `--static-swift-stdlib`), comes from a package the runtime stage installs or one those
    /// packages depend on.
    func testEveryLibraryTheHubLoadsComesFromTheRuntimeStage() throws {
        let runtime = try XCTUnwrap(dockerfile.stages["runtime"], "no stage named runtime")
        let hub = try ExternalProgram.built("hub")
        let ldd = try ExternalProgram.run(ExternalProgram.locate("ldd"), [hub.path])
        XCTAssertEqual(ldd.status, 0, ldd.errors)
        let toolchain = try ExternalProgram.locate("swift").resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let libraries = ldd.output.split(separator: "\n").compactMap { line -> String? in
            guard let arrow = line.range(of: "=> ") else { return nil }
            let path = line[arrow.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            return path.hasPrefix("/") && !path.hasPrefix(toolchain) ? path : nil
        }
        XCTAssertTrue(libraries.contains { $0.contains("libmosquitto") }, "ldd did not list libmosquitto: \(ldd.output)")
        let packages = try DebianPackages()
        let installed = packages.closure(of: runtime.installedPackages)
        // dpkg records some libraries under /lib and some under /usr/lib (merged /usr): ask for the
        // path ldd gives and the real file behind it.
        let candidates = libraries.flatMap { [$0, URL(fileURLWithPath: $0).resolvingSymlinksInPath().path] }
        let owners = try packages.owners(of: candidates + candidates.map { $0.replacingOccurrences(of: "/usr/lib/", with: "/lib/") })
        for library in libraries {
            let real = URL(fileURLWithPath: library).resolvingSymlinksInPath().path
            let package = [library, real, real.replacingOccurrences(of: "/usr/lib/", with: "/lib/")].lazy.compactMap { owners[$0] }.first
            guard let package else { XCTFail("no installed package owns \(library)"); continue }
            XCTAssertTrue(installed.contains(package),
                          "\(library) (package \(package)) is not installed by the runtime stage nor a dependency of it")
        }
    }

    /// The Swift of the build stage's image can build the package: its version is at least the
    /// `swift-tools-version` of `Package.swift` (the code uses Swift 6.2's `weak let`).
    func testBaseImageSwiftIsAtLeastThePackagesToolsVersion() throws {
        let image = try XCTUnwrap(dockerfile.stages["build"]?.baseImage)
        XCTAssertTrue(image.hasPrefix("swift:"), "the build stage is not an official Swift image: \(image)")
        let imageVersion = try XCTUnwrap(Self.version(in: image.dropFirst("swift:".count)), "no version in \(image)")
        let manifest = try String(contentsOf: Repository.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let toolsLine = try XCTUnwrap(manifest.split(separator: "\n").first { $0.contains("swift-tools-version:") })
        let tools = try XCTUnwrap(Self.version(in: toolsLine.split(separator: ":").last ?? ""))
        XCTAssertFalse(imageVersion.lexicographicallyPrecedes(tools),
                       "\(image) is older than swift-tools-version \(tools.map(String.init).joined(separator: "."))")
        XCTAssertFalse(tools.lexicographicallyPrecedes([6, 2]), "Package.swift claims an older Swift than the code needs (weak let is 6.2)")
    }

    func testVersionsAreReadAsNumbers() {
        XCTAssertEqual(Self.version(in: "6.3-bookworm"), [6, 3])
        XCTAssertEqual(Self.version(in: "6.10.1-noble"), [6, 10, 1])
        XCTAssertTrue([6, 1].lexicographicallyPrecedes([6, 10]))
        XCTAssertNil(Self.version(in: "latest"))
    }

    /// `HUB_APT_PACKAGES` of scripts/lib.sh.
    static func scriptPackages() throws -> [String] {
        let script = try String(contentsOf: Repository.root.appendingPathComponent("scripts/lib.sh"), encoding: .utf8)
        guard let line = script.split(separator: "\n").first(where: { $0.hasPrefix("HUB_APT_PACKAGES=(") }),
              let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") else {
            throw RepositoryError("scripts/lib.sh has no HUB_APT_PACKAGES=(...) line")
        }
        return line[line.index(after: open)..<close].split(separator: " ").map(String.init)
    }

    /// The leading dotted number of `text` (`6.3` of `6.3-bookworm`).
    static func version(in text: some StringProtocol) -> [Int]? {
        let digits = text.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".").compactMap { Int($0) }
        return parts.isEmpty ? nil : parts
    }
}

/// The stages of a Dockerfile by name, with their base image and the packages `apt-get install`s.
struct Dockerfile {
    struct Stage {
        var baseImage: String
        var installedPackages: [String] = []
    }

    var stages: [String: Stage] = [:]

    init(contentsOf url: URL) throws {
        // Continuation lines joined, so one RUN is one instruction.
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\\\n", with: " ")
        var current: String?
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if words.first == "FROM", words.count >= 4, words[2].uppercased() == "AS" {
                current = words[3]
                stages[words[3]] = Stage(baseImage: words[1])
            } else if words.first == "RUN", let name = current {
                stages[name]?.installedPackages += Self.aptInstalls(words)
            }
        }
    }

    /// The package names after each `apt-get install` of a RUN line, up to the next `&&`.
    private static func aptInstalls(_ words: [String]) -> [String] {
        var packages: [String] = []
        var index = 0
        while index < words.count {
            if words[index] == "apt-get", index + 1 < words.count, words[index + 1] == "install" {
                index += 2
                while index < words.count, words[index] != "&&" {
                    if !words[index].hasPrefix("-") { packages.append(words[index]) }
                    index += 1
                }
            }
            index += 1
        }
        return packages
    }
}

/// What dpkg knows about this machine's installed Debian packages, read once.
struct DebianPackages {
    private struct Package {
        var version: String
        var dependencies: [[Dependency]]
    }

    private struct Dependency {
        var name: String
        var constraint: String?
    }

    private let installed: [String: Package]

    /// Every installed package with its version and dependencies (one `dpkg-query -W`).
    init() throws {
        let query = try ExternalProgram.run(ExternalProgram.locate("dpkg-query"),
                                            ["-W", "-f=${Package}\t${Status}\t${Version}\t${Depends}, ${Pre-Depends}\n"])
        guard query.status == 0 else { throw RepositoryError("dpkg-query -W failed: \(query.errors)") }
        var installed: [String: Package] = [:]
        for line in query.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, fields[1].hasSuffix("installed"), !fields[1].contains("not-installed") else { continue }
            let groups = fields[3].split(separator: ",").map { $0.split(separator: "|").compactMap(Self.parse) }
            installed[String(fields[0])] = Package(version: String(fields[2]), dependencies: groups.filter { !$0.isEmpty })
        }
        self.installed = installed
    }

    /// The packages that installed `paths` (`libmosquitto1` for its `.so`), by path.
    func owners(of paths: [String]) throws -> [String: String] {
        let search = try ExternalProgram.run(ExternalProgram.locate("dpkg-query"), ["-S"] + paths)
        var owners: [String: String] = [:]
        for line in search.output.split(separator: "\n") {
            guard let separator = line.range(of: ": ") else { continue }
            let package = line[..<separator.lowerBound].split(separator: ",").first?.split(separator: ":").first
            owners[String(line[separator.upperBound...])] = package.map(String.init)
        }
        return owners
    }

    /// The dependencies of `package` pinned to its own version (`libqpdf29 (= 11.3.0-1)` of
    /// libqpdf-dev): the runtime libraries built from the same source.
    func sameVersionDependencies(of package: String) throws -> [String] {
        guard let found = installed[package] else { throw RepositoryError("\(package) is not installed here") }
        return Array(Set(found.dependencies.joined().filter { $0.constraint?.hasSuffix(found.version) == true }.map(\.name)))
    }

    /// `packages` and everything they depend on as installed here (of alternatives, the first
    /// that is installed).
    func closure(of packages: [String]) -> Set<String> {
        var seen = Set<String>()
        var pending = packages
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let package = installed[name] else { continue }
            for alternatives in package.dependencies {
                if let chosen = alternatives.first(where: { installed[$0.name] != nil }) { pending.append(chosen.name) }
            }
        }
        return seen
    }

    private static func parse(_ text: Substring) -> Dependency? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let name = trimmed.split(separator: " ").first?.split(separator: ":").first, !name.isEmpty else { return nil }
        var constraint: String?
        if let open = trimmed.firstIndex(of: "("), let close = trimmed.firstIndex(of: ")") {
            constraint = String(trimmed[trimmed.index(after: open)..<close])
        }
        return Dependency(name: String(name), constraint: constraint)
    }
}

/// The compose broker refuses anonymous clients: `docker/mosquitto.conf` run by this machine's
/// Mosquitto (its paths and port moved to a temporary folder) lets in only the user whose password
/// file compose writes.
final class ComposeBrokerTests: XCTestCase {
    func testTheComposeBrokerRefusesAnonymousClients() throws {
        let folder = try TemporaryDirectory.make(prefix: "compose-broker")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try MosquittoBroker.freeLoopbackPort()
        let original = try String(contentsOf: Repository.root.appendingPathComponent("docker/mosquitto.conf"), encoding: .utf8)
        XCTAssertTrue(original.contains("password_file /mosquitto/data/passwd"), "compose writes /mosquitto/data/passwd")
        let configuration = original
            .replacingOccurrences(of: "listener 1883 0.0.0.0", with: "listener \(port) 127.0.0.1")
            .replacingOccurrences(of: "/mosquitto/data/", with: folder.path + "/")
            + "user \(MosquittoBroker.currentUserName())\n"
        let configurationFile = folder.appendingPathComponent("mosquitto.conf")
        try configuration.write(to: configurationFile, atomically: true, encoding: .utf8)
        let passwd = try ExternalProgram.run(ExternalProgram.locate("mosquitto_passwd"),
                                             ["-c", "-b", folder.appendingPathComponent("passwd").path, "hub", "s3cret-for-test"])
        XCTAssertEqual(passwd.status, 0, passwd.errors)

        let mosquitto = try ExternalProgram.locate("mosquitto")
        let broker = try RunningProgram(mosquitto, ["-c", configurationFile.path], logFile: folder.appendingPathComponent("log"))
        defer { _ = try? broker.terminate() }
        let publish = try ExternalProgram.locate("mosquitto_pub")
        func send(_ credentials: [String]) throws -> Int32 {
            try ExternalProgram.run(publish, ["-h", "127.0.0.1", "-p", String(port), "-t", "t", "-m", "x", "-q", "1"] + credentials).status
        }
        XCTAssertTrue(try waitUntil(timeout: 10) { try send(["-u", "hub", "-P", "s3cret-for-test"]) == 0 },
                      "the broker never let the password user in: \(broker.log)")
        XCTAssertNotEqual(try send([]), 0, "an anonymous client was let in")
        XCTAssertNotEqual(try send(["-u", "hub", "-P", "wrong"]), 0, "a wrong password was let in")
    }
}
