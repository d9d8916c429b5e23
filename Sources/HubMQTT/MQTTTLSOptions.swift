/// TLS settings for the broker connection: when `MQTTClientOptions.tls` is set, the client speaks TLS.
///
/// The broker's certificate is verified against `caFile`, host name included (libmosquitto's
/// default). `certFile` and `keyFile` go together, for brokers that authenticate clients by certificate.
public struct MQTTTLSOptions: Sendable, Hashable {
    /// PEM file with the certificate authorities that may sign the broker's certificate.
    public var caFile: String
    /// PEM client certificate, when the broker asks for one.
    public var certFile: String?
    /// PEM private key of `certFile` (unencrypted).
    public var keyFile: String?

    /// Creates TLS settings.
    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
