import Foundation

/// A throw-away certificate authority and a broker certificate it signed, made with `openssl`, for
/// tests of TLS connections to `127.0.0.1` / `localhost`.
public struct TestCertificates: Sendable, Hashable {
    /// The authority's certificate: what a client trusts (`MQTTTLSOptions.caFile`).
    public var caFile: String
    /// The broker's certificate, valid for IP 127.0.0.1 and DNS localhost.
    public var serverCertFile: String
    /// The broker certificate's private key.
    public var serverKeyFile: String

    /// Creates a new authority and broker certificate (P-256 keys, valid two days) in `directory`.
    ///
    /// - Parameter name: a prefix for the file names, so that several sets can share a folder.
    /// - Throws: `TestSupportError` when `openssl` is missing or fails.
    public static func make(in directory: URL, name: String = "test") throws -> TestCertificates {
        func file(_ suffix: String) -> String { directory.appendingPathComponent("\(name)-\(suffix)").path }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try ExternalProgram.runTool("openssl", ["req", "-x509"] + key + [
            "-keyout", file("ca.key"), "-out", file("ca.crt"), "-days", "2", "-subj", "/CN=\(name) test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try ExternalProgram.runTool("openssl", ["req"] + key + [
            "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost",
        ])
        try Data("subjectAltName=IP:127.0.0.1,DNS:localhost\n".utf8)
            .write(to: URL(fileURLWithPath: file("server.ext")))
        try ExternalProgram.runTool("openssl", [
            "x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"),
            "-CAcreateserial", "-out", file("server.crt"), "-days", "2", "-extfile", file("server.ext"),
        ])
        return TestCertificates(caFile: file("ca.crt"), serverCertFile: file("server.crt"), serverKeyFile: file("server.key"))
    }
}
