import Foundation

// The entry point stays thin: everything lives in HubCommandLine.
exit(HubCommandLine.run(Array(CommandLine.arguments.dropFirst())))
