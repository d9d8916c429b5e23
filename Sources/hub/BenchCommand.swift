enum BenchCommand { static func run(_ words: [String]) throws -> Int32 { 0 } }
