import Foundation
import HubCore
import HubTesting
import XCTest

/// `hub token` and the first run, as an operator meets them: the URL printed by a first `hub run` on
/// a loopback address opens the API; tokens created and revoked with `hub token` while the hub runs
/// count at once; a hub bound to another address creates and prints nothing.
final class TokenCommandTests: XCTestCase {
    private func configuration(address: String) throws -> (URL, URL) {
        let directory = try TemporaryDirectory.make(prefix: "hub-token")
        let configuration = directory.appendingPathComponent("hub.json")
        try Data("""
            {"store":{"path":"\(directory.appendingPathComponent("hub.sqlite").path)"},
             "http":{"address":"\(address)","port":0},
             "routes":[{"name":"partner","webhook":{},"connector":"sensors.json","settings":{"entityType":"X","idField":"device"}}]}
            """.utf8).write(to: configuration)
        return (directory, configuration)
    }

    private func hub(_ arguments: [String]) throws -> ExternalProgram.Result {
        try ExternalProgram.run(ExternalProgram.built("hub"), arguments)
    }

    func testTheFirstRunPrintsADashboardURLWhoseTokenTheOperatorCanListAndRevoke() throws {
        let (directory, configuration) = try configuration(address: "127.0.0.1")
        let running = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path],
                                         logFile: directory.appendingPathComponent("hub.log"))
        XCTAssertTrue(waitUntil(timeout: 30) { running.log.contains("#token=") }, running.log)
        let url = try XCTUnwrap(running.log.split(whereSeparator: \.isWhitespace).first { $0.contains("/#token=") }.map(String.init))
        let base = String(url[..<url.range(of: "/#token=")!.lowerBound])
        let token = String(url[url.range(of: "#token=")!.upperBound...])
        XCTAssertTrue(base.hasPrefix("http://127.0.0.1:"), url)
        let client = HTTPTestClient(baseURL: base)
        XCTAssertEqual(try client.send("GET", "/api/v1/routes", token: token).status, 200)
        XCTAssertEqual(try client.send("GET", "/", token: nil).status, 200, "the dashboard itself")

        // While it runs, the operations team manages tokens on the same store.
        let list = try hub(["token", "list", "--config", configuration.path])
        XCTAssertEqual(list.status, 0, list.errors)
        XCTAssertTrue(list.output.contains("first-run"), list.output)
        XCTAssertTrue(list.output.contains("admin,read"), list.output)
        XCTAssertFalse(list.output.contains(String(token.split(separator: "_")[2])), "the secret is never shown again")

        let created = try hub(["token", "create", "--config", configuration.path, "--name", "partner-a",
                               "--scopes", "ingest:partner", "--expires", "90d"])
        XCTAssertEqual(created.status, 0, created.errors)
        let partnerToken = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(partnerToken.hasPrefix("hub_"), created.output)
        let posted = try client.send("POST", "/ingest/partner", token: partnerToken, body: Data(#"{"device":"d1"}"#.utf8))
        XCTAssertEqual(posted.status, 202, posted.text)
        XCTAssertEqual(try client.send("GET", "/api/v1/routes", token: partnerToken).status, 403, "no read scope")
        let listed = try hub(["token", "list", "--config", configuration.path]).output
        let partnerLine = try XCTUnwrap(listed.split(separator: "\n").first { $0.hasPrefix("partner-a") })
        XCTAssertFalse(partnerLine.contains("never  valid"), "expiry and last use are shown: \(partnerLine)")
        XCTAssertTrue(partnerLine.hasSuffix("valid"), String(partnerLine))

        let revoked = try hub(["token", "revoke", "first-run", "--config", configuration.path])
        XCTAssertEqual(revoked.status, 0, revoked.errors)
        XCTAssertEqual(try client.send("GET", "/api/v1/routes", token: token).status, 401, "refused at once, without a restart")
        XCTAssertEqual(try hub(["token", "revoke", "first-run", "--config", configuration.path]).status, 1)
        XCTAssertEqual(try running.terminate(), 0, running.log)

        // The next run finds a token in the store: nothing is created or printed.
        let second = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path],
                                        logFile: directory.appendingPathComponent("second.log"))
        XCTAssertTrue(waitUntil(timeout: 30) { second.log.contains("hub running") }, second.log)
        XCTAssertEqual(try second.terminate(), 0, second.log)
        XCTAssertFalse(second.log.contains("#token="), second.log)
    }

    func testAHubOnANonLoopbackAddressCreatesAndPrintsNoToken() throws {
        let (directory, configuration) = try configuration(address: "0.0.0.0")
        let running = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path],
                                         logFile: directory.appendingPathComponent("hub.log"))
        XCTAssertTrue(waitUntil(timeout: 30) { running.log.contains("hub running") }, running.log)
        XCTAssertEqual(try running.terminate(), 0, running.log)
        XCTAssertFalse(running.log.contains("#token=") || running.log.contains("first-run"), running.log)
        let list = try hub(["token", "list", "--config", configuration.path])
        XCTAssertTrue(list.output.contains("0 token(s) in the store"), list.output)
    }

    func testBadTokenCommandsAreRefusedWithTheReason() throws {
        let (_, configuration) = try configuration(address: "127.0.0.1")
        let scope = try hub(["token", "create", "--config", configuration.path, "--name", "x", "--scopes", "write"])
        XCTAssertEqual(scope.status, 2)
        XCTAssertTrue(scope.errors.contains("unknown scope \"write\"; known: read, admin, validate, operate, read:ROUTE, ingest:ROUTE"), scope.errors)
        XCTAssertEqual(try hub(["token", "create", "--config", configuration.path, "--name", "supplier-check", "--scopes", "validate"]).status, 0)
        let expiry = try hub(["token", "create", "--config", configuration.path, "--name", "x", "--scopes", "read", "--expires", "soon"])
        XCTAssertTrue(expiry.errors.contains("not a lifetime like 90d"), expiry.errors)
        XCTAssertEqual(try hub(["token", "create", "--config", configuration.path, "--name", "x", "--scopes", "read"]).status, 0)
        let twice = try hub(["token", "create", "--config", configuration.path, "--name", "x", "--scopes", "read"])
        XCTAssertTrue(twice.errors.contains("already named x"), twice.errors)
    }
}
