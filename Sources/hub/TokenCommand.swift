import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices
import HubStore

/// `hub token create|list|revoke`: the access tokens of the configured store, managed by the operations
/// team while the hub runs (the HTTP server checks the store on every request, so a change counts at
/// once). A new token is printed once; the store keeps only a salted SHA-256 of it.
enum TokenCommand {
    static let scopeHelp = "read, admin, validate, operate, read:ROUTE, ingest:ROUTE"

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        guard let action = arguments.positionals.first else { throw UsageError("token needs create, list or revoke") }
        switch action {
        case "create":
            try arguments.rejectUnknownOptions(["config", "name", "scopes", "expires"])
            guard arguments.positionals.count == 1 else { throw UsageError("token create takes no positional argument") }
            guard let name = arguments.option("name"), isValidName(name) else {
                throw UsageError("token create needs --name NAME (letters, digits, - _ .)")
            }
            let scopes = try parseScopes(arguments.option("scopes") ?? "")
            let expiresAt = try arguments.option("expires").map { Timestamp.now().adding(microseconds: try parseLifetime($0)) }
            let store = try openStore(arguments)
            defer { try? store.close() }
            let issued = try store.createToken(name: name, scopes: scopes, expiresAt: expiresAt)
            Output.line(issued.secret)
            Output.error("token \(name) created (\(scopes.sorted().joined(separator: ","))\(expiresAt.map { ", expires \($0.iso8601)" } ?? "")); it is shown only this once")
            return 0
        case "list":
            try arguments.rejectUnknownOptions(["config"])
            let path = try HubCommand.loadConfiguration(arguments).store.path
            guard FileManager.default.fileExists(atPath: path) else {
                Output.line("no store at \(path) yet: 0 token(s) in the store")
                return 0
            }
            let store = try openStore(arguments)
            defer { try? store.close() }
            let now = Timestamp.now()
            var rows = [["NAME", "ID", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "STATUS"]]
            let tokens = try store.tokens()
            for token in tokens {
                rows.append([token.name, token.id, token.scopes.sorted().joined(separator: ","), token.createdAt.iso8601,
                             token.expiresAt?.iso8601 ?? "never", token.lastUsedAt?.iso8601 ?? "never",
                             token.isExpired(at: now) ? "expired" : "valid"])
            }
            Output.line(TextTable.render(rows))
            Output.line("\(tokens.count) token(s) in the store; tokens of the configuration are not listed")
            return 0
        case "revoke":
            try arguments.rejectUnknownOptions(["config"])
            guard arguments.positionals.count == 2 else { throw UsageError("token revoke needs NAME") }
            let store = try openStore(arguments)
            defer { try? store.close() }
            guard try store.revokeToken(named: arguments.positionals[1]) else {
                Output.error("no token is named \(arguments.positionals[1])")
                return 1
            }
            Output.line("token \(arguments.positionals[1]) revoked: refused from now on")
            return 0
        default:
            throw UsageError("unknown token action \"\(action)\"; known: create, list, revoke")
        }
    }

    private static func openStore(_ arguments: Arguments) throws -> any HubDatabase {
        let configuration = try HubCommand.loadConfiguration(arguments)
        return try Hub.openStore(configuration.store, logger: Logger(label: "hub.token", level: .warning, sink: StandardErrorLogSink()))
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
    }

    /// `read,admin,ingest:partner-a`: each scope one the server knows.
    static func parseScopes(_ text: String) throws -> Set<String> {
        let scopes = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !scopes.isEmpty else { throw UsageError("token create needs --scopes (\(scopeHelp))") }
        for scope in scopes {
            let parts = scope.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let known = parts.count == 1 ? ["read", "admin", "validate", "operate"].contains(scope)
                : ["read", "ingest"].contains(String(parts[0])) && isValidName(String(parts[1]))
            guard known else { throw UsageError("unknown scope \"\(scope)\"; known: \(scopeHelp)") }
        }
        return Set(scopes)
    }

    /// `90d`, `12h`, `30m`: a lifetime in microseconds.
    static func parseLifetime(_ text: String) throws -> Int64 {
        let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int64(text.dropLast()), count > 0, count <= 36_500 else {
            throw UsageError("--expires \"\(text)\" is not a lifetime like 90d, 12h or 30m")
        }
        return count * unit * 1_000_000
    }
}
