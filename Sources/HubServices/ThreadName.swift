import Foundation
import HubCore

extension Thread {
    /// Names the calling thread as `top -H`, `perf` and debuggers show it. Linux keeps at most 15
    /// bytes, and Foundation applies a name only when the thread sets it on itself.
    public static func nameCurrentThread(_ name: String) {
        Thread.current.name = String(decoding: name.utf8.prefix(15), as: UTF8.self)
    }
}
