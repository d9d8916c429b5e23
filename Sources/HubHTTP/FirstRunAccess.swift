import HubCore
import HubServices
import HubStore

/// The first run of a hub on the operator's own machine, as notebook servers do it: when the server
/// listens on a loopback address and no token exists anywhere (none configured, none in the store),
/// a local admin token is created in the store and the dashboard's URL carrying it is printed, so
/// the first click opens the dashboard. Never on any other address: a hub reachable from the network
/// gets its tokens from its operators (`hub token create`, or the configuration).
public enum FirstRunAccess {
    /// The name of the token created on a first run (`hub token revoke first-run` removes it).
    public static let tokenName = "first-run"

    /// Whether `address` only accepts connections from this machine: 127.0.0.0/8, `::1`, `localhost`.
    public static func isLoopback(_ address: String) -> Bool {
        if address == "localhost" || address == "::1" { return true }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Creates the first-run token when `settings` listen on a loopback address and neither they nor
    /// `store` hold a token; nil otherwise. Its scopes are `read`, `admin`, `validate`, and
    /// `read:{route}` for each restricted route, so that the local operator can do everything.
    /// Nil too when another hub sharing the store created it first (hubs of a fleet start together).
    public static func issueIfNeeded(settings: HTTPSettings, routes: [Route], store: any TokenKeeping) throws -> IssuedToken? {
        guard isLoopback(settings.address), settings.tokens.isEmpty, try !store.hasTokens() else { return nil }
        let scopes = Set(["read", "admin", "validate"] + routes.filter(\.isRestricted).map { "read:\($0.name)" })
        do {
            return try store.createToken(name: tokenName, scopes: scopes, expiresAt: nil)
        } catch let error as StoreError where error.code == .constraint && (try? store.hasTokens()) == true {
            return nil
        }
    }

    /// The dashboard's address with `secret` in its fragment, which the dashboard reads and which a
    /// browser never sends to the server (so it appears in no log).
    public static func dashboardURL(settings: HTTPSettings, port: Int, secret: String) -> String {
        let scheme = settings.certFile == nil ? "http" : "https"
        let host = settings.address.contains(":") ? "[\(settings.address)]" : settings.address
        return "\(scheme)://\(host):\(port)/#token=\(secret)"
    }
}
