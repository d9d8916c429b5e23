@testable import EInvoicingPlugin
import XCTest

/// CII syntax rules whose test the hub writes by hand, against verdicts of the official CII artefact
/// (run with saxonche on CII_example1 with the first `DateTimeString` replaced).
final class CIISyntaxRuleTests: XCTestCase {
    func testCIIDT097AcceptsWhatTheArtefactsPatternAccepts() {
        // The artefact: no failure for these...
        for accepted in ["20240131", "\u{0662}\u{0660}\u{0662}\u{0664}0131", " 20240131\n"] {
            XCTAssertTrue(CIISyntaxRules.isFormat102Date(accepted), accepted)
        }
        // ...and CII-DT-097 for these.
        for refused in ["20241301", "2024013", "20240100", "2024-01-31", "", "2024013\u{0661}"] {
            XCTAssertFalse(CIISyntaxRules.isFormat102Date(refused), refused)
        }
    }
}
