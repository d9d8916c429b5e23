/// Rules both Factur-X profiles (MINIMUM, BASIC WL) state alike in their Schematron, and the makers
/// of the profiles' structural and code list rules.
enum FacturXSharedRules {
    /// The id given to the Schematron's `<report>`s of terms a profile does not use: the package
    /// gives them no id of their own.
    static let notUsedID = "FX-NOT-USED"

    /// BR-CO-26 on the seller.
    static let sellerIdentification = ContextRules(RuleContext("//ram:SellerTradeParty"), [
        BusinessRule("BR-CO-26", terms: "BT-29 BT-30 BT-31", "In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.") {
            $0.exists("ram:ID") || $0.exists("ram:GlobalID") || $0.exists("ram:SpecifiedLegalOrganization/ram:ID")
                || $0.any("ram:SpecifiedTaxRegistration/ram:ID") { $0.attribute("schemeID") == "VA" }
        },
    ])

    /// BR-CO-09 on every VAT identifier.
    static let vatIdentifierPrefix = ContextRules(RuleContext("//ram:SpecifiedTaxRegistration/ram:ID", where: { $0.attribute("schemeID") == "VA" }), [
        BusinessRule("BR-CO-09", terms: "BT-31 BT-48 BT-63", "The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.") {
            FacturXCodeLists.vatPrefixes.contains(String($0.text.prefix(2)))
        },
    ])

    /// BR-13 on the totals.
    static let totalWithoutVATPresent = BusinessRule("BR-13", terms: "BT-109", "An Invoice shall have the Invoice total amount without VAT (BT-109).") {
        $0.exists("ram:TaxBasisTotalAmount")
    }

    /// BR-14 on the totals.
    static let totalWithVATPresent = BusinessRule("BR-14", terms: "BT-112", "An Invoice shall have the Invoice total amount with VAT (BT-112).") {
        $0.exists("ram:GrandTotalAmount")
    }

    /// BR-15 on the totals.
    static let amountDuePresent = BusinessRule("BR-15", terms: "BT-115", "An Invoice shall have the Amount due for payment (BT-115).") {
        $0.exists("ram:DuePayableAmount")
    }

    /// BR-DEC-13 on the totals: the VAT total in the invoice currency has at most two decimals.
    static let totalVATDecimals = BusinessRule("BR-DEC-13", terms: "BT-110", "The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is 2.", subject: "ram:TaxTotalAmount") {
        !$0.exists("ram:TaxTotalAmount") || $0.any("ram:TaxTotalAmount") { !$0.isInInvoiceCurrency || $0.isWholeCents }
    }

    /// A BR-DEC rule: the amount at `path` has at most two decimals.
    static func decimals(_ id: String, _ path: String, term: String, name: String) -> BusinessRule {
        BusinessRule(id, terms: term, "The allowed maximum number of decimals for the \(name) (\(term)) is 2.", subject: path) {
            $0.atMostTwoDecimals(path)
        }
    }

    /// BR-01 to BR-09 on the document, as both profiles state them.
    static let documentPresence: [BusinessRule] = [
        BusinessRule("BR-01", terms: "BT-24", "An Invoice shall have a Specification identifier (BT-24).") {
            $0.hasText("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
        },
        BusinessRule("BR-02", terms: "BT-1", "An Invoice shall have an Invoice number (BT-1).") {
            $0.hasText("rsm:ExchangedDocument/ram:ID")
        },
        BusinessRule("BR-03", terms: "BT-2", "An Invoice shall have an Invoice issue date (BT-2).") {
            $0.any("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") { $0.attribute("format") == "102" && !$0.text.isEmpty }
        },
        BusinessRule("BR-04", terms: "BT-3", "An Invoice shall have an Invoice type code (BT-3).") {
            $0.hasText("rsm:ExchangedDocument/ram:TypeCode")
        },
        BusinessRule("BR-05", terms: "BT-5", "An Invoice shall have an Invoice currency code (BT-5).") {
            $0.hasText("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode")
        },
        BusinessRule("BR-06", terms: "BT-27", "An Invoice shall contain the Seller name (BT-27).") {
            $0.hasText("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:Name")
        },
        BusinessRule("BR-07", terms: "BT-44", "An Invoice shall contain the Buyer name (BT-44).") {
            $0.hasText("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name")
        },
        BusinessRule("BR-08", terms: "BG-5", "An Invoice shall contain the Seller postal address (BG-5).") {
            $0.exists("//ram:SellerTradeParty/ram:PostalTradeAddress")
        },
        BusinessRule("BR-09", terms: "BT-40", "The Seller postal address (BG-5) shall contain a Seller country code (BT-40).") {
            $0.hasText("//ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID")
        },
    ]

    /// A structural rule: `path` occurs exactly once under the context.
    static func exactlyOne(_ id: String, _ path: String, terms: String) -> BusinessRule {
        BusinessRule(id, terms: terms, "Element '\(path)' must occur exactly 1 times.") { $0.count(path) == 1 }
    }

    /// A structural rule: `path` occurs at most once under the context.
    static func atMostOne(_ id: String, _ path: String) -> BusinessRule {
        BusinessRule(id, terms: "", "Element '\(path)' may occur at maximum 1 times.") { $0.count(path) <= 1 }
    }

    /// A structural rule: the context element must carry `attribute`.
    static func attributeRequired(_ id: String, _ attribute: String, terms: String) -> BusinessRule {
        BusinessRule(id, terms: terms, "Attribute '@\(attribute)' is required in this context.") { $0.has(attribute: attribute) }
    }

    /// The Schematron's report of a term the profile does not use: it fires wherever its context matches.
    static func notUsedRule(_ message: String) -> BusinessRule {
        BusinessRule(notUsedID, terms: "", message) { _ in false }
    }

    /// The report of `attribute` on the element at `path`, which the profile does not use.
    static func notUsed(_ path: String, attribute: String) -> ContextRules {
        ContextRules(RuleContext(path, where: { $0.has(attribute: attribute) }), [
            notUsedRule("Attribute @\(attribute)' marked as not used in the given context."),
        ])
    }

    /// The report of the element at `path` (named `element`), which the profile does not use.
    static func notUsed(_ path: String, element: String) -> ContextRules {
        ContextRules(RuleContext(path), [notUsedRule("Element '\(element)' is marked as not used in the given context.")])
    }

    /// A code list rule on the value of the element at `path`, or of its `attribute` when given.
    static func codeList(_ id: String, _ path: String, attribute: String? = nil, _ list: Set<String>, terms: String) -> ContextRules {
        guard let attribute else {
            return ContextRules(RuleContext(path), [
                BusinessRule(id, terms: terms, "Value of '\(path.split(separator: "/").last ?? "")' is not allowed.") { $0.isListed(in: list) },
            ])
        }
        return ContextRules(RuleContext(path, where: { $0.has(attribute: attribute) }), [
            BusinessRule(id, terms: terms, "Value of '@\(attribute)' is not allowed.") { list.contains($0.attribute(attribute) ?? "") },
        ])
    }
}
