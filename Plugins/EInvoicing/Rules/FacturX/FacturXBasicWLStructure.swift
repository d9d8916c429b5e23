/// The structure of Factur-X 1.07.2 BASIC WL, after the profile's Schematron (`FACTUR-X_BASIC-WL.sch`,
/// see README.md): what must occur once or at most once, the attributes required, the terms the
/// profile does not use and the code lists its values come from, in the Schematron's order; the
/// business rules are `FacturXBasicWLRules`. Ids are the Schematron's (`FX-SCH-A-000nnn`), its
/// reports of unused terms `FX-NOT-USED`.
enum FacturXBasicWLStructure {
    /// The rule groups, one per Schematron pattern.
    static let groups: [ContextRules] = [
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000020", "ram:TypeCode", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:IncludedNote"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000160", "ram:Content", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000161", "ram:SubjectCode"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode"), [
            BusinessRule("FX-SCH-A-000162", terms: "", "Value of 'ram:SubjectCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.textSubjects) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", where: { $0.has(attribute: "format") }), [
            BusinessRule("FX-SCH-A-000022", terms: "", "Value of '@format' is not allowed.") { FacturXCodeLists.dateFormats.contains($0.attribute("format") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:TypeCode"), [
            BusinessRule("FX-SCH-A-000023", terms: "", "Value of 'ram:TypeCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.documentTypes) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext"), [
            FacturXSharedRules.atMostOne("FX-SCH-A-000024", "ram:BusinessProcessSpecifiedDocumentContextParameter"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000025", "ram:GuidelineSpecifiedDocumentContextParameter", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"), [
            BusinessRule("FX-SCH-A-000026", terms: "", "Value of 'ram:ID' is not allowed.") { $0.isListed(in: ["urn:factur-x.eu:1p0:basicwl", "urn:zugferd.de:2p0:basicwl"]) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext(FacturXPath.agreement), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000027", "ram:SellerTradeParty", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000028", "ram:BuyerTradeParty", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerOrderReferencedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000029", "ram:IssuerAssignedID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerOrderReferencedDocument/ram:FormattedIssueDateTime"), [
            FacturXSharedRules.notUsedRule("Element 'ram:FormattedIssueDateTime' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty"), [
            FacturXSharedRules.atMostOne("FX-SCH-A-000163", "ram:ID"),
            FacturXSharedRules.atMostOne("FX-SCH-A-000164", "ram:GlobalID"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000030", "ram:Name", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000032", "ram:PostalTradeAddress", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000165", "ram:URIUniversalCommunication"),
            FacturXSharedRules.atMostOne("FX-SCH-A-000166", "ram:SpecifiedTaxRegistration"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:GlobalID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:GlobalID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:PostalTradeAddress"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000035", "ram:CountryID", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000167", "ram:CountrySubDivisionName"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID"), [
            BusinessRule("FX-SCH-A-000036", terms: "", "Value of 'ram:CountryID' is not allowed.") { $0.isListed(in: FacturXCodeLists.countries) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:TradingBusinessName"), [
            FacturXSharedRules.notUsedRule("Element 'ram:TradingBusinessName' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { ["VA"].contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:URIUniversalCommunication"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000168", "ram:URIID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.electronicAddressSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:ContractReferencedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000029", "ram:IssuerAssignedID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:ContractReferencedDocument/ram:FormattedIssueDateTime"), [
            FacturXSharedRules.notUsedRule("Element 'ram:FormattedIssueDateTime' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:ContractReferencedDocument/ram:IssuerAssignedID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000030", "ram:Name", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000032", "ram:PostalTradeAddress", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000169", "ram:SpecifiedTaxRegistration", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:GlobalID"), [
            FacturXSharedRules.notUsedRule("Element 'ram:GlobalID' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:ID"), [
            FacturXSharedRules.notUsedRule("Element 'ram:ID' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:PostalTradeAddress"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000035", "ram:CountryID", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000167", "ram:CountrySubDivisionName"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:PostalTradeAddress/ram:CountryID"), [
            BusinessRule("FX-SCH-A-000036", terms: "", "Value of 'ram:CountryID' is not allowed.") { $0.isListed(in: FacturXCodeLists.countries) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedLegalOrganization"), [
            FacturXSharedRules.notUsedRule("Element 'ram:SpecifiedLegalOrganization' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { ["VA"].contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:URIUniversalCommunication"), [
            FacturXSharedRules.notUsedRule("Element 'ram:URIUniversalCommunication' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000030", "ram:Name", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000032", "ram:PostalTradeAddress", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000165", "ram:URIUniversalCommunication"),
            BusinessRule("FX-SCH-A-000033", terms: "", "Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID=\"VA\"]' may occur at maximum 1 times.") {
                $0.all("ram:SpecifiedTaxRegistration").filter { $0.hasID(scheme: "VA") }.count <= 1
            },
            BusinessRule("FX-SCH-A-000034", terms: "", "Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID=\"FC\"]' may occur at maximum 1 times.") {
                $0.all("ram:SpecifiedTaxRegistration").filter { $0.hasID(scheme: "FC") }.count <= 1
            },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:GlobalID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:GlobalID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:PostalTradeAddress"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000035", "ram:CountryID", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000167", "ram:CountrySubDivisionName"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID"), [
            BusinessRule("FX-SCH-A-000036", terms: "", "Value of 'ram:CountryID' is not allowed.") { $0.isListed(in: FacturXCodeLists.countries) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration", where: { !$0.hasID(scheme: "VA") && !$0.hasID(scheme: "FC") }), [
            FacturXSharedRules.notUsedRule("Element variant 'ram:SpecifiedTaxRegistration[ not(ram:ID/@schemeID=\"VA\") and not(ram:ID/@schemeID=\"FC\")]' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration", where: { $0.hasID(scheme: "FC") }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", where: { ($0.parent.map { $0.hasID(scheme: "FC") } ?? false) }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration", where: { $0.hasID(scheme: "VA") }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", where: { ($0.parent.map { $0.hasID(scheme: "VA") } ?? false) }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:URIUniversalCommunication"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000168", "ram:URIID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.electronicAddressSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000171", "ram:OccurrenceDateTime", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString", where: { $0.has(attribute: "format") }), [
            BusinessRule("FX-SCH-A-000022", terms: "", "Value of '@format' is not allowed.") { FacturXCodeLists.dateFormats.contains($0.attribute("format") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:DespatchAdviceReferencedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000029", "ram:IssuerAssignedID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:DespatchAdviceReferencedDocument/ram:FormattedIssueDateTime"), [
            FacturXSharedRules.notUsedRule("Element 'ram:FormattedIssueDateTime' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty"), [
            FacturXSharedRules.atMostOne("FX-SCH-A-000163", "ram:ID"),
            FacturXSharedRules.atMostOne("FX-SCH-A-000164", "ram:GlobalID"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:GlobalID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:GlobalID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000035", "ram:CountryID", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000167", "ram:CountrySubDivisionName"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID"), [
            BusinessRule("FX-SCH-A-000036", terms: "", "Value of 'ram:CountryID' is not allowed.") { $0.isListed(in: FacturXCodeLists.countries) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:SpecifiedLegalOrganization"), [
            FacturXSharedRules.notUsedRule("Element 'ram:SpecifiedLegalOrganization' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:SpecifiedTaxRegistration"), [
            FacturXSharedRules.notUsedRule("Element 'ram:SpecifiedTaxRegistration' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:URIUniversalCommunication"), [
            FacturXSharedRules.notUsedRule("Element 'ram:URIUniversalCommunication' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext(FacturXPath.settlement), [
            FacturXSharedRules.atMostOne("FX-SCH-A-000172", "ram:PaymentReference"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000038", "ram:InvoiceCurrencyCode", terms: ""),
            BusinessRule("FX-SCH-A-000173", terms: "", "Element 'ram:ApplicableTradeTax' must occur at least 1 times.") { $0.count("ram:ApplicableTradeTax") >= 1 },
            FacturXSharedRules.atMostOne("FX-SCH-A-000174", "ram:SpecifiedTradePaymentTerms"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000039", "ram:SpecifiedTradeSettlementHeaderMonetarySummation", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000175", "ram:ReceivableSpecifiedTradeAccountingAccount"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000176", "ram:CalculatedAmount", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000020", "ram:TypeCode", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000177", "ram:BasisAmount", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000178", "ram:CategoryCode", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:BasisAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:CalculatedAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:CategoryCode"), [
            BusinessRule("FX-SCH-A-000179", terms: "", "Value of 'ram:CategoryCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.vatCategories) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:DueDateTypeCode"), [
            BusinessRule("FX-SCH-A-000180", terms: "", "Value of 'ram:DueDateTypeCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.vatDueDateCodes) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:ExemptionReasonCode"), [
            BusinessRule("FX-SCH-A-000181", terms: "", "Value of 'ram:ExemptionReasonCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.vatExemptionReasons) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:TypeCode"), [
            BusinessRule("FX-SCH-A-000023", terms: "", "Value of 'ram:TypeCode' is not allowed.") { $0.isListed(in: ["VAT"]) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", where: { $0.has(attribute: "format") }), [
            BusinessRule("FX-SCH-A-000022", terms: "", "Value of '@format' is not allowed.") { FacturXCodeLists.dateFormats.contains($0.attribute("format") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString", where: { $0.has(attribute: "format") }), [
            BusinessRule("FX-SCH-A-000022", terms: "", "Value of '@format' is not allowed.") { FacturXCodeLists.dateFormats.contains($0.attribute("format") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:CreditorReferenceID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:InvoiceCurrencyCode"), [
            BusinessRule("FX-SCH-A-000040", terms: "", "Value of 'ram:InvoiceCurrencyCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.currencies) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:InvoiceReferencedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000029", "ram:IssuerAssignedID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString", where: { $0.has(attribute: "format") }), [
            BusinessRule("FX-SCH-A-000022", terms: "", "Value of '@format' is not allowed.") { FacturXCodeLists.dateFormats.contains($0.attribute("format") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:InvoiceReferencedDocument/ram:IssuerAssignedID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty"), [
            FacturXSharedRules.atMostOne("FX-SCH-A-000163", "ram:ID"),
            FacturXSharedRules.atMostOne("FX-SCH-A-000164", "ram:GlobalID"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000030", "ram:Name", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:GlobalID"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:GlobalID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:PostalTradeAddress"), [
            FacturXSharedRules.notUsedRule("Element 'ram:PostalTradeAddress' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("FX-SCH-A-000031", terms: "", "Value of '@schemeID' is not allowed.") { FacturXCodeLists.legalSchemes.contains($0.attribute("schemeID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:TradingBusinessName"), [
            FacturXSharedRules.notUsedRule("Element 'ram:TradingBusinessName' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:SpecifiedTaxRegistration"), [
            FacturXSharedRules.notUsedRule("Element 'ram:SpecifiedTaxRegistration' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:PayeeTradeParty/ram:URIUniversalCommunication"), [
            FacturXSharedRules.notUsedRule("Element 'ram:URIUniversalCommunication' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge", where: { !$0.anyText("ram:ChargeIndicator/udt:Indicator") { $0 == "false" || $0 == "true" } }), [
            FacturXSharedRules.notUsedRule("Element variant 'ram:SpecifiedTradeAllowanceCharge[ not(ram:ChargeIndicator/udt:Indicator=\"false\") and not(ram:ChargeIndicator/udt:Indicator=\"true\")]' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge", where: { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000183", "ram:ChargeIndicator", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000184", "ram:ActualAmount", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000185", "ram:CategoryTradeTax", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) && $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) && $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000020", "ram:TypeCode", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000178", "ram:CategoryCode", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:BasisAmount", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:BasisAmount' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:CalculatedAmount", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:CalculatedAmount' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:CategoryCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            BusinessRule("FX-SCH-A-000179", terms: "", "Value of 'ram:CategoryCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.vatCategories) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:DueDateTypeCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:DueDateTypeCode' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:ExemptionReason", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:ExemptionReason' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:ExemptionReasonCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:ExemptionReasonCode' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:TypeCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            BusinessRule("FX-SCH-A-000023", terms: "", "Value of 'ram:TypeCode' is not allowed.") { $0.isListed(in: ["VAT"]) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "false") } ?? false) }), [
            BusinessRule("FX-SCH-A-000186", terms: "", "Value of 'ram:ReasonCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.allowanceReasons) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge", where: { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000183", "ram:ChargeIndicator", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000184", "ram:ActualAmount", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000185", "ram:CategoryTradeTax", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) && $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) && $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000020", "ram:TypeCode", terms: ""),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000178", "ram:CategoryCode", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:BasisAmount", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:BasisAmount' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:CalculatedAmount", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:CalculatedAmount' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:CategoryCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            BusinessRule("FX-SCH-A-000179", terms: "", "Value of 'ram:CategoryCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.vatCategories) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:DueDateTypeCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:DueDateTypeCode' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:ExemptionReason", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:ExemptionReason' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:ExemptionReasonCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            FacturXSharedRules.notUsedRule("Element 'ram:ExemptionReasonCode' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:TypeCode", where: { ($0.ancestor(2).map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            BusinessRule("FX-SCH-A-000023", terms: "", "Value of 'ram:TypeCode' is not allowed.") { $0.isListed(in: ["VAT"]) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode", where: { ($0.parent.map { $0.anyText("ram:ChargeIndicator/udt:Indicator", is: "true") } ?? false) }), [
            BusinessRule("FX-SCH-A-000186", terms: "", "Value of 'ram:ReasonCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.chargeReasons) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradePaymentTerms"), [
            FacturXSharedRules.atMostOne("FX-SCH-A-000187", "ram:Description"),
            FacturXSharedRules.atMostOne("FX-SCH-A-000188", "ram:DirectDebitMandateID"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", where: { $0.has(attribute: "format") }), [
            BusinessRule("FX-SCH-A-000022", terms: "", "Value of '@format' is not allowed.") { FacturXCodeLists.dateFormats.contains($0.attribute("format") ?? "") },
        ]),
        ContextRules(RuleContext(FacturXPath.totals), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000189", "ram:LineTotalAmount", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000190", "ram:ChargeTotalAmount"),
            FacturXSharedRules.atMostOne("FX-SCH-A-000191", "ram:AllowanceTotalAmount"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000041", "ram:TaxBasisTotalAmount", terms: ""),
            BusinessRule("FX-SCH-A-000042", terms: "", "Element variant 'ram:TaxTotalAmount[@currencyID=../../ram:InvoiceCurrencyCode]' may occur at maximum 1 times.") {
                $0.all("ram:TaxTotalAmount").filter { $0.hasCurrency(of: "../../ram:InvoiceCurrencyCode") }.count <= 1
            },
            BusinessRule("FX-SCH-A-000192", terms: "", "Element variant 'ram:TaxTotalAmount[@currencyID=../../ram:TaxCurrencyCode]' may occur at maximum 1 times.") {
                $0.all("ram:TaxTotalAmount").filter { $0.hasCurrency(of: "../../ram:TaxCurrencyCode") }.count <= 1
            },
            FacturXSharedRules.exactlyOne("FX-SCH-A-000043", "ram:GrandTotalAmount", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000193", "ram:TotalPrepaidAmount"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000044", "ram:DuePayableAmount", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:AllowanceTotalAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:ChargeTotalAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:DuePayableAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:GrandTotalAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:LineTotalAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxBasisTotalAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { !$0.hasCurrency(of: "../../ram:InvoiceCurrencyCode") && !$0.hasCurrency(of: "../../ram:TaxCurrencyCode") }), [
            FacturXSharedRules.notUsedRule("Element variant 'ram:TaxTotalAmount[ not(@currencyID=../../ram:InvoiceCurrencyCode) and not(@currencyID=../../ram:TaxCurrencyCode)]' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { $0.hasCurrency(of: "../../ram:InvoiceCurrencyCode") }), [
            BusinessRule("FX-SCH-A-000045", terms: "", "Value of '@currencyID' is not allowed.") { FacturXCodeLists.currencies.contains($0.attribute("currencyID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { $0.hasCurrency(of: "../../ram:InvoiceCurrencyCode") }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000046", "currencyID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { $0.hasCurrency(of: "../../ram:TaxCurrencyCode") }), [
            BusinessRule("FX-SCH-A-000045", terms: "", "Value of '@currencyID' is not allowed.") { FacturXCodeLists.currencies.contains($0.attribute("currencyID") ?? "") },
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { $0.hasCurrency(of: "../../ram:TaxCurrencyCode") }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000046", "currencyID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TotalPrepaidAmount", where: { $0.has(attribute: "currencyID") }), [
            FacturXSharedRules.notUsedRule("Attribute @currencyID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeSettlementPaymentMeans"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000020", "ram:TypeCode", terms: ""),
            FacturXSharedRules.atMostOne("FX-SCH-A-000194", "ram:PayeePartyCreditorFinancialAccount"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000195", "ram:IBANID", terms: ""),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:IBANID", where: { $0.has(attribute: "schemeID") }), [
            FacturXSharedRules.notUsedRule("Attribute @schemeID' marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"), [
            BusinessRule("FX-SCH-A-000023", terms: "", "Value of 'ram:TypeCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.paymentMeans) },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:TaxCurrencyCode"), [
            BusinessRule("FX-SCH-A-000196", terms: "", "Value of 'ram:TaxCurrencyCode' is not allowed.") { $0.isListed(in: FacturXCodeLists.currencies) },
        ]),
    ]
}
