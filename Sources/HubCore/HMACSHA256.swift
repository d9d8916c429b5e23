/// HMAC-SHA256 (RFC 2104 with SHA-256, as RFC 4231 tests it): the signature the hub puts on the
/// bodies it delivers to partners' webhooks, keyed with the subscription's secret.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes: keys longer than this are hashed first.
    static let blockSize = 64

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode<Key: Sequence, Message: Sequence>(
        for message: Message, key: Key
    ) -> [UInt8] where Key.Element == UInt8, Message.Element == UInt8 {
        var block = Array(key)
        if block.count > blockSize { block = SHA256.hash(block) }
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
