import Foundation
import Testing
import TrainKitCore
@testable import TrainKitData

/// Every dataset in the shared datasets folder loads with the row and column counts of its SOURCE.md.
@Suite(.enabled(if: TestFiles.haveDatasets))
struct SharedDatasetsTests {
    let root = TestFiles.datasets

    static let adultColumns = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
                               "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
                               "hours-per-week", "native-country", "income"]

    /// The documented options for the UCI Adult files.
    static func adultOptions(test: Bool) -> CSVOptions {
        var options = CSVOptions(hasHeader: false, trimWhitespace: true)
        options.columnNames = adultColumns
        if test {
            options.skipLines = 1
            options.suffixesToStrip = ["income": "."]
        }
        return options
    }

    private func rowsWithMissing(_ table: DataTable) -> Int {
        (0..<table.rowCount).filter { r in table.columns.contains { $0.rows([r]).missingCount > 0 } }.count
    }

    @Test func adult() throws {
        let train = try CSVReader(options: Self.adultOptions(test: false)).read(root + "/adult/adult.data")
        let test = try CSVReader(options: Self.adultOptions(test: true)).read(root + "/adult/adult.test")
        #expect((train.rowCount, train.columnCount) == (32_561, 15))
        #expect((test.rowCount, test.columnCount) == (16_281, 15))
        let trainIncome = try train.column("income").asStrings()
        let testIncome = try test.column("income").asStrings()
        #expect(trainIncome.filter { $0 == "<=50K" }.count == 24_720 && trainIncome.filter { $0 == ">50K" }.count == 7_841)
        #expect(testIncome.filter { $0 == "<=50K" }.count == 12_435 && testIncome.filter { $0 == ">50K" }.count == 3_846)
        #expect(rowsWithMissing(train) == 2_399 && rowsWithMissing(test) == 1_221)
        #expect(train.columns.filter { $0.type == .numeric }.count == 6)

        let encoder = TabularEncoder.fit(try train.dropping(["income"]))
        let trainSet = try CSVDataset(table: train, target: "income", encoder: encoder)
        let testSet = try CSVDataset(table: test, target: "income", classes: trainSet.classes, encoder: encoder)
        #expect(trainSet.classes == ["<=50K", ">50K"])
        #expect(trainSet.tensors.features.shape[1] == encoder.outputNames.count)
        #expect(testSet.tensors.features.shape == [16_281, encoder.outputNames.count])
        #expect(testSet.tensors.labels.toArray(as: Int64.self).filter { $0 == 1 }.count == 3_846)
    }

    @Test func banking77() throws {
        let train = try TextClassificationDataset.csv(file: root + "/banking77/train.csv", textColumn: "text",
                                                      labelColumn: "category")
        let test = try TextClassificationDataset.csv(file: root + "/banking77/test.csv", textColumn: "text",
                                                     labelColumn: "category", classes: train.classes)
        #expect(train.count == 10_003 && test.count == 3_080)
        #expect(train.classes.count == 77)
        #expect(train.texts.filter { $0.contains("\n") }.count == 10)
        #expect(test.texts.filter { $0.contains("\n") }.count == 3)
        let table = try CSVReader().read(root + "/banking77/train.csv")
        #expect((table.rowCount, table.columnCount) == (10_003, 2))
    }

    @Test func bikeSharing() throws {
        let hour = try CSVReader().read(root + "/bike-sharing/hour.csv")
        let day = try CSVReader().read(root + "/bike-sharing/day.csv")
        #expect((hour.rowCount, hour.columnCount) == (17_379, 17))
        #expect((day.rowCount, day.columnCount) == (731, 16))
        let data = try CSVDataset(table: hour, target: "cnt",
                                  features: ["season", "yr", "mnth", "hr", "holiday", "weekday", "workingday",
                                             "weathersit", "temp", "atemp", "hum", "windspeed"])
        #expect(data.tensors.features.shape == [17_379, 12])
        let counts = hour["cnt"]!.numbers!
        #expect(abs(counts.reduce(0, +) / Double(counts.count) - 189.46) < 0.01)
    }

    @Test func mnistFamilies() throws {
        let mnist = try IDXDataset.mnist(directory: root + "/mnist", flatten: true)
        #expect(mnist.train.features.shape == [60_000, 784] && mnist.test.features.shape == [10_000, 784])
    }

    @Test func restaurantConsumer() throws {
        let folder = root + "/restaurant-consumer/"
        let expected: [(String, Int, Int)] = [
            ("rating_final.csv", 1_161, 5), ("userprofile.csv", 138, 19), ("usercuisine.csv", 330, 2),
            ("userpayment.csv", 177, 2), ("geoplaces2.csv", 130, 21), ("chefmozaccepts.csv", 1_314, 2),
            ("chefmozcuisine.csv", 916, 2), ("chefmozhours4.csv", 2_339, 3), ("chefmozparking.csv", 702, 2),
        ]
        for (file, rows, columns) in expected {
            let table = try CSVReader().read(folder + file)
            #expect((table.rowCount, table.columnCount) == (rows, columns), "\(file)")
        }
        let places = try CSVReader().read(folder + "geoplaces2.csv")
        #expect(places["name"]?.strings?.contains { $0?.unicodeScalars.contains { $0.value > 127 } == true } == true,
                "Latin-1 names decode to non-ASCII characters")
        let ratings = try RatingsDataset(file: folder + "rating_final.csv", user: "userID", item: "placeID", rating: "rating")
        #expect(ratings.count == 1_161 && ratings.users.count == 138 && ratings.items.count == 130)
        #expect(ratings.tensors.features.shape == [1_161, 2])
        #expect(Set(ratings.tensors.labels.toArray()) == [0, 1, 2])
        #expect(ratings.users.ids.first == "U1077")
    }

    @Test func smsSpamCollection() throws {
        let sms = try TextClassificationDataset.tabSeparated(file: root + "/sms-spam-collection/SMSSpamCollection")
        #expect(sms.count == 5_574)
        #expect(sms.classes == ["ham", "spam"])
        #expect(sms.labels.filter { $0 == 0 }.count == 4_827 && sms.labels.filter { $0 == 1 }.count == 747)
    }

    @Test func wineQuality() throws {
        let options = CSVOptions(delimiter: ";")
        let red = try CSVReader(options: options).read(root + "/wine-quality/winequality-red.csv")
        let white = try CSVReader(options: options).read(root + "/wine-quality/winequality-white.csv")
        #expect((red.rowCount, red.columnCount) == (1_599, 12))
        #expect((white.rowCount, white.columnCount) == (4_898, 12))
        #expect(red.columnNames.first == "fixed acidity" && red.columnNames.last == "quality")
        let redSet = try CSVDataset(table: red, target: "quality", targetKind: .classification)
        #expect(redSet.classes == ["3", "4", "5", "6", "7", "8"])
        let counts = (0..<6).map { c in redSet.tensors.labels.toArray(as: Int64.self).filter { $0 == c }.count }
        #expect(counts == [10, 53, 681, 638, 199, 18])
        let both = ConcatenatedDataset([try CSVDataset(table: red, target: "quality"), try CSVDataset(table: white, target: "quality")])
        #expect(both.count == 6_497)
    }
}
