import TrainKitCLICore

TrainKitCLI.main()
