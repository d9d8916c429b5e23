import CQPDF
import Foundation
import HubCore

/// Finds the invoice XML embedded in a Factur-X / ZUGFeRD PDF with qpdf's C API: the files of the
/// catalog's `/Names /EmbeddedFiles` name tree (walking `/Kids`), then the catalog's `/AF`
/// array, each file specification's `/EF /F` stream read decoded. qpdf parses the PDF (object and
/// cross-reference streams, damaged files); nothing here reads PDF syntax.
///
/// The walk is bounded: it visits each indirect object once and descends at most `maxDepth`
/// levels, so a cyclic or absurdly deep object graph ends instead of looping.
struct PDFAttachmentExtractor {
    /// File names of the invoice XML, by preference (Factur-X, ZUGFeRD 2, ZUGFeRD 1, XRechnung).
    static let invoiceFileNames = ["factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml"]
    /// qpdf writes some warnings about damaged files (an operation on a null object) to its default
    /// logger's stderr whatever the instance says; the extractor reads errors itself and reports
    /// them as the dead letter's reason, so that logger discards them.
    private static let quietDefaultLogger: Void = {
        var logger = qpdflogger_default_logger()
        qpdflogger_set_warn(logger, qpdf_log_dest_discard, nil, nil)
        qpdflogger_set_error(logger, qpdf_log_dest_discard, nil, nil)
        qpdflogger_cleanup(&logger)
    }()

    /// How deep a name tree may nest.
    static let maxDepth = 32

    /// One embedded file found: its name and its decoded bytes.
    struct Attachment {
        var name: String
        var bytes: Data
    }

    /// The invoice XML embedded in `pdf`, or an error saying why there is none.
    static func invoiceXML(in pdf: Data, maxBytes: Int) throws -> Attachment {
        _ = quietDefaultLogger
        guard let qpdf = qpdf_init() else { throw ConnectorError(.unsupported, "qpdf could not be initialised") }
        var handle: qpdf_data? = qpdf
        defer { qpdf_cleanup(&handle) }
        qpdf_set_suppress_warnings(qpdf, QPDF_TRUE)
        qpdf_silence_errors(qpdf)  // errors are read through qpdf_has_error and become the dead letter's reason
        let status = pdf.withUnsafeBytes { buffer in
            qpdf_read_memory(qpdf, "invoice.pdf", buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                             UInt64(buffer.count), nil)
        }
        if status & QPDF_ERRORS != 0 || qpdf_has_error(qpdf) != QPDF_FALSE {
            throw ConnectorError(.malformedPayload, "the PDF cannot be read: \(errorText(qpdf))")
        }
        var walker = Walker(qpdf: qpdf)
        let root = qpdf_get_root(qpdf)
        // A damaged trailer leaves no catalog; qpdf reports it as an error to be read, not a crash.
        if qpdf_has_error(qpdf) != QPDF_FALSE {
            throw ConnectorError(.malformedPayload, "the PDF has no readable document catalog (/Root): \(errorText(qpdf))")
        }
        guard qpdf_oh_is_initialized(qpdf, root) != QPDF_FALSE, qpdf_oh_is_dictionary(qpdf, root) != QPDF_FALSE else {
            throw ConnectorError(.malformedPayload, "the PDF has no document catalog (/Root): its trailer names none or something else")
        }
        let names = qpdf_oh_get_key(qpdf, qpdf_oh_get_key(qpdf, root, "/Names"), "/EmbeddedFiles")
        walker.collectNameTree(names, depth: 0)
        let associated = qpdf_oh_get_key(qpdf, root, "/AF")
        if qpdf_oh_is_array(qpdf, associated) != QPDF_FALSE {
            for index in 0..<min(qpdf_oh_get_array_n_items(qpdf, associated), 1000) {
                walker.specifications.append(qpdf_oh_get_array_item(qpdf, associated, index))
            }
        }
        var found: [String] = []
        for wanted in invoiceFileNames {
            for specification in walker.specifications {
                let name = fileName(qpdf, specification)
                if !found.contains(name) { found.append(name) }
                guard name.lowercased() == wanted.lowercased() else { continue }
                let stream = qpdf_oh_get_key(qpdf, qpdf_oh_get_key(qpdf, specification, "/EF"), "/F")
                guard qpdf_oh_is_stream(qpdf, stream) != QPDF_FALSE else { continue }
                return Attachment(name: name, bytes: try decodedData(of: stream, named: name, qpdf: qpdf, maxBytes: maxBytes))
            }
        }
        let listed = found.filter { !$0.isEmpty }
        throw ConnectorError(.missingField, listed.isEmpty
            ? "the PDF has no embedded invoice XML (no embedded files at all): it is not a Factur-X or ZUGFeRD invoice; ask the supplier for the Factur-X PDF or the XML"
            : "the PDF embeds \(listed.joined(separator: ", ")) but no \(invoiceFileNames.joined(separator: ", ")): it is not a Factur-X or ZUGFeRD invoice")
    }

