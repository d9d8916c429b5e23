import EInvoicingPlugin
import Foundation
import HubCore
import XCTest

/// Fixtures, envelopes and settings for the e-invoicing connector tests.
enum TestSupport {
    /// 2026-11-22T08:00:00Z, the receiving time of the test envelopes.
    static let receivedAt = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    /// The bytes of a fixture under `Fixtures/`, e.g. `ubl/ubl-tc434-example1.xml`.
    static func fixture(_ path: String) throws -> Data {
        let url = URL(fileURLWithPath: path)
        let folder = (path as NSString).deletingLastPathComponent
        let found = try XCTUnwrap(
            Bundle.module.url(forResource: url.deletingPathExtension().lastPathComponent, withExtension: url.pathExtension,
                              subdirectory: folder.isEmpty ? "Fixtures" : "Fixtures/\(folder)"),
            "fixture \(path) is not in the test bundle")
        return try Data(contentsOf: found)
    }

    /// The names of the fixtures in one folder, sorted.
    static func fixtureNames(in folder: String) throws -> [String] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(folder)", withExtension: nil))
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    /// A file envelope carrying `payload`.
    static func envelope(_ payload: Data, name: String = "invoice.xml") -> Envelope {
        Envelope(route: "invoices", source: .file, origin: name, payload: payload, receivedAt: receivedAt)
    }

    /// Settings parsed from JSON text.
    static func settings(_ json: String = "{}") throws -> Settings {
        try Settings(JSONValue(parsing: json), path: "routes[0].settings")
    }

    /// The `ConnectorError` that `body` throws; fails the test when it throws nothing or something else.
    static func connectorError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> ConnectorError? {
        do {
            _ = try body()
            XCTFail("expected a ConnectorError, nothing was thrown", file: file, line: line)
        } catch let error as ConnectorError {
            return error
        } catch {
            XCTFail("expected a ConnectorError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

extension Event {
    /// The text of an attribute, or nil.
    func text(_ name: String) -> String? { attributes[name]?.text }

    /// The rule ids recorded in the `failures` attribute, in order.
    var failedRules: [String] {
        guard case .json(.array(let failures))? = attributes["failures"] else { return ["(no failures attribute)"] }
        return failures.compactMap { $0.objectValue?["rule"]?.stringValue }
    }

    /// The messages recorded in the `failures` attribute.
    var failureMessages: [String] {
        guard case .json(.array(let failures))? = attributes["failures"] else { return [] }
        return failures.compactMap { $0.objectValue?["message"]?.stringValue }
    }
}
