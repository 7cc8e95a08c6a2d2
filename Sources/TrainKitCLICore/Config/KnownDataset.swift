/// The datasets the example configs use, with where to get each: a missing data file of one of them gets a
/// message naming its official source (the folders' SOURCE.md files in the shared datasets say more).
struct KnownDataset: Sendable {
    /// The folder the examples expect (`wine-quality`).
    let folder: String
    let name: String
    /// The official source.
    let url: String
    /// The file names in the folder.
    let files: [String]

    static let all: [KnownDataset] = [
        KnownDataset(folder: "adult", name: "Adult (Census Income)", url: "https://archive.ics.uci.edu/dataset/2/adult",
                     files: ["adult.data", "adult.test", "adult.names"]),
        KnownDataset(folder: "banking77", name: "BANKING77",
                     url: "https://github.com/PolyAI-LDN/task-specific-datasets (folder banking_data/)",
                     files: ["train.csv", "test.csv", "categories.json"]),
        KnownDataset(folder: "bike-sharing", name: "Bike Sharing",
                     url: "https://archive.ics.uci.edu/dataset/275/bike+sharing+dataset", files: ["hour.csv", "day.csv"]),
        KnownDataset(folder: "fashion-mnist", name: "Fashion-MNIST",
                     url: "https://github.com/zalandoresearch/fashion-mnist", files: []),
        KnownDataset(folder: "mnist", name: "MNIST", url: "https://yann.lecun.com/exdb/mnist/", files: []),
        KnownDataset(folder: "restaurant-consumer", name: "Restaurant & consumer",
                     url: "https://archive.ics.uci.edu/dataset/232/restaurant+consumer+data", files: ["rating_final.csv"]),
        KnownDataset(folder: "sms-spam-collection", name: "SMS Spam Collection",
                     url: "https://archive.ics.uci.edu/dataset/228/sms+spam+collection", files: ["SMSSpamCollection"]),
        KnownDataset(folder: "wine-quality", name: "Wine Quality",
                     url: "https://archive.ics.uci.edu/dataset/186/wine+quality",
                     files: ["winequality-red.csv", "winequality-white.csv"]),
    ]

    /// The dataset a path names by its folder (`…/adult/adult.data`) or, failing that, its file name.
    static func matching(_ path: String) -> KnownDataset? {
        let components = path.split(separator: "/").map(String.init)
        if let byFolder = all.first(where: { components.dropLast().contains($0.folder) }) { return byFolder }
        guard let file = components.last else { return nil }
        return all.first { $0.files.contains(file) && !["train.csv", "test.csv"].contains(file) }
    }
}