    /// An embedded file's bytes: the stream's raw data from qpdf, decoded here only when its filter
    /// is FlateDecode (what Factur-X producers use), through `FlateStream` and its running limit;
    /// qpdf would decode the whole stream before its size could be checked.
    private static func decodedData(of stream: qpdf_oh, named name: String, qpdf: qpdf_data, maxBytes: Int) throws -> Data {
        let dictionary = qpdf_oh_get_dict(qpdf, stream)
        let filters = filterNames(qpdf_oh_get_key(qpdf, dictionary, "/Filter"), qpdf)
        let parameters = qpdf_oh_get_key(qpdf, dictionary, "/DecodeParms")
        let predictor = qpdf_oh_get_key(qpdf, qpdf_oh_is_array(qpdf, parameters) != QPDF_FALSE
                                        ? qpdf_oh_get_array_item(qpdf, parameters, 0) : parameters, "/Predictor")
        let predicted = qpdf_oh_is_integer(qpdf, predictor) != QPDF_FALSE && qpdf_oh_get_int_value_as_int(qpdf, predictor) > 1
        guard let filters, filters.count <= 1, filters.allSatisfy({ $0 == "/FlateDecode" || $0 == "/Fl" }), !predicted else {
            throw ConnectorError(.unsupported, "the PDF's embedded \(name) is encoded with \(filterDescription(filters, predicted)), "
                                 + "which the hub does not decode; Factur-X producers embed the XML plain or with FlateDecode")
        }
        var filtered: QPDF_BOOL = QPDF_FALSE
        var buffer: UnsafeMutablePointer<UInt8>?
        var length = 0
        let code = qpdf_oh_get_stream_data(qpdf, stream, qpdf_dl_none, &filtered, &buffer, &length)
        defer { free(buffer) }
        if code & QPDF_ERRORS != 0 || qpdf_has_error(qpdf) != QPDF_FALSE || buffer == nil {
            throw ConnectorError(.malformedPayload, "the PDF's embedded \(name) cannot be read: \(errorText(qpdf))")
        }
        let raw = UnsafeRawBufferPointer(start: buffer, count: length)
        if filters.isEmpty {
            guard length <= maxBytes else {
                throw ConnectorError(.unsupported, "the PDF's embedded \(name) is \(length) bytes, larger than the configured limit of \(maxBytes) bytes")
            }
            return Data(raw)
        }
        return try FlateStream.inflate(raw, maxBytes: maxBytes, naming: name)
    }

    /// The names of a `/Filter` entry (a name or an array of names); nil when it is neither.
    private static func filterNames(_ filter: qpdf_oh, _ qpdf: qpdf_data) -> [String]? {
        func name(_ object: qpdf_oh) -> String? {
            guard qpdf_oh_is_name(qpdf, object) != QPDF_FALSE, let text = qpdf_oh_get_name(qpdf, object) else { return nil }
            return String(cString: text)
        }
        if qpdf_oh_is_null(qpdf, filter) != QPDF_FALSE { return [] }
        if let single = name(filter) { return [single] }
        guard qpdf_oh_is_array(qpdf, filter) != QPDF_FALSE else { return nil }
        let count = min(qpdf_oh_get_array_n_items(qpdf, filter), 16)
        let names = (0..<count).compactMap { name(qpdf_oh_get_array_item(qpdf, filter, $0)) }
        return names.count == count ? names : nil
    }

    private static func filterDescription(_ filters: [String]?, _ predicted: Bool) -> String {
        guard let filters else { return "a /Filter that is not a name" }
        return filters.joined(separator: " then ") + (predicted ? " with a predictor" : "")
    }

    /// The file specification's name: `/UF` (Unicode) or `/F`.
    private static func fileName(_ qpdf: qpdf_data, _ specification: qpdf_oh) -> String {
        for key in ["/UF", "/F"] {
            let value = qpdf_oh_get_key(qpdf, specification, key)
            if qpdf_oh_is_string(qpdf, value) != QPDF_FALSE, let text = qpdf_oh_get_utf8_value(qpdf, value) {
                return String(cString: text)
            }
        }
        return ""
    }

    private static func errorText(_ qpdf: qpdf_data) -> String {
        guard qpdf_has_error(qpdf) != QPDF_FALSE, let error = qpdf_get_error(qpdf),
              let text = qpdf_get_error_full_text(qpdf, error) else { return "unknown qpdf error" }
        return String(cString: text)
    }

    /// Collects the file specifications of a name tree, visiting each indirect node once.
    private struct Walker {
        let qpdf: qpdf_data
        var specifications: [qpdf_oh] = []
        var visited: Set<String> = []

        init(qpdf: qpdf_data) { self.qpdf = qpdf }

        mutating func collectNameTree(_ node: qpdf_oh, depth: Int) {
            guard depth < PDFAttachmentExtractor.maxDepth, qpdf_oh_is_dictionary(qpdf, node) != QPDF_FALSE else { return }
            if qpdf_oh_is_indirect(qpdf, node) != QPDF_FALSE {
                let key = "\(qpdf_oh_get_object_id(qpdf, node)) \(qpdf_oh_get_generation(qpdf, node))"
                guard visited.insert(key).inserted else { return }
            }
            let names = qpdf_oh_get_key(qpdf, node, "/Names")
            if qpdf_oh_is_array(qpdf, names) != QPDF_FALSE {
                let count = min(qpdf_oh_get_array_n_items(qpdf, names), 10_000)
                // Pairs of (name, file specification).
                for index in stride(from: 1, to: count, by: 2) {
                    specifications.append(qpdf_oh_get_array_item(qpdf, names, index))
                }
            }
            let kids = qpdf_oh_get_key(qpdf, node, "/Kids")
            if qpdf_oh_is_array(qpdf, kids) != QPDF_FALSE {
                for index in 0..<min(qpdf_oh_get_array_n_items(qpdf, kids), 10_000) {
                    collectNameTree(qpdf_oh_get_array_item(qpdf, kids, index), depth: depth + 1)
                }
            }
        }
    }
}
