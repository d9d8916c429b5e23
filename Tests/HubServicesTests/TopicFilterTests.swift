import HubCore
import HubServices
import XCTest

final class TopicFilterTests: XCTestCase {
    func testExactAndSingleLevelWildcard() throws {
        let filter = try TopicFilter("city/air/+/json")
        XCTAssertTrue(filter.matches("city/air/station-1/json"))
        XCTAssertFalse(filter.matches("city/air/station-1/raw"))
        XCTAssertFalse(filter.matches("city/air/json"))
        XCTAssertFalse(filter.matches("city/air/a/b/json"))
        XCTAssertTrue(filter.matches("city/air//json"), "+ matches an empty level")
    }

    func testMultiLevelWildcardMatchesParentAndChildren() throws {
        let filter = try TopicFilter("sport/tennis/#")
        XCTAssertTrue(filter.matches("sport/tennis"), "# also matches the parent level")
        XCTAssertTrue(filter.matches("sport/tennis/player1"))
        XCTAssertTrue(filter.matches("sport/tennis/player1/ranking/wimbledon"))
        XCTAssertFalse(filter.matches("sport/tennisplayer1"))
        XCTAssertFalse(filter.matches("sport"))
        XCTAssertTrue(try TopicFilter("#").matches("a/b/c"))
        XCTAssertTrue(try TopicFilter("+/+").matches("/finance"))
        XCTAssertFalse(try TopicFilter("+").matches("/finance"))
    }

    func testDollarTopicsAreNotMatchedByLeadingWildcards() throws {
        XCTAssertFalse(try TopicFilter("#").matches("$SYS/broker/uptime"))
        XCTAssertFalse(try TopicFilter("+/broker/uptime").matches("$SYS/broker/uptime"))
        XCTAssertTrue(try TopicFilter("$SYS/#").matches("$SYS/broker/uptime"))
    }

    func testSharedSubscriptionPrefixIsStrippedForMatching() throws {
        let filter = try TopicFilter("$share/hubs/city/+/up")
        XCTAssertEqual(filter.shareGroup, "hubs")
        XCTAssertEqual(filter.filter, "city/+/up")
        XCTAssertEqual(filter.text, "$share/hubs/city/+/up")
        XCTAssertTrue(filter.matches("city/lyon/up"))
        XCTAssertFalse(filter.matches("$share/hubs/city/lyon/up"))
        XCTAssertNil(try TopicFilter("city/#").shareGroup)
    }

    func testInvalidFiltersAreRejectedWithAReason() {
        for text in ["", "a/#/b", "a/b#", "a+/b", "$share/g", "$share//a", "$share/g+/a", "$share/g/"] {
            XCTAssertThrowsError(try TopicFilter(text), "\"\(text)\" should be rejected") { error in
                XCTAssertTrue("\(error)".contains("invalid topic filter"), "\(error)")
            }
        }
    }
}
