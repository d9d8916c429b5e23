import Foundation
@testable import HubFolders
import XCTest

/// When a dropped file is complete enough to take.
final class FolderScannerTests: XCTestCase {
    func testAFileIsTakenOnlyOnceItsSizeAndTimeHoldStillBetweenScans() {
        var scanner = FolderScanner()
        let t0 = Date(timeIntervalSince1970: 1_000)
        let growing = FolderScanner.Stamp(size: 10, modified: t0)
        XCTAssertEqual(scanner.ready(in: ["a.xml": growing], busy: []), [], "first sight: not yet")
        XCTAssertEqual(scanner.ready(in: ["a.xml": .init(size: 20, modified: t0.addingTimeInterval(1))], busy: []), [],
                       "still growing")
        XCTAssertEqual(scanner.ready(in: ["a.xml": .init(size: 20, modified: t0.addingTimeInterval(1))], busy: []), ["a.xml"])
        XCTAssertEqual(scanner.ready(in: ["a.xml": .init(size: 20, modified: t0.addingTimeInterval(1))], busy: ["a.xml"]), [],
                       "handed over already")
        for name in [".hidden.xml", "b.xml.part", "c.pdf.crdownload", "d.xml.tmp", "e.xml~"] {
            XCTAssertTrue(FolderScanner.isIgnored(name), name)
            _ = scanner.ready(in: [name: growing], busy: [])
            XCTAssertEqual(scanner.ready(in: [name: growing], busy: []), [], name)
        }
        XCTAssertFalse(FolderScanner.isIgnored("facture-2026.pdf"))
    }
}
