import Foundation

/// Decides which files of a watched folder are complete and may be taken: not hidden, not named
/// like a partial download, not already delivered, and unchanged (size and modification time)
/// since the previous scan.
struct FolderScanner {
    /// What a scan sees of one file.
    struct Stamp: Equatable {
        var size: Int
        var modified: Date
    }

    /// Name endings of files still being written by common tools (browsers, rsync, scp, editors).
    static let partialSuffixes = [".part", ".partial", ".tmp", ".crdownload", ".download", ".filepart", "~"]

    private var previous: [String: Stamp] = [:]

    /// Whether a name is never taken: hidden (`.rsync-tmp`, `.~lock`) or partial (`invoice.pdf.part`).
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || partialSuffixes.contains { name.lowercased().hasSuffix($0) }
    }

    /// The names that are ready among `listing` (the folder's regular files now), given those still
    /// being handled (`busy`); remembers the listing for the next scan.
    mutating func ready(in listing: [String: Stamp], busy: Set<String>) -> [String] {
        var ready: [String] = []
        for (name, stamp) in listing where !Self.isIgnored(name) && !busy.contains(name) {
            if previous[name] == stamp { ready.append(name) }
        }
        previous = listing.filter { !Self.isIgnored($0.key) }
        return ready.sorted()
    }

    /// Forgets what was seen of `name`, so that it must settle again before it is retaken.
    mutating func forget(_ name: String) { previous[name] = nil }
}
