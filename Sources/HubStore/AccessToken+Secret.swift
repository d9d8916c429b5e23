import HubCore

// What every store does with a token's secret, whatever its engine: made from the system's random
// source, kept only as a salted SHA-256, checked in constant time.
extension AccessToken {
    /// A new token named `name`: the record, the string shown once to its owner, and what the
    /// store keeps of the secret (a random salt and the SHA-256 of salt and secret).
    public static func issue(name: String, scopes: Set<String>, expiresAt: Timestamp?, now: Timestamp)
        -> (issued: IssuedToken, salt: [UInt8], digest: [UInt8]) {
        var generator = SystemRandomNumberGenerator()  // getrandom(2) on Linux: fit for secrets
        let id = (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = AccessToken(id: id, name: name, scopes: scopes, createdAt: now, expiresAt: expiresAt, lastUsedAt: nil)
        return (IssuedToken(token: token, secret: prefix + id + "_" + secret), salt, digest(salt: salt, secret: secret))
    }

    /// Whether `secret` is the one whose salted hash the store kept, compared in constant time
    /// (every byte is looked at, whichever differs first).
    public static func secret(_ secret: String, matchesSalt salt: [UInt8], digest stored: [UInt8]) -> Bool {
        let digest = digest(salt: salt, secret: secret)
        guard stored.count == digest.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<digest.count { difference |= digest[index] ^ stored[index] }
        return difference == 0
    }

    private static func digest(salt: [UInt8], secret: String) -> [UInt8] {
        var hash = SHA256()
        hash.update(salt)
        hash.update(secret)
        return hash.finalize()
    }
}
