import Foundation
import HubCommandLine

// `hub-bench` (also run as `hub bench`): measures the hub beside its baselines; see BenchCommand.
do {
    exit(try BenchCommand.run(Array(CommandLine.arguments.dropFirst())))
} catch let error as UsageError {
    Output.error("hub bench: \(error)")
    exit(2)
} catch {
    Output.error("hub bench: \(error)")
    exit(2)
}
