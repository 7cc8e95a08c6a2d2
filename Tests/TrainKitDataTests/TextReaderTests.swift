import Foundation
import Testing
@testable import TrainKitData

@Test func tabSeparatedTextSplitsAtTheFirstTab() throws {
    let path = TestFiles.write("ham\tHi \"you\"\tthere\r\nspam\tWIN now\n\nham\tok\n", name: "sms.tsv")
    let data = try TextClassificationDataset.tabSeparated(file: path)
    #expect(data.count == 3)
    #expect(data.classes == ["ham", "spam"])
    #expect(data[0] == TextExample(text: "Hi \"you\"\tthere", label: 0))
    #expect(data.labels == [0, 1, 0])
    let reversed = try TextClassificationDataset.tabSeparated(file: path, labelFirst: false, classes: nil)
    #expect(reversed.texts.first == "ham")
}

@Test func lineWithoutTabIsAnErrorOrSkipped() throws {
    let path = TestFiles.write("ham\tfine\nno tab here\nspam\tgood\n", name: "bad.tsv")
    #expect(thrownMessage { _ = try TextClassificationDataset.tabSeparated(file: path) }
        == "\(path):2:1: no TAB between the label and the text")
    let skipped = try TextClassificationDataset.tabSeparated(file: path, badRows: .skip)
    #expect(skipped.count == 2 && skipped.skippedRowCount == 1)
    #expect(skipped.skippedRowReasons.first?.description.contains(":2:1:") == true)
}

@Test func csvTextClassificationKeepsQuotedLineBreaks() throws {
    let path = TestFiles.write("text,category\r\n\"two\nlines, really\",b\r\nplain,a\r\n", name: "intents.csv")
    let data = try TextClassificationDataset.csv(file: path, textColumn: "text", labelColumn: "category")
    #expect(data.texts == ["two\nlines, really", "plain"])
    #expect(data.labels == [1, 0])
}

@Test func ratingsMapIDsToDenseIndices() throws {
    let path = TestFiles.write("user,item,rating,time\nU9,135,4,100\nU2,7,3.5,101\nU9,7,5,102\n", name: "ratings.csv")
    let ratings = try RatingsDataset(file: path, user: "user", item: "item", rating: "rating", timestamp: "time")
    #expect(ratings.count == 3)
    #expect(ratings.users.ids == ["U9", "U2"] && ratings.items.ids == ["135", "7"])
    #expect(ratings.tensors.features.toArray(as: Int64.self) == [0, 0, 1, 1, 0, 1])
    #expect(ratings.tensors.labels.toArray() == [4, 3.5, 5])
    #expect(ratings.timestamps == [100, 101, 102])
    let json = try JSONEncoder().encode(ratings.users)
    #expect(try JSONDecoder().decode(IDMap.self, from: json) == ratings.users)
    let other = TestFiles.write("user,item,rating\nU2,135,1\nU5,7,2\n", name: "more.csv")
    let strict = thrownMessage {
        _ = try RatingsDataset(file: other, user: "user", item: "item", rating: "rating",
                               users: ratings.users, items: ratings.items, unknownIDs: .fail)
    }
    #expect(strict?.contains("unknown user id \"U5\" in data row 2") == true)
    let grown = try RatingsDataset(file: other, user: "user", item: "item", rating: "rating",
                                   users: ratings.users, items: ratings.items)
    #expect(grown.tensors.features.toArray(as: Int64.self) == [1, 0, 2, 1])
}
