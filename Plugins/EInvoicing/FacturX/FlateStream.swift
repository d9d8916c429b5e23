import CZlib
import Foundation
import HubCore

/// A PDF stream's FlateDecode data inflated by zlib with a running limit: decoding stops as soon
/// as the output passes `maxBytes`, so a small stream that would expand a thousandfold (a flate
/// bomb) costs at most the limit in memory.
enum FlateStream {
    /// The decoded bytes of `compressed` (zlib format, as PDF's FlateDecode), or an error when it
    /// is damaged or would pass `maxBytes`.
    static func inflate(_ compressed: UnsafeRawBufferPointer, maxBytes: Int, naming name: String) throws -> Data {
        var stream = z_stream()
        guard hub_inflate_init(&stream) == Z_OK else {
            throw ConnectorError(.unsupported, "zlib could not start decoding the PDF's embedded \(name)")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        let chunk = 64 << 10
        var buffer = [UInt8](repeating: 0, count: chunk)
        stream.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(compressed.count)
        while true {
            let status: Int32 = buffer.withUnsafeMutableBufferPointer { space in
                stream.next_out = space.baseAddress
                stream.avail_out = uInt(chunk)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk - Int(stream.avail_out)
            guard output.count + produced <= maxBytes else {
                throw ConnectorError(.unsupported, "the PDF's embedded \(name) expands past the configured limit of \(maxBytes) bytes "
                                     + "(setting maxBytes); decoding stopped there")
            }
            output.append(contentsOf: buffer[0..<produced])
            switch status {
            case Z_STREAM_END:
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw ConnectorError(.malformedPayload, "the PDF's embedded \(name) is cut short: its compressed data ends before its end mark")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw ConnectorError(.malformedPayload, "the PDF's embedded \(name) cannot be decoded: \(reason)")
            }
        }
    }
}
