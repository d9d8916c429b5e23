/// The CII syntax rules of the CEN/TC 434 artefact (CII-SR, CII-DT: what the CII binding adds to
/// EN 16931), after its `EN16931-CII-Syntax` pattern: one group per rule context, in the artefact's
/// order. The hundreds of elements and attributes the binding leaves out are data (`unused`).
enum CIISyntaxRules {
    /// The pattern.
    static let pattern = RulePattern("EN16931-CII-Syntax", [
        ContextRules(RuleContext("ram:SpecifiedTradeSettlementPaymentMeans"), joining: unused([
            ("CII-SR-464", .warning, "ram:PayerSpecifiedDebtorFinancialInstitution"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"), joining: unused([
            ("CII-SR-001", .warning, "ram:SpecifiedTransactionID"),
            ("CII-SR-002", .warning, "ram:TestIndicator"),
        ]), [
            BusinessRule("CII-SR-003", .warning, terms: "", "BusinessProcessSpecifiedDocumentContextParameter should exist maximum once") {
                $0.count("ram:BusinessProcessSpecifiedDocumentContextParameter") <= 1
            },
        ], unused([
            ("CII-SR-006", .warning, "ram:BIMSpecifiedDocumentContextParameter"),
            ("CII-SR-007", .warning, "ram:ScenarioSpecifiedDocumentContextParameter"),
            ("CII-SR-008", .warning, "ram:ApplicationSpecifiedDocumentContextParameter"),
        ]), [
            BusinessRule("CII-SR-009", terms: "", "GuidelineSpecifiedDocumentContextParameter must exist exactly once") {
                $0.count("ram:GuidelineSpecifiedDocumentContextParameter") == 1
            },
            BusinessRule("CII-SR-010", terms: "", "ID must exist exactly once") {
                $0.count("ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == 1
            },
        ], unused([
            ("CII-SR-011", .warning, "ram:SubsetSpecifiedDocumentContextParameter"),
            ("CII-SR-012", .warning, "ram:MessageStandardSpecifiedDocumentContextParameter"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument"), joining: unused([
            ("CII-SR-013", .warning, "ram:Name"),
        ]), [
            BusinessRule("CII-SR-014", terms: "", "TypeCode must exist exactly once") { $0.count("ram:TypeCode") == 1 },
        ], unused([
            ("CII-SR-015", .warning, "ram:IssueDateTime/udt:DateTime"),
            ("CII-SR-016", .warning, "ram:CopyIndicator"),
            ("CII-SR-017", .warning, "ram:Purpose"),
            ("CII-SR-018", .warning, "ram:ControlRequirementIndicator"),
            ("CII-SR-019", .warning, "ram:LanguageID"),
            ("CII-SR-020", .warning, "ram:PurposeCode"),
            ("CII-SR-021", .warning, "ram:RevisionDateTime"),
            ("CII-SR-022", .warning, "ram:VersionID"),
            ("CII-SR-023", .warning, "ram:GlobalID"),
            ("CII-SR-024", .warning, "ram:RevisionID"),
            ("CII-SR-025", .warning, "ram:PreviousRevisionID"),
            ("CII-SR-026", .warning, "ram:CategoryCode"),
            ("CII-SR-027", .warning, "ram:IncludedNote/ram:Subject"),
            ("CII-SR-028", .warning, "ram:IncludedNote/ram:ContentCode"),
            ("CII-SR-032", .warning, "ram:IncludedNote/ram:ID"),
            ("CII-SR-033", .warning, "ram:EffectiveSpecifiedPeriod"),
            ("CII-SR-034", .warning, "ram:IssuerTradeParty"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote"), joining: [
            BusinessRule("CII-SR-030", .warning, terms: "", "Content should exist maximum once") { $0.count("ram:Content") <= 1 },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"), joining: unused([
            ("CII-SR-035", .warning, "ram:DescriptionCode"),
            ("CII-SR-036", .warning, "ram:ParentLineID"),
            ("CII-SR-037", .warning, "ram:LineStatusCode"),
            ("CII-SR-038", .warning, "ram:LineStatusReasonCode"),
            ("CII-SR-221", .warning, "ram:IncludedSubordinateTradeLineItem"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument"), joining: [
            BusinessRule("CII-SR-039", .warning, terms: "", "IncludedNote should exist maximum once") { $0.count("ram:IncludedNote") <= 1 },
            BusinessRule("CII-SR-040", .warning, terms: "", "Content should exist maximum once") {
                $0.count("ram:IncludedNote/ram:Content") <= 1
            },
        ], unused([
            ("CII-SR-041", .warning, "ram:IncludedNote/ram:SubjectCode"),
            ("CII-SR-042", .warning, "ram:IncludedNote/ram:ID"),
            ("CII-SR-043", .warning, "ram:IncludedNote/ram:Subject"),
            ("CII-SR-044", .warning, "ram:IncludedNote/ram:ContentCode"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct"), joining: unused([
            ("CII-SR-045", .warning, "ram:ID"),
        ]), [
            BusinessRule("CII-SR-046", terms: "", "schemeID must be present if GlobalID is present") {
                !$0.exists("ram:GlobalID") || $0.present("ram:GlobalID/@schemeID")
            },
        ], unused([
            ("CII-SR-048", .warning, "ram:ManufacturerAssignedID"),
            ("CII-SR-049", .warning, "ram:TradeName"),
            ("CII-SR-050", .warning, "ram:TypeCode"),
            ("CII-SR-051", .warning, "ram:NetWeightMeasure"),
            ("CII-SR-052", .warning, "ram:GrossWeightMeasure"),
            ("CII-SR-053", .warning, "ram:ProductGroupID"),
            ("CII-SR-054", .warning, "ram:EndItemTypeCode"),
            ("CII-SR-055", .warning, "ram:EndItemName"),
            ("CII-SR-056", .warning, "ram:AreaDensityMeasure"),
            ("CII-SR-057", .warning, "ram:UseDescription"),
            ("CII-SR-058", .warning, "ram:BrandName"),
            ("CII-SR-059", .warning, "ram:SubBrandName"),
            ("CII-SR-060", .warning, "ram:DrainedNetWeightMeasure"),
            ("CII-SR-061", .warning, "ram:VariableMeasureIndicator"),
            ("CII-SR-062", .warning, "ram:ColourCode"),
            ("CII-SR-063", .warning, "ram:ColourDescription"),
            ("CII-SR-064", .warning, "ram:Designation"),
            ("CII-SR-065", .warning, "ram:FormattedCancellationAnnouncedLaunchDateTime"),
            ("CII-SR-066", .warning, "ram:FormattedLatestProductDataChangeDateTime"),
            ("CII-SR-067", .warning, "ram:ApplicableProductCharacteristic/ram:ID"),
            ("CII-SR-068", .warning, "ram:ApplicableProductCharacteristic/ram:TypeCode"),
            ("CII-SR-070", .warning, "ram:ApplicableProductCharacteristic/ram:ValueMeasure"),
            ("CII-SR-071", .warning, "ram:ApplicableProductCharacteristic/ram:MeasurementMethodCode"),
            ("CII-SR-073", .warning, "ram:ApplicableProductCharacteristic/ram:ValueCode"),
            ("CII-SR-074", .warning, "ram:ApplicableProductCharacteristic/ram:ValueDateTime"),
            ("CII-SR-075", .warning, "ram:ApplicableProductCharacteristic/ram:ValueIndicator"),
            ("CII-SR-076", .warning, "ram:ApplicableProductCharacteristic/ram:ContentTypeCode"),
            ("CII-SR-077", .warning, "ram:ApplicableProductCharacteristic/ram:ValueSpecifiedBinaryFile"),
            ("CII-SR-078", .warning, "ram:ApplicableProductCharacteristic/ram:ApplicableProductCharacteristicCondition"),
            ("CII-SR-079", .warning, "ram:ApplicableProductCharacteristic/ram:ApplicableReferencedStandard"),
            ("CII-SR-080", .warning, "ram:ApplicableMaterialGoodsCharacteristic"),
            ("CII-SR-081", .warning, "ram:DesignatedProductClassification/ram:SystemID"),
            ("CII-SR-082", .warning, "ram:DesignatedProductClassification/ram:SystemName"),
            ("CII-SR-083", .warning, "ram:DesignatedProductClassification/ram:ClassName"),
            ("CII-SR-084", .warning, "ram:DesignatedProductClassification/ram:SubClassCode"),
            ("CII-SR-085", .warning, "ram:DesignatedProductClassification/ram:ClassProductCharacteristic"),
            ("CII-SR-086", .warning, "ram:DesignatedProductClassification/ram:ApplicableReferencedStandard"),
            ("CII-SR-087", .warning, "ram:IndividualTradeProductInstance"),
            ("CII-SR-088", .warning, "ram:CertificationEvidenceReferenceReferencedDocument"),
            ("CII-SR-089", .warning, "ram:InspectionReferenceReferencedDocument"),
        ]), [
            BusinessRule("CII-SR-090", terms: "", "ID should exist maximum once.") {
                !$0.exists("ram:OriginTradeCountry") || $0.count("ram:OriginTradeCountry/ram:ID") == 1
            },
        ], unused([
            ("CII-SR-091", .warning, "ram:OriginTradeCountry/ram:Name"),
            ("CII-SR-092", .warning, "ram:OriginTradeCountry/ram:SubordinateTradeCountrySubDivision"),
            ("CII-SR-093", .warning, "ram:LinearSpatialDimension"),
            ("CII-SR-094", .warning, "ram:MinimumLinearSpatialDimension"),
            ("CII-SR-095", .warning, "ram:MaximumLinearSpatialDimension"),
            ("CII-SR-096", .warning, "ram:ManufacturerTradeParty"),
            ("CII-SR-097", .warning, "ram:PresentationSpecifiedBinaryFile"),
            ("CII-SR-098", .warning, "ram:MSDSReferenceReferencedDocument"),
            ("CII-SR-099", .warning, "ram:AdditionalReferenceReferencedDocument"),
            ("CII-SR-100", .warning, "ram:LegalRightsOwnerTradeParty"),
            ("CII-SR-101", .warning, "ram:BrandOwnerTradeParty"),
            ("CII-SR-102", .warning, "ram:IncludedReferencedProduct"),
            ("CII-SR-103", .warning, "ram:InformationNote"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic"), joining: [
            BusinessRule("CII-SR-069", terms: "", "Description should exist maximum once.") { $0.count("ram:Description") == 1 },
            BusinessRule("CII-SR-072", terms: "", "Value should exist maximum once.") { $0.count("ram:Value") == 1 },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeAgreement"), joining: unused([
            ("CII-SR-104", .warning, "ram:BuyerReference"),
            ("CII-SR-105", .warning, "ram:BuyerRequisitionerTradeParty"),
            ("CII-SR-106", .warning, "ram:ApplicableTradeDeliveryTerms"),
            ("CII-SR-107", .warning, "ram:SellerOrderReferencedDocument"),
            ("CII-SR-108", .warning, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
            ("CII-SR-109", .warning, "ram:QuotationReferencedDocument"),
            ("CII-SR-110", .warning, "ram:ContractReferencedDocument"),
            ("CII-SR-111", .warning, "ram:DemandForecastReferencedDocument"),
            ("CII-SR-112", .warning, "ram:PromotionalDealReferencedDocument"),
            ("CII-SR-113", .warning, "ram:AdditionalReferencedDocument"),
            ("CII-SR-114", .warning, "ram:GrossPriceProductTradePrice/ram:TypeCode"),
            ("CII-SR-115", .warning, "ram:GrossPriceProductTradePrice/ram:MinimumQuantity"),
            ("CII-SR-116", .warning, "ram:GrossPriceProductTradePrice/ram:MaximumQuantity"),
            ("CII-SR-117", .warning, "ram:GrossPriceProductTradePrice/ram:ChangeReason"),
            ("CII-SR-118", .warning, "ram:GrossPriceProductTradePrice/ram:OrderUnitConversionFactorNumeric"),
        ]), [
            BusinessRule("CII-SR-439", terms: "", "ChargeAmount should exist maximum once") {
                $0.count("ram:NetPriceProductTradePrice/ram:ChargeAmount") == 1
            },
            BusinessRule("CII-SR-119", .warning, terms: "", "Only allowances on price a price should be present") { agreement in
                let charges = "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"
                let hasAmount: Bool = agreement.exists("\(charges)/ram:ActualAmount")
                let isAllowance: Bool = agreement.any(charges) { $0.indicates(false) }
                let hasIndicator: Bool = agreement.exists("\(charges)/ram:ChargeIndicator")
                return (isAllowance && hasAmount) || (!hasIndicator && !hasAmount)
            },
        ], unused([
            ("CII-SR-120", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ID"),
            ("CII-SR-121", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:SequenceNumeric"),
            ("CII-SR-122", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:CalculationPercent"),
            ("CII-SR-123", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:BasisAmount"),
            ("CII-SR-124", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:BasisQuantity"),
            ("CII-SR-125", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:PrepaidIndicator"),
            ("CII-SR-126", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:UnitBasisAmount"),
            ("CII-SR-127", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ReasonCode"),
            ("CII-SR-128", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:Reason"),
            ("CII-SR-129", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:TypeCode"),
            ("CII-SR-130", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:CategoryTradeTax"),
            ("CII-SR-131", .warning, "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualTradeCurrencyExchange"),
            ("CII-SR-445", .warning, "ram:GrossPriceProductTradePrice/ram:IncludedTradeTax"),
            ("CII-SR-132", .warning, "ram:GrossPriceProductTradePrice/ram:ValiditySpecifiedPeriod"),
            ("CII-SR-133", .warning, "ram:GrossPriceProductTradePrice/ram:DeliveryTradeLocation"),
            ("CII-SR-134", .warning, "ram:GrossPriceProductTradePrice/ram:TradeComparisonReferencePrice"),
            ("CII-SR-135", .warning, "ram:GrossPriceProductTradePrice/ram:AssociatedReferencedDocument"),
            ("CII-SR-136", .warning, "ram:NetPriceProductTradePrice/ram:TypeCode"),
            ("CII-SR-138", .warning, "ram:NetPriceProductTradePrice/ram:MinimumQuantity"),
            ("CII-SR-139", .warning, "ram:NetPriceProductTradePrice/ram:MaximumQuantity"),
            ("CII-SR-140", .warning, "ram:NetPriceProductTradePrice/ram:ChangeReason"),
            ("CII-SR-141", .warning, "ram:NetPriceProductTradePrice/ram:OrderUnitConversionFactorNumeric"),
            ("CII-SR-142", .warning, "ram:NetPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"),
            ("CII-SR-446", .warning, "ram:NetPriceProductTradePrice/ram:IncludedTradeTax"),
            ("CII-SR-143", .warning, "ram:NetPriceProductTradePrice/ram:ValiditySpecifiedPeriod"),
            ("CII-SR-144", .warning, "ram:NetPriceProductTradePrice/ram:DeliveryTradeLocation"),
            ("CII-SR-145", .warning, "ram:NetPriceProductTradePrice/ram:TradeComparisonReferencePrice"),
            ("CII-SR-146", .warning, "ram:NetPriceProductTradePrice/ram:AssociatedReferencedDocument"),
        ]), [
            BusinessRule("CII-SR-441", terms: "", "ChargeAmount should exist maximum once") {
                $0.count("ram:NetPriceProductTradePrice/ram:ChargeAmount") <= 1
            },
        ], unused([
            ("CII-SR-147", .warning, "ram:RequisitionerReferencedDocument"),
            ("CII-SR-148", .warning, "ram:ItemSellerTradeParty"),
            ("CII-SR-149", .warning, "ram:ItemBuyerTradeParty"),
            ("CII-SR-150", .warning, "ram:IncludedSpecifiedMarketplace"),
            ("CII-SR-447", .warning, "ram:UltimateCustomerOrderReferencedDocument"),
        ])),
        ContextRules(RuleContext("ram:SpecifiedTradeAllowanceCharge"), joining: [
            BusinessRule("CII-SR-463", terms: "BG-20, BG-21", "Each Specified Trade Allowance Charge (BG-20)(BG-21) shall contain a Charge Indicator.") {
                $0.exists("ram:ChargeIndicator")
            },
            BusinessRule("CII-SR-471", terms: "BG-20, BG-21, BT-95", "Each Specified Trade Allowance Charge (BG-20)(BG-21) shall contain a VAT category code (BT-95).") {
                $0.count("ram:RateApplicablePercent") <= 1
            },
            BusinessRule("CII-SR-472", terms: "BG-20, BG-21, BT-96", "Each Specified Trade Allowance Charge (BG-20)(BG-21) should contain a VAT rate (BT-96).") {
                $0.count("ram:CategoryTradeTax") <= 1
            },
            BusinessRule("CII-SR-473", terms: "", "ActualAmount should exist maximum once") { $0.count("ram:ActualAmount") <= 1 },
        ]),
        ContextRules(RuleContext("ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"), joining: [
            BusinessRule("CII-SR-440", terms: "", "ActualAmount should exist maximum once") { $0.count("ram:ActualAmount") <= 1 },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeDelivery"), joining: unused([
            ("CII-SR-151", .warning, "ram:RequestedQuantity"),
            ("CII-SR-152", .warning, "ram:ReceivedQuantity"),
            ("CII-SR-153", .warning, "ram:ChargeFreeQuantity"),
            ("CII-SR-154", .warning, "ram:PackageQuantity"),
            ("CII-SR-155", .warning, "ram:ProductUnitQuantity"),
            ("CII-SR-156", .warning, "ram:PerPackageUnitQuantity"),
            ("CII-SR-157", .warning, "ram:NetWeightMeasure"),
            ("CII-SR-158", .warning, "ram:GrossWeightMeasure"),
            ("CII-SR-159", .warning, "ram:TheoreticalWeightMeasure"),
            ("CII-SR-160", .warning, "ram:DespatchedQuantity"),
            ("CII-SR-161", .warning, "ram:SpecifiedDeliveryAdjustment"),
            ("CII-SR-162", .warning, "ram:IncludedSupplyChainPackaging"),
            ("CII-SR-163", .warning, "ram:RelatedSupplyChainConsignment"),
            ("CII-SR-164", .warning, "ram:ShipToTradeParty"),
            ("CII-SR-165", .warning, "ram:UltimateShipToTradeParty"),
            ("CII-SR-166", .warning, "ram:ShipFromTradeParty"),
            ("CII-SR-167", .warning, "ram:ActualDespatchSupplyChainEvent"),
            ("CII-SR-168", .warning, "ram:ActualPickUpSupplyChainEvent"),
            ("CII-SR-169", .warning, "ram:RequestedDeliverySupplyChainEvent"),
            ("CII-SR-170", .warning, "ram:ActualDeliverySupplyChainEvent"),
            ("CII-SR-171", .warning, "ram:ActualReceiptSupplyChainEvent"),
            ("CII-SR-172", .warning, "ram:AdditionalReferencedDocument"),
            ("CII-SR-173", .warning, "ram:DespatchAdviceReferencedDocument"),
            ("CII-SR-174", .warning, "ram:ReceivingAdviceReferencedDocument"),
            ("CII-SR-175", .warning, "ram:DeliveryNoteReferencedDocument"),
            ("CII-SR-176", .warning, "ram:ConsumptionReportReferencedDocument"),
            ("CII-SR-177", .warning, "ram:PackingListReferencedDocument"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement"), joining: unused([
            ("CII-SR-178", .warning, "ram:PaymentReference"),
            ("CII-SR-179", .warning, "ram:InvoiceIssuerReference"),
            ("CII-SR-180", .warning, "ram:TotalAdjustmentAmount"),
            ("CII-SR-181", .warning, "ram:DiscountIndicator"),
            ("CII-SR-182", .warning, "ram:ApplicableTradeTax/ram:CalculatedAmount"),
            ("CII-SR-183", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator/udt:IndicatorString"),
            ("CII-SR-184", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:ID"),
            ("CII-SR-185", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:SequenceNumeric"),
            ("CII-SR-186", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:CalculationPercent/@format"),
            ("CII-SR-187", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:BasisQuantity"),
            ("CII-SR-188", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:PrepaidIndicator"),
            ("CII-SR-189", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:UnitBasisAmount"),
            ("CII-SR-190", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:TypeCode"),
            ("CII-SR-191", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax"),
            ("CII-SR-192", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:ActualTradeCurrencyExchange"),
            ("CII-SR-193", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:ID"),
            ("CII-SR-194", .warning, "ram:SubtotalCalculatedTradeTax"),
            ("CII-SR-195", .warning, "ram:SpecifiedLogisticsServiceCharge"),
            ("CII-SR-196", .warning, "ram:SpecifiedTradePaymentTerms"),
            ("CII-SR-197", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:ChargeTotalAmount"),
            ("CII-SR-198", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:AllowanceTotalAmount"),
            ("CII-SR-199", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxBasisTotalAmount"),
            ("CII-SR-200", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxTotalAmount"),
            ("CII-SR-201", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:GrandTotalAmount"),
            ("CII-SR-202", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:InformationAmount"),
            ("CII-SR-203", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TotalAllowanceChargeAmount"),
            ("CII-SR-204", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TotalRetailValueInformationAmount"),
            ("CII-SR-205", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:GrossLineTotalAmount"),
            ("CII-SR-206", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:NetLineTotalAmount"),
            ("CII-SR-207", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:NetIncludingTaxesLineTotalAmount"),
            ("CII-SR-208", .warning, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:ProductWeightLossInformationAmount"),
            ("CII-SR-209", .warning, "ram:SpecifiedFinancialAdjustment"),
            ("CII-SR-210", .warning, "ram:InvoiceReferencedDocument"),
            ("CII-SR-212", .warning, "ram:PayableSpecifiedTradeAccountingAccount"),
            ("CII-SR-213", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:SetTriggerCode"),
            ("CII-SR-214", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:TypeCode"),
            ("CII-SR-215", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:AmountTypeCode"),
            ("CII-SR-216", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:Name"),
            ("CII-SR-217", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:CostReferenceDimensionPattern"),
            ("CII-SR-218", .warning, "ram:PurchaseSpecifiedTradeAccountingAccount"),
            ("CII-SR-219", .warning, "ram:SalesSpecifiedTradeAccountingAccount"),
            ("CII-SR-220", .warning, "ram:SpecifiedTradeSettlementFinancialCard"),
        ]), [
            BusinessRule("CII-SR-454", .warning, terms: "", "Only one ApplicableTradeTax should be present") {
                $0.count("ram:ApplicableTradeTax") == 1
            },
            BusinessRule("CII-SR-474", .warning, terms: "", "An invoice line shall not contain more than one AdditionalReferencedDocument with TypeCode 130.") {
                $0.all("ram:AdditionalReferencedDocument").filter { $0.normalized("ram:TypeCode") == "130" }.count <= 1
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"), joining: unused([
            ("CII-SR-442", .warning, "ram:Reference"),
            ("CII-SR-222", .warning, "ram:SellerTradeParty/ram:RoleCode"),
            ("CII-SR-223", .warning, "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode"),
            ("CII-SR-224", .warning, "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:Name"),
            ("CII-SR-225", .warning, "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress"),
            ("CII-SR-226", .warning, "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"),
            ("CII-SR-227", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:ID"),
            ("CII-SR-228", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TypeCode"),
            ("CII-SR-229", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:JobTitle"),
            ("CII-SR-230", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:Responsibility"),
            ("CII-SR-231", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:PersonID"),
            ("CII-SR-232", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:URIID"),
            ("CII-SR-233", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:ChannelCode"),
            ("CII-SR-234", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:DirectTelephoneUniversalCommunication"),
            ("CII-SR-235", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:MobileTelephoneUniversalCommunication"),
            ("CII-SR-236", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:FaxUniversalCommunication"),
            ("CII-SR-237", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:ChannelCode"),
            ("CII-SR-238", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:CompleteNumber"),
            ("CII-SR-239", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TelexUniversalCommunication"),
            ("CII-SR-240", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:VOIPUniversalCommunication"),
            ("CII-SR-241", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:InstantMessagingUniversalCommunication"),
            ("CII-SR-242", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:SpecifiedNote"),
            ("CII-SR-243", .warning, "ram:SellerTradeParty/ram:DefinedTradeContact/ram:SpecifiedContactPerson"),
            ("CII-SR-244", .warning, "ram:SellerTradeParty/ram:URIUniversalCommunication/ram:ChannelCode"),
            ("CII-SR-245", .warning, "ram:SellerTradeParty/ram:URIUniversalCommunication/ram:CompleteNumber"),
            ("CII-SR-246", .warning, "ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:AssociatedRegisteredTax"),
            ("CII-SR-247", .warning, "ram:SellerTradeParty/ram:EndPointURIUniversalCommunication"),
            ("CII-SR-248", .warning, "ram:SellerTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            ("CII-SR-249", .warning, "ram:BuyerTradeParty/ram:RoleCode"),
            ("CII-SR-250", .warning, "ram:BuyerTradeParty/ram:Description"),
            ("CII-SR-251", .warning, "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode"),
            ("CII-SR-252", .warning, "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:Name"),
            ("CII-SR-254", .warning, "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress"),
            ("CII-SR-255", .warning, "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"),
            ("CII-SR-256", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:ID"),
            ("CII-SR-257", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TypeCode"),
            ("CII-SR-258", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:JobTitle"),
            ("CII-SR-259", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:Responsibility"),
            ("CII-SR-260", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:PersonID"),
            ("CII-SR-261", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:URIID"),
            ("CII-SR-262", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:ChannelCode"),
            ("CII-SR-263", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:DirectTelephoneUniversalCommunication"),
            ("CII-SR-264", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:MobileTelephoneUniversalCommunication"),
            ("CII-SR-265", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:FaxUniversalCommunication"),
            ("CII-SR-266", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:ChannelCode"),
            ("CII-SR-267", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:CompleteNumber"),
            ("CII-SR-268", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TelexUniversalCommunication"),
            ("CII-SR-269", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:VOIPUniversalCommunication"),
            ("CII-SR-270", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:InstantMessagingUniversalCommunication"),
            ("CII-SR-271", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:SpecifiedNote"),
            ("CII-SR-272", .warning, "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:SpecifiedContactPerson"),
            ("CII-SR-273", .warning, "ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:ChannelCode"),
            ("CII-SR-274", .warning, "ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:CompleteNumber"),
            ("CII-SR-275", .warning, "ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:AssociatedRegisteredTax"),
            ("CII-SR-276", .warning, "ram:BuyerTradeParty/ram:EndPointURIUniversalCommunication"),
            ("CII-SR-277", .warning, "ram:BuyerTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            ("CII-SR-278", .warning, "ram:SalesAgentTradeParty"),
            ("CII-SR-279", .warning, "ram:BuyerRequisitionerTradeParty"),
            ("CII-SR-280", .warning, "ram:BuyerAssignedAccountantTradeParty"),
            ("CII-SR-281", .warning, "ram:SellerAssignedAccountantTradeParty"),
            ("CII-SR-282", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:ID"),
            ("CII-SR-283", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:GlobalID"),
            ("CII-SR-284", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:RoleCode"),
            ("CII-SR-285", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:Description"),
            ("CII-SR-286", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedLegalOrganization"),
            ("CII-SR-287", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:DefinedTradeContact"),
            ("CII-SR-288", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:URIUniversalCommunication"),
            ("CII-SR-289", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:AssociatedRegisteredTax"),
            ("CII-SR-290", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:EndPointURIUniversalCommunication"),
            ("CII-SR-291", .warning, "ram:SellerTaxRepresentativeTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            ("CII-SR-292", .warning, "ram:ProductEndUserTradeParty"),
            ("CII-SR-293", .warning, "ram:ApplicableTradeDeliveryTerms"),
            ("CII-SR-294", .warning, "ram:SellerOrderReferencedDocument/ram:LineID"),
            ("CII-SR-295", .warning, "ram:BuyerOrderReferencedDocument/ram:LineID"),
            ("CII-SR-296", .warning, "ram:QuotationReferencedDocument"),
            ("CII-SR-297", .warning, "ram:OrderResponseReferencedDocument"),
            ("CII-SR-298", .warning, "ram:ContractReferencedDocument/ram:LineID"),
            ("CII-SR-299", .warning, "ram:DemandForecastReferencedDocument"),
            ("CII-SR-300", .warning, "ram:SupplyInstructionReferencedDocument"),
            ("CII-SR-301", .warning, "ram:PromotionalDealReferencedDocument"),
            ("CII-SR-302", .warning, "ram:PriceListReferencedDocument"),
            ("CII-SR-303", .warning, "ram:AdditionalReferencedDocument/ram:LineID"),
            ("CII-SR-304", .warning, "ram:RequisitionerReferencedDocument"),
            ("CII-SR-305", .warning, "ram:BuyerAgentTradeParty"),
            ("CII-SR-306", .warning, "ram:PurchaseConditionsReferencedDocument"),
            ("CII-SR-307", .warning, "ram:SpecifiedProcuringProject/ram:Description"),
            ("CII-SR-448", .warning, "ram:UltimateCustomerOrderReferencedDocument"),
        ]), [
            BusinessRule("CII-SR-450", .warning, terms: "", "Only one  buyer identifier should be present (either the ID or the Global ID)") {
                !($0.exists("ram:BuyerTradeParty/ram:ID") && $0.exists("ram:BuyerTradeParty/ram:GlobalID"))
            },
            BusinessRule("CII-SR-455", terms: "", "DefinedTradeContact of SellerTradeParty shall exist maximum once") {
                $0.count("ram:SellerTradeParty/ram:DefinedTradeContact") <= 1
            },
            BusinessRule("CII-SR-456", terms: "", "DefinedTradeContact of BuyerTradeParty shall exist maximum once") {
                $0.count("ram:BuyerTradeParty/ram:DefinedTradeContact") <= 1
            },
            BusinessRule("CII-SR-457", .warning, terms: "", "IssuerAssignedID with TypeCode 50 should exist maximum once") {
                $0.all("ram:AdditionalReferencedDocument").filter { $0.some("ram:TypeCode", is: "50") }.count <= 1
            },
            BusinessRule("CII-SR-458", .warning, terms: "", "IssuerAssignedID with TypeCode 130 should exist maximum once") {
                $0.all("ram:AdditionalReferencedDocument").filter { $0.some("ram:TypeCode", is: "130") }.count <= 1
            },
            BusinessRule("CII-SR-459", terms: "", "SellerTradeParty URIUniversalCommunication should exist maximum once") {
                $0.count("ram:SellerTradeParty/ram:URIUniversalCommunication") <= 1
            },
            BusinessRule("CII-SR-460", terms: "", "BuyerTradeParty URIUniversalCommunication should exist maximum once") {
                $0.count("ram:BuyerTradeParty/ram:URIUniversalCommunication") <= 1
            },
            BusinessRule("CII-SR-465", .warning, terms: "BT-41", "Only one BT-41 element is allowed on an invoice.") {
                !($0.exists("ram:SellerTradeParty/ram:DefinedTradeContact/ram:PersonName") && $0.exists("ram:SellerTradeParty/ram:DefinedTradeContact/ram:DepartmentName"))
            },
            BusinessRule("CII-SR-466", .warning, terms: "BT-56", "Only one BT-56 element is allowed on an invoice.") {
                !($0.exists("ram:BuyerTradeParty/ram:DefinedTradeContact/ram:PersonName") && $0.exists("ram:BuyerTradeParty/ram:DefinedTradeContact/ram:DepartmentName"))
            },
            BusinessRule("CII-SR-475", .warning, terms: "BT-123", "Only one AdditionalReferencedDocument Name BT-123 is allowed with TypeCode 916.") {
                $0.all("ram:AdditionalReferencedDocument").filter { $0.normalized("ram:TypeCode") == "916" }.flatMap { $0.all("ram:Name") }.count <= 1
            },
            BusinessRule("CII-SR-476", .warning, terms: "BT-125", "Only one AdditionalReferencedDocument AttachmentBinaryObject BT-125 is allowed with TypeCode 916.") {
                $0.all("ram:AdditionalReferencedDocument").filter { $0.normalized("ram:TypeCode") == "916" }.flatMap { $0.all("ram:AttachmentBinaryObject") }.count <= 1
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery"), joining: unused([
            ("CII-SR-308", .warning, "ram:RelatedSupplyChainConsignment"),
            ("CII-SR-309", .warning, "ram:ShipToTradeParty/ram:RoleCode"),
            ("CII-SR-310", .warning, "ram:ShipToTradeParty/ram:Description"),
            ("CII-SR-311", .warning, "ram:ShipToTradeParty/ram:SpecifiedLegalOrganization"),
            ("CII-SR-312", .warning, "ram:ShipToTradeParty/ram:DefinedTradeContact"),
            ("CII-SR-313", .warning, "ram:ShipToTradeParty/ram:URIUniversalCommunication"),
            ("CII-SR-314", .warning, "ram:ShipToTradeParty/ram:SpecifiedTaxRegistration"),
            ("CII-SR-315", .warning, "ram:ShipToTradeParty/ram:EndPointURIUniversalCommunication"),
            ("CII-SR-316", .warning, "ram:ShipToTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            ("CII-SR-317", .warning, "ram:UltimateShipToTradeParty"),
            ("CII-SR-318", .warning, "ram:ShipFromTradeParty"),
            ("CII-SR-319", .warning, "ram:ActualDespatchSupplyChainEvent"),
            ("CII-SR-320", .warning, "ram:ActualPickUpSupplyChainEvent"),
            ("CII-SR-321", .warning, "ram:ActualDeliverySupplyChainEvent/ram:ID"),
            ("CII-SR-322", .warning, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTime"),
            ("CII-SR-323", .warning, "ram:ActualDeliverySupplyChainEvent/ram:TypeCode"),
            ("CII-SR-324", .warning, "ram:ActualDeliverySupplyChainEvent/ram:Description"),
            ("CII-SR-325", .warning, "ram:ActualDeliverySupplyChainEvent/ram:DescriptionBinaryObject"),
            ("CII-SR-326", .warning, "ram:ActualDeliverySupplyChainEvent/ram:UnitQuantity"),
            ("CII-SR-327", .warning, "ram:ActualDeliverySupplyChainEvent/ram:LatestOccurrenceDateTime"),
            ("CII-SR-328", .warning, "ram:ActualDeliverySupplyChainEvent/ram:EarliestOccurrenceDateTime"),
            ("CII-SR-329", .warning, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceSpecifiedPeriod"),
            ("CII-SR-330", .warning, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceLogisticsLocation"),
            ("CII-SR-331", .warning, "ram:ActualReceiptSupplyChainEvent"),
            ("CII-SR-332", .warning, "ram:AdditionalReferencedDocument"),
            ("CII-SR-333", .warning, "ram:DespatchAdviceReferencedDocument/ram:LineID"),
            ("CII-SR-334", .warning, "ram:DespatchAdviceReferencedDocument/ram:LineID"),
            ("CII-SR-335", .warning, "ram:DeliveryNoteReferencedDocument"),
            ("CII-SR-336", .warning, "ram:ConsumptionReportReferencedDocument"),
            ("CII-SR-337", .warning, "ram:PreviousDeliverySupplyChainEvent"),
            ("CII-SR-338", .warning, "ram:PackingListReferencedDocument"),
        ]), [
            BusinessRule("CII-SR-449", .warning, terms: "", "Only one delivery to location identifier should be present (either the ID or the Global ID)") {
                !($0.exists("ram:ShipToTradeParty/ram:ID") && $0.exists("ram:ShipToTradeParty/ram:GlobalID"))
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"), joining: unused([
            ("CII-SR-339", .warning, "ram:DuePayableAmount"),
            ("CII-SR-340", .warning, "ram:CreditorReferenceTypeCode"),
            ("CII-SR-341", .warning, "ram:CreditorReferenceType"),
            ("CII-SR-342", .warning, "ram:CreditorReferenceIssuerID"),
            ("CII-SR-344", .warning, "ram:PaymentCurrencyCode"),
            ("CII-SR-345", .warning, "ram:InvoiceIssuerReference"),
            ("CII-SR-346", .warning, "ram:InvoiceDateTime"),
            ("CII-SR-347", .warning, "ram:NextInvoiceDateTime"),
            ("CII-SR-348", .warning, "ram:CreditReasonCode"),
            ("CII-SR-349", .warning, "ram:CreditReason"),
            ("CII-SR-350", .warning, "ram:InvoicerTradeParty"),
            ("CII-SR-351", .warning, "ram:InvoiceeTradeParty"),
            ("CII-SR-352", .warning, "ram:PayeeTradeParty/ram:RoleCode"),
            ("CII-SR-353", .warning, "ram:PayeeTradeParty/ram:Description"),
            ("CII-SR-354", .warning, "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode"),
            ("CII-SR-355", .warning, "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:Name"),
            ("CII-SR-356", .warning, "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
            ("CII-SR-357", .warning, "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress"),
            ("CII-SR-358", .warning, "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"),
            ("CII-SR-359", .warning, "ram:PayeeTradeParty/ram:DefinedTradeContact"),
            ("CII-SR-360", .warning, "ram:PayeeTradeParty/ram:PostalTradeAddress"),
            ("CII-SR-361", .warning, "ram:PayeeTradeParty/ram:URIUniversalCommunication"),
            ("CII-SR-362", .warning, "ram:PayeeTradeParty/ram:SpecifiedTaxRegistration"),
            ("CII-SR-363", .warning, "ram:PayeeTradeParty/ram:EndPointURIUniversalCommunication"),
            ("CII-SR-364", .warning, "ram:PayeeTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
        ]), [
            BusinessRule("CII-SR-451", .warning, terms: "", "Only one payee identifier should be present (either the ID or the Global ID)") {
                !($0.exists("ram:PayeeTradeParty/ram:ID") && $0.exists("ram:PayeeTradeParty/ram:GlobalID"))
            },
        ], unused([
            ("CII-SR-365", .warning, "ram:PayerTradeParty"),
            ("CII-SR-366", .warning, "ram:TaxApplicableTradeCurrencyExchange"),
            ("CII-SR-367", .warning, "ram:InvoiceApplicableTradeCurrencyExchange"),
            ("CII-SR-368", .warning, "ram:PaymentApplicableTradeCurrencyExchange"),
            ("CII-SR-369", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PaymentChannelCode"),
            ("CII-SR-370", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:GuaranteeMethodCode"),
            ("CII-SR-371", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PaymentMethodCode"),
            ("CII-SR-443", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ID"),
            ("CII-SR-372", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:MicrochipIndicator"),
            ("CII-SR-373", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:TypeCode"),
            ("CII-SR-375", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:ExpiryDate"),
            ("CII-SR-376", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:VerificationNumeric"),
            ("CII-SR-377", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:ValidFromDateTime"),
            ("CII-SR-378", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:CreditLimitAmount"),
            ("CII-SR-379", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:CreditAvailableAmount"),
            ("CII-SR-380", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:InterestRatePercent"),
            ("CII-SR-381", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:Description"),
            ("CII-SR-382", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:AccountName"),
            ("CII-SR-444", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:ProprietaryID"),
            ("CII-SR-384", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerSpecifiedDebtorFinancialInstitution/ram:ClearingSystemName"),
            ("CII-SR-385", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerSpecifiedDebtorFinancialInstitution/ram:Name"),
            ("CII-SR-386", .warning, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerSpecifiedDebtorFinancialInstitution/ram:LocationFinancialInstitutionAddress"),
            ("CII-SR-388", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:ID"),
            ("CII-SR-389", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:SequenceNumeric"),
            ("CII-SR-390", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:BasisQuantity"),
            ("CII-SR-391", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:PrepaidIndicator"),
            ("CII-SR-392", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:UnitBasisAmount"),
            ("CII-SR-393", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:TypeCode"),
            ("CII-SR-394", .warning, "ram:SpecifiedTradeAllowanceCharge/ram:ActualTradeCurrencyExchange"),
            ("CII-SR-395", .warning, "ram:SubtotalCalculatedTradeTax"),
            ("CII-SR-396", .warning, "ram:SpecifiedLogisticsServiceCharge"),
            ("CII-SR-397", .warning, "ram:SpecifiedTradePaymentTerms/ram:ID"),
            ("CII-SR-398", .warning, "ram:SpecifiedTradePaymentTerms/ram:FromEventCode"),
            ("CII-SR-399", .warning, "ram:SpecifiedTradePaymentTerms/ram:SettlementPeriodMeasure"),
            ("CII-SR-400", .warning, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTime"),
            ("CII-SR-401", .warning, "ram:SpecifiedTradePaymentTerms/ram:TypeCode"),
            ("CII-SR-402", .warning, "ram:SpecifiedTradePaymentTerms/ram:InstructionTypeCode"),
            ("CII-SR-404", .warning, "ram:SpecifiedTradePaymentTerms/ram:PartialPaymentPercent"),
            ("CII-SR-405", .warning, "ram:SpecifiedTradePaymentTerms/ram:PaymentMeansID"),
            ("CII-SR-406", .warning, "ram:SpecifiedTradePaymentTerms/ram:PartialPaymentAmount"),
            ("CII-SR-407", .warning, "ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentPenaltyTerms"),
            ("CII-SR-408", .warning, "ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentDiscountTerms"),
            ("CII-SR-409", .warning, "ram:SpecifiedTradePaymentTerms/ram:PayeeTradeParty"),
            ("CII-SR-421", .warning, "ram:SpecifiedFinancialAdjustment"),
            ("CII-SR-422", .warning, "ram:InvoiceReferencedDocument/ram:LineID"),
            ("CII-SR-423", .warning, "ram:ProFormaInvoiceReferencedDocument"),
            ("CII-SR-424", .warning, "ram:LetterOfCreditReferencedDocument"),
            ("CII-SR-425", .warning, "ram:FactoringAgreementReferencedDocument"),
            ("CII-SR-426", .warning, "ram:FactoringListReferencedDocument"),
            ("CII-SR-427", .warning, "ram:PayableSpecifiedTradeAccountingAccount"),
            ("CII-SR-428", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:SetTriggerCode"),
            ("CII-SR-429", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:TypeCode"),
            ("CII-SR-430", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:AmountTypeCode"),
            ("CII-SR-431", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:Name"),
            ("CII-SR-432", .warning, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:CostReferenceDimensionPattern"),
            ("CII-SR-433", .warning, "ram:PurchaseSpecifiedTradeAccountingAccount"),
            ("CII-SR-434", .warning, "ram:SalesSpecifiedTradeAccountingAccount"),
            ("CII-SR-435", .warning, "ram:SpecifiedTradeSettlementFinancialCard"),
            ("CII-SR-436", .warning, "ram:SpecifiedAdvancePayment"),
            ("CII-SR-437", .warning, "ram:UltimatePayeeTradeParty"),
        ]), [
            BusinessRule("CII-SR-452", .warning, terms: "", "Only one SpecifiedTradePaymentTerms should be present") {
                $0.count("ram:SpecifiedTradePaymentTerms") <= 1
            },
            BusinessRule("CII-SR-453", .warning, terms: "", "Only one SpecifiedTradePaymentTerms Description should be present") {
                $0.count("ram:SpecifiedTradePaymentTerms/ram:Description") <= 1
            },
            BusinessRule("CII-SR-461", terms: "", "Only one TaxPointDate shall be present") {
                $0.count("ram:ApplicableTradeTax/ram:TaxPointDate") <= 1
            },
            BusinessRule("CII-SR-462", terms: "", "Only one DueDateTypeCode shall be present") {
                Set($0.strings("//ram:ApplicableTradeTax/ram:DueDateTypeCode")).count <= 1
            },
            BusinessRule("CII-SR-470", terms: "BT-84", "Either the IBAN or a Proprietary ID (BT-84) shall be used.") { !$0.any("ram:SpecifiedTradeSettlementPaymentMeans") { means in
                    ["30", "58"].contains(means.normalized("ram:TypeCode"))
                        && !(means.exists("ram:PayeePartyCreditorFinancialAccount/ram:IBANID") || means.exists("ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID"))
                }
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation"), joining: unused([
            ("CII-SR-411", .warning, "ram:InformationAmount"),
            ("CII-SR-412", .warning, "ram:TotalDiscountAmount"),
            ("CII-SR-413", .warning, "ram:TotalAllowanceChargeAmount"),
            ("CII-SR-414", .warning, "ram:RetailValueExcludingTaxInformationAmount"),
            ("CII-SR-415", .warning, "ram:TotalDepositFeeInformationAmount"),
            ("CII-SR-416", .warning, "ram:ProductValueExcludingTobaccoTaxInformationAmount"),
            ("CII-SR-417", .warning, "ram:TotalRetailValueInformationAmount"),
            ("CII-SR-418", .warning, "ram:GrossLineTotalAmount"),
            ("CII-SR-419", .warning, "ram:NetLineTotalAmount"),
            ("CII-SR-420", .warning, "ram:NetIncludingTaxesLineTotalAmount"),
        ]), [
            BusinessRule("CII-SR-477", terms: "", "LineTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:LineTotalAmount") <= 1
            },
            BusinessRule("CII-SR-478", terms: "", "ChargeTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:ChargeTotalAmount") <= 1
            },
            BusinessRule("CII-SR-479", terms: "", "AllowanceTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:AllowanceTotalAmount") <= 1
            },
            BusinessRule("CII-SR-480", terms: "", "TaxBasisTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:TaxBasisTotalAmount") <= 1
            },
            BusinessRule("CII-SR-481", terms: "", "RoundingAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:RoundingAmount") <= 1
            },
            BusinessRule("CII-SR-482", terms: "", "GrandTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:GrandTotalAmount") <= 1
            },
            BusinessRule("CII-SR-483", terms: "", "InformationAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:InformationAmount") <= 1
            },
            BusinessRule("CII-SR-484", terms: "", "TotalPrepaidAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:TotalPrepaidAmount") <= 1
            },
            BusinessRule("CII-SR-485", terms: "", "TotalDiscountAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:TotalDiscountAmount") <= 1
            },
            BusinessRule("CII-SR-486", terms: "", "TotalAllowanceChargeAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:TotalAllowanceChargeAmount") <= 1
            },
            BusinessRule("CII-SR-487", terms: "", "DuePayableAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:DuePayableAmount") <= 1
            },
            BusinessRule("CII-SR-488", terms: "", "RetailValueExcludingTaxInformationAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:RetailValueExcludingTaxInformationAmount") <= 1
            },
            BusinessRule("CII-SR-489", terms: "", "TotalDepositFeeInformationAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:TotalDepositFeeInformationAmount") <= 1
            },
            BusinessRule("CII-SR-490", terms: "", "ProductValueExcludingTobaccoTaxInformationAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:ProductValueExcludingTobaccoTaxInformationAmount") <= 1
            },
            BusinessRule("CII-SR-491", terms: "", "TotalRetailValueInformationAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:TotalRetailValueInformationAmount") <= 1
            },
            BusinessRule("CII-SR-492", terms: "", "GrossLineTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:GrossLineTotalAmount") <= 1
            },
            BusinessRule("CII-SR-493", terms: "", "NetLineTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:NetLineTotalAmount") <= 1
            },
            BusinessRule("CII-SR-494", terms: "", "NetIncludingTaxesLineTotalAmount shall occur at most once in SpecifiedTradeSettlementHeaderMonetarySummation.") {
                $0.count("ram:NetIncludingTaxesLineTotalAmount") <= 1
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice"), joining: unused([
            ("CII-DT-013", .fatal, "@languageID"),
            ("CII-DT-014", .fatal, "@languageLocaleID"),
            ("CII-SR-438", .warning, "ram:ValuationBreakdownStatement"),
        ]), [
            BusinessRule("CII-SR-467", terms: "BT-81", "All Payment means type codes (BT-81) shall have the same value across all SpecifiedTradeSettlementPaymentMeans.") {
                Set($0.all("//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode").map { RuleNode.normalizeSpace($0.text) }).count <= 1
            },
            BusinessRule("CII-SR-468", terms: "BT-82", "All Payment means texts (BT-82) shall have the same value across all SpecifiedTradeSettlementPaymentMeans.") {
                Set($0.all("//ram:SpecifiedTradeSettlementPaymentMeans/ram:Information").map { RuleNode.normalizeSpace($0.text) }).count <= 1
            },
            BusinessRule("CII-SR-469", terms: "BT-83", "Payment reference (BT-83) shall occur at most once in the document.") {
                $0.count("//ram:ApplicableHeaderTradeSettlement/ram:PaymentReference") <= 1
            },
        ]),
        ContextRules(RuleContext("*", where: { $0.nameEnds(with: .documentContextParameter) }), unused([
            ("CII-SR-04", .warning, "ram:Value"),
            ("CII-SR-05", .warning, "ram:SpecifiedDocumentVersion"),
        ])),
        ContextRules(RuleContext(
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument/ram:LineID",
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct/ram:SellerAssignedID"), unused([
            ("CII-DT-001", .fatal, "@schemeName"),
            ("CII-DT-002", .fatal, "@schemeAgencyName"),
            ("CII-DT-003", .fatal, "@schemeDataURI"),
            ("CII-DT-004", .fatal, "@schemeURI"),
            ("CII-DT-005", .fatal, "@schemeID"),
            ("CII-DT-006", .fatal, "@schemeAgencyID"),
            ("CII-DT-007", .fatal, "@schemeVersionID"),
        ])),
        ContextRules(RuleContext("*", where: { $0.isIn(namespace: RuleNamespaces.ram) && $0.nameEnds(with: .id) }), unused([
            ("CII-DT-101", .fatal, "@schemeName"),
            ("CII-DT-102", .fatal, "@schemeAgencyName"),
            ("CII-DT-103", .fatal, "@schemeDataURI"),
            ("CII-DT-104", .fatal, "@schemeURI"),
        ])),
        ContextRules(RuleContext("ram:TypeCode"), joining: unused([
            ("CII-DT-008", .fatal, "@name"),
            ("CII-DT-009", .fatal, "@listURI"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode"), joining: unused([
            ("CII-DT-010", .fatal, "@listID"),
            ("CII-DT-011", .fatal, "@listAgencyID"),
            ("CII-DT-012", .fatal, "@listVersionID"),
        ])),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode"), joining: unused([
            ("CII-DT-045", .warning, "@listID"),
            ("CII-DT-046", .warning, "@listAgencyID"),
            ("CII-DT-047", .warning, "@listVersionID"),
            ("CII-DT-048", .warning, "@listURI"),
        ])),
        ContextRules(RuleContext("*", where: { $0.isIn(namespace: RuleNamespaces.ram) && $0.nameEnds(with: .referencedDocument) }), joining: [
            BusinessRule("CII-DT-015", terms: "", "URIID should not be present") {
                !$0.exists("ram:URIID") || ($0.name == "AdditionalReferencedDocument" && $0.some("ram:TypeCode", is: "916"))
            },
        ], unused([
            ("CII-DT-016", .fatal, "ram:StatusCode"),
            ("CII-DT-017", .fatal, "ram:CopyIndicator"),
        ]), [
            BusinessRule("CII-DT-018", terms: "", "TypeCode should not be present") {
                !$0.exists("ram:TypeCode") || ($0.name == "AdditionalReferencedDocument" && $0.some("ram:TypeCode", is: "50", "130", "916"))
            },
        ], unused([
            ("CII-DT-019", .fatal, "ram:GlobalID"),
            ("CII-DT-020", .fatal, "ram:RevisionID"),
        ]), [
            BusinessRule("CII-DT-021", terms: "", "Name should not be present") {
                !$0.exists("ram:Name") || ($0.name == "AdditionalReferencedDocument" && $0.some("ram:TypeCode", is: "916"))
            },
            BusinessRule("CII-DT-022", terms: "", "AttachmentBinaryObject should not be present") {
                !$0.exists("ram:AttachmentBinaryObject") || ($0.name == "AdditionalReferencedDocument" && $0.some("ram:TypeCode", is: "916"))
            },
        ], unused([
            ("CII-DT-023", .fatal, "ram:Information"),
        ]), [
            BusinessRule("CII-DT-024", terms: "", "ReferenceTypeCode should not be present") {
                !$0.exists("ram:ReferenceTypeCode") || ($0.name == "AdditionalReferencedDocument" && $0.some("ram:TypeCode", is: "130"))
            },
        ], unused([
            ("CII-DT-025", .fatal, "ram:SectionName"),
            ("CII-DT-026", .fatal, "ram:PreviousRevisionID"),
        ]), [
            BusinessRule("CII-DT-027", terms: "", "FormattedIssueDateTime should not be present") {
                !$0.exists("ram:FormattedIssueDateTime") || $0.name == "InvoiceReferencedDocument"
            },
        ], unused([
            ("CII-DT-028", .fatal, "ram:EffectiveSpecifiedPeriod"),
            ("CII-DT-029", .fatal, "ram:IssuerTradeParty"),
            ("CII-DT-030", .fatal, "ram:AttachedSpecifiedBinaryFile"),
        ])),
        ContextRules(RuleContext("*", where: { $0.isIn(namespace: RuleNamespaces.ram) && $0.nameEnds(with: .amount) && $0.name != "TaxTotalAmount" }), unused([
            ("CII-DT-031", .fatal, "@currencyID"),
            ("CII-DT-032", .fatal, "@currencyCodeListVersionID"),
        ])),
        ContextRules(RuleContext("*", where: { $0.isIn(namespace: RuleNamespaces.ram) && $0.nameEnds(with: .quantity) }), joining: [
            BusinessRule("CII-DT-033", terms: "", "unitCode should not be present") {
                !$0.has(attribute: "unitCode")
                || $0.present("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode")
            },
        ], unused([
            ("CII-DT-034", .fatal, "@unitCodeListID"),
            ("CII-DT-035", .fatal, "@unitCodeListAgencyID"),
            ("CII-DT-036", .fatal, "@unitCodeListAgencyName"),
        ])),
        ContextRules(RuleContext("*", where: { $0.isIn(namespace: RuleNamespaces.ram) && $0.nameEnds(with: .tradeTax) }), joining: [
            BusinessRule("CII-DT-037", terms: "", "TypeCode shall be 'VAT'") {
                !$0.exists("ram:TypeCode") || $0.some("ram:TypeCode", is: "VAT")
            },
        ], unused([
            ("CII-DT-038", .warning, "ram:CalculatedRate"),
            ("CII-DT-039", .warning, "ram:CalculationSequenceNumeric"),
            ("CII-DT-040", .warning, "ram:BasisQuantity"),
        ]), [
            BusinessRule("CII-DT-041", .warning, terms: "", "BasisAmount should not be present") {
                !$0.exists("ram:BasisAmount") || $0.hasAncestor("ram:ApplicableHeaderTradeSettlement")
            },
        ], unused([
            ("CII-DT-042", .warning, "ram:UnitBasisAmount"),
            ("CII-DT-043", .warning, "ram:LineTotalBasisAmount"),
            ("CII-DT-044", .warning, "ram:AllowanceChargeBasisAmount"),
            ("CII-DT-049", .warning, "ram:CurrencyCode"),
            ("CII-DT-050", .warning, "ram:Jurisdiction"),
            ("CII-DT-051", .warning, "ram:CustomsDutyIndicator"),
        ]), [
            BusinessRule("CII-DT-052", .warning, terms: "", "ExemptionReasonCode should not be present") {
                !$0.exists("ram:ExemptionReasonCode") || $0.name == "ApplicableTradeTax"
            },
            BusinessRule("CII-DT-098", .warning, terms: "", "ExemptionReason should not be present") {
                !$0.exists("ram:ExemptionReason") || $0.name == "ApplicableTradeTax"
            },
        ], unused([
            ("CII-DT-053", .warning, "ram:TaxBasisAllowanceRate"),
        ]), [
            BusinessRule("CII-DT-054", .warning, terms: "", "TaxPointDate should not be present") {
                !$0.exists("ram:TaxPointDate") || $0.hasAncestor("ram:ApplicableHeaderTradeSettlement")
            },
        ], unused([
            ("CII-DT-055", .warning, "ram:Type"),
            ("CII-DT-056", .warning, "ram:InformationAmount"),
            ("CII-DT-057", .warning, "ram:CategoryName"),
        ]), [
            BusinessRule("CII-DT-058", .warning, terms: "", "DueDateTypeCode should not be present") {
                !$0.exists("ram:DueDateTypeCode") || $0.hasAncestor("ram:ApplicableHeaderTradeSettlement")
            },
        ], unused([
            ("CII-DT-059", .warning, "ram:RateApplicablePercent/@format"),
            ("CII-DT-060", .warning, "ram:SpecifiedTradeAccountingAccount"),
            ("CII-DT-061", .warning, "ram:ServiceSupplyTradeCountry"),
            ("CII-DT-062", .warning, "ram:BuyerRepayableTaxSpecifiedTradeAccountingAccount"),
            ("CII-DT-063", .warning, "ram:SellerPayableTaxSpecifiedTradeAccountingAccount"),
            ("CII-DT-064", .warning, "ram:SellerRefundableTaxSpecifiedTradeAccountingAccount"),
            ("CII-DT-065", .warning, "ram:BuyerDeductibleTaxSpecifiedTradeAccountingAccount"),
            ("CII-DT-066", .warning, "ram:BuyerNonDeductibleTaxSpecifiedTradeAccountingAccount"),
            ("CII-DT-067", .warning, "ram:PlaceApplicableTradeLocation"),
        ])),
        ContextRules(RuleContext("ram:BillingSpecifiedPeriod"), joining: unused([
            ("CII-DT-068", .fatal, "ram:StartDateTime/udt:DateTime"),
            ("CII-DT-069", .fatal, "ram:DurationMeasure"),
            ("CII-DT-070", .fatal, "ram:InclusiveIndicator"),
            ("CII-DT-071", .fatal, "ram:Description"),
            ("CII-DT-072", .fatal, "ram:EndDateTime/udt:DateTime"),
            ("CII-DT-073", .fatal, "ram:CompleteDateTime"),
            ("CII-DT-074", .fatal, "ram:OpenIndicator"),
            ("CII-DT-075", .fatal, "ram:SeasonCode"),
            ("CII-DT-076", .fatal, "ram:ID"),
            ("CII-DT-077", .fatal, "ram:Name"),
            ("CII-DT-078", .fatal, "ram:SequenceNumeric"),
            ("CII-DT-079", .fatal, "ram:StartDateFlexibilityCode"),
            ("CII-DT-080", .fatal, "ram:ContinuousIndicator"),
            ("CII-DT-081", .fatal, "ram:PurposeCode"),
        ])),
        ContextRules(RuleContext("ram:PostalTradeAddress"), joining: unused([
            ("CII-DT-082", .fatal, "ram:ID"),
            ("CII-DT-083", .fatal, "ram:PostOfficeBox"),
            ("CII-DT-084", .fatal, "ram:BuildingName"),
            ("CII-DT-086", .fatal, "ram:LineFour"),
            ("CII-DT-087", .fatal, "ram:LineFive"),
            ("CII-DT-088", .fatal, "ram:StreetName"),
            ("CII-DT-089", .fatal, "ram:CitySubDivisionName"),
            ("CII-DT-090", .fatal, "ram:CountryName"),
            ("CII-DT-091", .fatal, "ram:CountrySubDivisionID"),
            ("CII-DT-092", .fatal, "ram:AttentionOf"),
            ("CII-DT-093", .fatal, "ram:CareOf"),
            ("CII-DT-094", .fatal, "ram:BuildingNumber"),
            ("CII-DT-095", .fatal, "ram:DepartmentName"),
            ("CII-DT-096", .fatal, "ram:AdditionalStreetName"),
        ])),
        ContextRules(RuleContext("udt:DateTimeString", where: { $0.attribute("format") == "102" }), [
            BusinessRule("CII-DT-097", terms: "", "Date time string with format attribute 102 shall be YYYYMMDD.") {
                isFormat102Date($0.text)
            },
        ]),
    ])

    /// Rules that each element or attribute the CII binding does not use is absent: the rule's id,
    /// its flag and the path from the context (a last step `@name` is an attribute).
    static func unused(_ entries: [(id: String, flag: RuleFlag, path: String)]) -> [BusinessRule] {
        entries.map { entry in
            let name = entry.path.split(separator: "/").last.map { $0.split(separator: ":").last ?? $0 } ?? Substring(entry.path)
            let owner = entry.path.split(separator: "/").filter { !$0.hasPrefix("@") }.joined(separator: "/")
            // The path compiled once, here: the elements, and the attribute it may end in.
            let path = RulePath(entry.path)
            // A document without an element the path steps through has nothing it selects.
            return BusinessRule(entry.id, entry.flag, terms: "", "\(name) should not be present", subject: owner.isEmpty ? nil : owner,
                                holdsWithout: path.requiredNames.last ?? -1) {
                !$0.present(path)
            }
        }
    }

    /// CII-DT-097's `matches(., '^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$')`: four
    /// decimal digits (any script, as XSD's `\d`), an ASCII month 01-12 and day 01-31, XSD white space
    /// (space, tab, CR, LF) around.
    static func isFormat102Date(_ text: String) -> Bool {
        let space: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        let scalars = Array(text.unicodeScalars.drop { space.contains($0) }.reversed().drop { space.contains($0) }.reversed())
        guard scalars.count == 8, scalars[..<4].allSatisfy({ $0.properties.numericType == .decimal }),
              scalars[4...].allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        let value = { (scalar: Unicode.Scalar) in Int(scalar.value) - 48 }
        let month = value(scalars[4]) * 10 + value(scalars[5])
        let day = value(scalars[6]) * 10 + value(scalars[7])
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
