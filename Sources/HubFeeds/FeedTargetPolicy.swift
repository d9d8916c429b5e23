import Foundation
import HubServices

/// Where one feed's requests may go: its own origin, the hosts its route allows (for redirects
/// and discovered files), and only public addresses unless the route allows private ones. The
/// feed's headers (API keys) go to its own origin only.
struct FeedTargetPolicy: Sendable {
    /// Scheme, host and port of a URL, the unit the web's same-origin rule compares.
    struct Origin: Hashable, Sendable, CustomStringConvertible {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: URL) {
            guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host?.lowercased(), !host.isEmpty else { return nil }
            self.scheme = scheme
            self.host = host
            port = url.port ?? (scheme == "https" ? 443 : 80)
        }

        var description: String { "\(scheme)://\(host):\(port)" }
    }

    /// The feed's own origin, from its configured URL.
    let origin: Origin?
    /// `host` or `host:port` entries the route allows besides its origin.
    let allowedHosts: Set<String>
    /// Whether loopback, private and link-local addresses may be fetched.
    let allowsPrivateNetwork: Bool

    init(source: FeedSource) {
        origin = Origin(source.url)
        allowedHosts = Set(source.allowedHosts)
        allowsPrivateNetwork = source.allowsPrivateNetwork
    }

    /// Whether `url` is on the feed's own origin, where its headers may be sent.
    func isOwnOrigin(_ url: URL) -> Bool {
        origin != nil && Origin(url) == origin
    }

    /// Throws unless the feed may fetch `url` after `previous` (a redirect or a discovered file):
    /// http or https, never from https down to http, on its origin or an allowed host.
    func check(_ url: URL, after previous: URL) throws(FeedFetchError) {
        guard let target = Origin(url) else {
            throw FeedFetchError(.refused, "refused \(SecretRedaction.url(url)): only http and https URLs are fetched")
        }
        if previous.scheme?.lowercased() == "https", target.scheme == "http" {
            throw FeedFetchError(.refused, "refused \(SecretRedaction.url(url)): it leaves https for plain http")
        }
        if target == origin || allowedHosts.contains(target.host) || allowedHosts.contains("\(target.host):\(target.port)") {
            return
        }
        throw FeedFetchError(.refused, "refused \(SecretRedaction.url(url)): \(target.host) is not the feed's origin "
                             + "(\(origin?.host ?? "?")); add it to the route's feed.allowHosts to fetch it")
    }

    /// Why the feed may not connect to `address` (an IP literal as the resolver gave it), or nil
    /// when it may.
    func refusal(ofAddress address: String) -> String? {
        guard !allowsPrivateNetwork, let kind = Self.nonPublicKind(of: address) else { return nil }
        return "refused to connect to \(address), a \(kind) address; set feed.allowPrivateNetwork on the route "
            + "if this feed really is on the city's own network"
    }

    /// What kind of non-public address `address` is (loopback, private, link-local, ...), or nil
    /// for a public one. Text that is no IP address counts as unknown, hence not public.
    static func nonPublicKind(of address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return nonPublicKind(ipv4: UInt32(bigEndian: v4.s_addr))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return "unreadable" }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        let embeddedV4 = UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15])
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return nonPublicKind(ipv4: embeddedV4)  // ::ffff:a.b.c.d
        }
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {
            return nonPublicKind(ipv4: embeddedV4)  // 64:ff9b::/96, NAT64
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return bytes[15] == 1 ? "loopback" : "unspecified" }
        if bytes[0] & 0xFE == 0xFC { return "private (unique local)" }
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return "link-local" }
        if bytes[0] == 0xFF { return "multicast" }
        return nil
    }

    private static func nonPublicKind(ipv4 address: UInt32) -> String? {
        func within(_ network: UInt32, _ prefix: UInt32) -> Bool {
            address >> (32 - prefix) == network >> (32 - prefix)
        }
        switch address {
        case _ where within(0x7F00_0000, 8): return "loopback"
        case _ where within(0x0A00_0000, 8), _ where within(0xAC10_0000, 12), _ where within(0xC0A8_0000, 16):
            return "private"
        case _ where within(0xA9FE_0000, 16): return "link-local"
        case _ where within(0x6440_0000, 10): return "shared (carrier-grade NAT)"
        case _ where within(0x0000_0000, 8): return "unspecified"
        case _ where within(0xC000_0000, 24), _ where within(0xC612_0000, 15): return "reserved"
        case _ where within(0xE000_0000, 4): return "multicast"
        case _ where within(0xF000_0000, 4): return "reserved"
        default: return nil
        }
    }
}
