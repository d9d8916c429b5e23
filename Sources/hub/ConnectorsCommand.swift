import HubCommandLine
import HubCore
import HubRuntime
import HubServices

/// `hub connectors`: lists the compiled-in connectors with their summaries.
enum ConnectorsCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions([])
        var rows = [["CONNECTOR", "SUMMARY"]]
        for type in ConnectorCatalog.compiledIn.types { rows.append([type.id, type.summary]) }
        Output.line(TextTable.render(rows))
        return 0
    }
}
