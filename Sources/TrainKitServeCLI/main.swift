import Foundation
import TrainKitCLICore
import TrainKitServe

// `trainkit-serve ARGS` is `trainkit serve ARGS` (which runs this program).
TrainKitCommand.serveCommand = ServeCommand.self
exit(TrainKitCLI.run(arguments: ["serve"] + CommandLine.arguments.dropFirst()))
