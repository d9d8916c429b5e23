import EInvoicingPlugin
import XCTest

final class FrenchIdentifierTests: XCTestCase {
    func testSIRENCheckDigit() {
        XCTAssertTrue(FrenchIdentifiers.isValidSIREN("732829320"))
        XCTAssertTrue(FrenchIdentifiers.isValidSIREN("123456782"))
        XCTAssertFalse(FrenchIdentifiers.isValidSIREN("123456789"))
        XCTAssertFalse(FrenchIdentifiers.isValidSIREN("12345678"))
        XCTAssertFalse(FrenchIdentifiers.isValidSIREN("12345678A"))
    }

    func testSIRETCheckDigit() {
        XCTAssertTrue(FrenchIdentifiers.isValidSIRET("12345678200077"))
        XCTAssertFalse(FrenchIdentifiers.isValidSIRET("12345678900014"))
        XCTAssertFalse(FrenchIdentifiers.isValidSIRET("1234567820007"))
    }

    func testLaPosteException() {
        XCTAssertTrue(FrenchIdentifiers.isValidSIREN("356000000"))
        // An establishment of La Poste: the Luhn check fails, the sum of digits (45) is a multiple of 5.
        XCTAssertTrue(FrenchIdentifiers.isValidSIRET("35600000049837"))
        // The head office satisfies Luhn.
        XCTAssertTrue(FrenchIdentifiers.isValidSIRET("35600000000048"))
        // Neither Luhn nor a multiple of 5 (sum 46).
        XCTAssertFalse(FrenchIdentifiers.isValidSIRET("35600000049838"))
        // The exception is La Poste's only: the same digit sum elsewhere is still Luhn-checked.
        XCTAssertFalse(FrenchIdentifiers.isValidSIRET("12345678200073"))
    }

    func testVATKeyFromSIREN() {
        XCTAssertEqual(FrenchIdentifiers.vatKey(forSIREN: "123456782"), "11")
        XCTAssertEqual(FrenchIdentifiers.vatKey(forSIREN: "732829320"), "44")
        XCTAssertEqual(FrenchIdentifiers.vatKey(forSIREN: "abc"), nil)
    }
}
