import CCrypto

/// HMAC-SHA256 (RFC 2104 with SHA-256, as RFC 4231 tests it): the signature the hub puts on the
/// bodies it delivers to partners' webhooks, keyed with the subscription's secret. libcrypto's.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode<Key: Sequence, Message: Sequence>(
        for message: Message, key: Key
    ) -> [UInt8] where Key.Element == UInt8, Message.Element == UInt8 {
        // Never a null pointer, even for an empty key or message: libcrypto would read it as "no key".
        let key = Array(key), message = Array(message) + [0]
        return [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { code, count in
            let done = (key + [0]).withUnsafeBytes { keyBytes in
                message.withUnsafeBufferPointer { message in
                    HMAC(SHA256.algorithm, keyBytes.baseAddress, Int32(key.count), message.baseAddress, message.count - 1,
                         code.baseAddress, nil)
                }
            }
            precondition(done != nil, "libcrypto failed to compute an HMAC")
            count = SHA256.byteCount
        }
    }
}
