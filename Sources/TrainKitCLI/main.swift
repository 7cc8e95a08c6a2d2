import TrainKitCLICore
import TrainKitServe

TrainKitCommand.extraSubcommands = [ServeCommand.self]
TrainKitCLI.main()
