/// The kind of failure of one error type (`Domain`), for programs to branch on: a stable kebab-case
/// name such as `busy` or `connect-failed`, which logs and API answers may show as it is.
///
/// It is a struct rather than an enum so that new codes never break a caller's `switch`: a caller
/// compares with the codes it knows (`error.code == .busy`) and treats the rest alike. Each error
/// type declares `typealias Code = ErrorCode<TheError>` and its codes as static members in
/// `extension ErrorCode where Domain == TheError`, so a code of one error type is never mistaken
/// for a code of another. The error's `description` is its message; the code is not part of it.
public struct ErrorCode<Domain>: Sendable, Hashable, CustomStringConvertible {
    private let name: String

    /// Creates the code named `name` (kebab-case). Package-wide, so that each module declares its
    /// error type's codes, while code outside the hub (a connector built elsewhere) uses them only.
    package init(_ name: String) {
        self.name = name
    }

    /// The code's stable name, e.g. `busy`.
    public var description: String { name }
}
