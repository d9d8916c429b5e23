import Foundation

// The entry point stays thin: everything lives in HubCommand.
exit(HubCommand.run(Array(CommandLine.arguments.dropFirst())))
