import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The TCP socket the server listens on, bound before libmicrohttpd starts so that the port
/// picked for port 0 is known (libmicrohttpd 0.9.75 reports it only through a variadic call).
/// libmicrohttpd owns the descriptor once started and closes it when stopped.
struct ListeningSocket {
    let descriptor: CInt
    let port: Int

    init(address: String, port requested: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw HTTPServerError(.cannotListen, "cannot create a socket: \(String(cString: strerror(errno)))")
        }
        var reuse: CInt = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<CInt>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(requested).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            Glibc.close(descriptor)
            throw HTTPServerError(.cannotListen, "\(address) is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw HTTPServerError(.cannotListen, "cannot listen on \(address):\(requested): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: socketAddress.sin_port))
    }

    /// Closes the socket when libmicrohttpd did not take it.
    func close() { Glibc.close(descriptor) }
}
