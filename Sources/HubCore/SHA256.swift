import CCrypto

/// SHA-256 (FIPS 180-4), used for deterministic event ids and content addresses of archived
/// documents: OpenSSL's libcrypto, which uses the processor's SHA instructions where it has them.
///
/// A value: a copy taken part-way goes on from where the original was, on its own.
public struct SHA256: Sendable {
    /// The digest's length in bytes.
    public static let byteCount = 32

    private var context: DigestContext

    /// SHA-256 as libcrypto's default provider implements it, fetched once: fetching it for every
    /// hash (what `EVP_sha256()` leads to) looks it up among the providers each time.
    // nonisolated(unsafe): a fetched algorithm is never changed, and libcrypto lets any thread use it.
    nonisolated(unsafe) static let algorithm: OpaquePointer = {
        guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else { fatalError("libcrypto has no SHA-256") }
        return algorithm
    }()

    /// A hasher with nothing absorbed yet.
    public init() {
        context = DigestContext()
    }

    /// The digest of some bytes in one call.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return digest }
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the bytes at `bytes`, in one call (no hasher is kept).
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { digest, count in
            hash(bytes, into: UnsafeMutableRawBufferPointer(digest))
            count = byteCount
        }
    }

    /// Writes the digest of `bytes` into the first 32 bytes of `digest`, allocating nothing of its own:
    /// what event ids are made with.
    public static func hash(_ bytes: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= byteCount, "a SHA-256 digest takes 32 bytes")
        let done = EVP_Digest(bytes.baseAddress ?? UnsafeRawPointer(digest.baseAddress!), bytes.count,
                              digest.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, algorithm, nil)
        precondition(done == 1, "libcrypto failed to hash")
    }

    /// Absorbs bytes.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { absorb(UnsafeRawBufferPointer($0)) }
        if handled == nil { Array(bytes).withUnsafeBytes { absorb($0) } }
    }

    /// Absorbs the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { absorb(UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest of everything absorbed. The hasher starts over afterwards.
    public mutating func finalize() -> [UInt8] {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        return context.finalize()
    }

    private mutating func absorb(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(bytes)
    }
}

/// One libcrypto digest context (`EVP_MD_CTX`) running SHA-256, owned by the `SHA256` values that
/// share it; they copy it before changing it unless they hold the only reference.
// @unchecked Sendable: the context is changed only through a `SHA256` value holding the sole
// reference (copy on write), so two threads never touch it at once.
private final class DigestContext: @unchecked Sendable {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex2(context, SHA256.algorithm, nil) == 1 else {
            fatalError("libcrypto cannot start a SHA-256 digest")
        }
        self.context = context
    }

    private init(copying other: DigestContext) {
        guard let context = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(context, other.context) == 1 else {
            fatalError("libcrypto cannot copy a SHA-256 digest")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func copy() -> DigestContext { DigestContext(copying: self) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1, "libcrypto failed to hash")
    }

    func finalize() -> [UInt8] {
        let digest = [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { digest, count in
            precondition(EVP_DigestFinal_ex(context, digest.baseAddress, nil) == 1, "libcrypto failed to hash")
            count = SHA256.byteCount
        }
        precondition(EVP_DigestInit_ex2(context, SHA256.algorithm, nil) == 1, "libcrypto cannot start a SHA-256 digest")
        return digest
    }
}

extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal text.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
