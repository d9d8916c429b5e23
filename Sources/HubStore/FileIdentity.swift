import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path names: its device and inode numbers, as `stat` reports them.
///
/// The store records the identity of its database file and write-ahead log when it opens them and
/// compares them with what the paths name before every commit: a file deleted (or replaced) under a
/// running hub keeps taking commits through the open handles, which nobody would ever read again.
struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// `st_dev`.
    let device: UInt64
    /// `st_ino`.
    let inode: UInt64
    /// `st_size` when it was read (not part of the identity).
    let size: Int64

    /// The identity of the file `path` names now, or nil when there is none.
    static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size))
    }

    /// Whether both name the same file (whatever the sizes).
    func isSameFile(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }

    /// `device:inode`, for messages.
    var description: String { "\(device):\(inode)" }
}
