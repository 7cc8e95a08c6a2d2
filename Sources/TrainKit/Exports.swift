// `import TrainKit` brings in the whole API.
@_exported import TrainKitCore
@_exported import TrainKitData
@_exported import TrainKitIO
@_exported import TrainKitMetrics
@_exported import TrainKitModels
@_exported import TrainKitNN
@_exported import TrainKitOptim
@_exported import TrainKitUnsupervised
@_exported import TrainKitRL
@_exported import TrainKitDistributed
