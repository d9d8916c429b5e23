import Foundation
import HubCore
import HubXML

/// Judges one e-invoice (UBL 2.1, UN/CEFACT CII, or a Factur-X / ZUGFeRD PDF carrying CII) against
/// the rules of the reference it declares, chosen by `InvoiceReferences`, and says everything in a
/// `ValidationReport`. It stores nothing and keeps no state, so one validator serves any number of
/// threads.
///
/// Any bytes give a report, never a crash: XML is read by `SafeXMLReader` (no DTD, no entity, bounded
/// size, depth and attributes), a PDF by qpdf with the embedded file's decoding bounded by
/// `maxBytes`; what cannot be read is a report whose `unreadable` says why.
public struct InvoiceValidator: Sendable {
    /// How the sender said the document is written, when it said so (an HTTP `Content-Type`).
    public enum DocumentType: String, Sendable {
        /// UBL or CII XML.
        case xml
        /// A PDF carrying an invoice XML (Factur-X, ZUGFeRD 2).
        case pdf
    }

    /// The largest document read by default, in bytes: the invoice connectors' default `maxBytes`.
    public static let defaultMaxBytes = 10 << 20

    /// The largest document read, in bytes; it also bounds the XML a PDF embeds, once decoded.
    public let maxBytes: Int
    private let reader: SafeXMLReader

    /// A validator reading documents of at most `maxBytes`.
    public init(maxBytes: Int = InvoiceValidator.defaultMaxBytes) {
        self.maxBytes = maxBytes
        reader = SafeXMLReader(maxBytes: maxBytes)
    }

    /// The report on `document`, called `name`; `type` is what the sender declared (nil: told by
    /// the bytes, a PDF starting with `%PDF-`).
    public func validate(_ document: Data, named name: String, as type: DocumentType? = nil) -> ValidationReport {
        let isPDF = document.starts(with: Self.pdfSignature)
        switch (type, isPDF) {
        case (.pdf, false):
            return ValidationReport(document: name, format: "Factur-X", unreadable:
                "it was sent as a PDF but does not start with %PDF-: it is not a PDF")
        case (.xml, true):
            return ValidationReport(document: name, unreadable:
                "it was sent as XML but is a PDF: send it as application/pdf to have its embedded invoice checked")
        case (_, true):
            return validatePDF(document, named: name)
        case (_, false):
            return validateXML(document, named: name, format: nil, embeddedFile: nil)
        }
    }

    private static let pdfSignature = Data("%PDF-".utf8)

    private func validatePDF(_ pdf: Data, named name: String) -> ValidationReport {
        guard pdf.count <= maxBytes else {
            return ValidationReport(document: name, format: "Factur-X", unreadable: Self.tooLarge(pdf.count, limit: maxBytes))
        }
        do {
            let attachment = try PDFAttachmentExtractor.invoiceXML(in: pdf, maxBytes: maxBytes)
            return validateXML(attachment.bytes, named: name, format: "Factur-X", embeddedFile: attachment.name)
        } catch {
            return ValidationReport(document: name, format: "Factur-X", unreadable: Self.reason(error))
        }
    }

    private func validateXML(_ xml: Data, named name: String, format: String?, embeddedFile: String?) -> ValidationReport {
        guard xml.count <= maxBytes else {
            return ValidationReport(document: name, format: format, embeddedFile: embeddedFile,
                                    unreadable: Self.tooLarge(xml.count, limit: maxBytes))
        }
        let document: XMLFlatDocument
        do {
            document = try reader.readFlat(xml)
        } catch {
            return ValidationReport(document: name, format: format, embeddedFile: embeddedFile, unreadable: Self.reason(error))
        }
        let rootName = document.name(of: 0), rootNamespace = document.namespace(of: 0)
        guard let syntax = InvoiceSyntaxBinding(EN16931Rules.syntax(name: rootName, namespace: rootNamespace)) else {
            return ValidationReport(document: name, format: format, embeddedFile: embeddedFile,
                                    unreadable: Self.notAnInvoice(name: rootName, namespace: rootNamespace))
        }
        // The rules first: the document is laid out once their names are numbered, for them and here.
        let rules = InvoiceReferences.ruleSet(for: document)
        let node = RuleNode(document)
        let specificationID = node.normalized(syntax.specificationIDPath)
        let number = node.normalized(syntax.numberPath)
        return ValidationReport(
            document: name, format: format ?? syntax.name, embeddedFile: embeddedFile, syntax: syntax.name,
            specificationID: specificationID.isEmpty ? nil : specificationID,
            profile: InvoiceProfile(specificationID: specificationID).rawValue, number: number.isEmpty ? nil : number,
            reference: rules?.reference,
            unreadable: rules == nil ? "no reference the hub holds applies to this \(syntax.name) document "
                + "(specification identifier \"\(specificationID)\")" : nil,
            failures: rules?.failures(in: node).map(ValidationReport.Failure.init) ?? [])
    }

    private static func tooLarge(_ count: Int, limit: Int) -> String {
        "it is \(count) bytes, larger than the \(limit) bytes the validator reads"
    }

    private static func reason(_ error: any Error) -> String {
        (error as? ConnectorError)?.message ?? "\(error)"
    }

    /// Why a well-formed document whose root is no invoice the hub reads is not judged.
    private static func notAnInvoice(name: String, namespace: String) -> String {
        if namespace == "urn:ferd:CrossIndustryDocument:invoice:1p0" {
            return "it is a ZUGFeRD 1.0 CrossIndustryDocument, which predates EN 16931 and is not judged; "
                + "ask the supplier for Factur-X / ZUGFeRD 2 (CII D16B) or UBL 2.1"
        }
        return "its root element is <\(name)> in namespace \"\(namespace)\": neither a UBL 2.1 Invoice or "
            + "CreditNote nor a UN/CEFACT CrossIndustryInvoice (D16B)"
    }
}

/// Where a syntax keeps what a report names besides the rules' verdicts: the specification
/// identifier (BT-24) and the invoice number (BT-1).
private struct InvoiceSyntaxBinding {
    /// `UBL` or `CII`.
    let name: String
    /// BT-24, from the root element.
    let specificationIDPath: String
    /// BT-1, from the root element.
    let numberPath: String

    /// The binding of a document in `syntax`, nil when its root is neither syntax's.
    init?(_ syntax: EN16931Rules.Syntax?) {
        switch syntax {
        case .ubl?:
            (name, specificationIDPath, numberPath) = ("UBL", "cbc:CustomizationID", "cbc:ID")
        case .cii?:
            (name, specificationIDPath, numberPath) = (
                "CII", "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", "rsm:ExchangedDocument/ram:ID")
        case nil:
            return nil
        }
    }
}
