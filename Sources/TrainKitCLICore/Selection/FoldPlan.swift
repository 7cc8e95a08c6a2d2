import Foundation
import TrainKit

/// The rows of a config's `data.train` that cross-validation splits, and each fold's row plan.
///
/// Every row of `data.train` is held out once per repetition (`data.test` and `test_split` are not used: the
/// held-out folds take the test set's place). A fold's training part is split again as `train` splits its
/// data: `validation_split` of it (stratified when `data.stratify`) is held out for validation (early
/// stopping, `val_` logs), the rest trained on. The preprocessing is fitted on the rows trained on only.
struct FoldPlan {
    /// Rows in `data.train`.
    var count: Int
    /// Class indices per row (classification), for stratified folds.
    var labels: [Int]?
    /// The group of each row (`--group-by COLUMN`), dense ids.
    var groups: [Int]?
    /// The library's folds.
    var splits: [CrossValidationSplit]
    let config: RunConfig

    /// Reads what splitting needs (row count, labels, the group column) and makes the folds.
    /// - Throws: ``ConfigError`` for an unusable setting (stratifying a regression, an unknown group column).
    init(config: RunConfig, folds: Int, stratified: Bool, repeats: Int, groupBy: String?) throws {
        self.config = config
        let rows = try Self.readRows(config, groupBy: groupBy)
        count = rows.count
        labels = rows.labels
        groups = rows.groups.map { CrossValidation.groupIndices($0) }
        if stratified && labels == nil {
            throw ConfigError.usage("--stratified keeps class shares, but this run is a regression (no classes)")
        }
        if stratified && groupBy != nil {
            throw ConfigError.usage("--stratified and --group-by cannot be combined")
        }
        do {
            splits = try CrossValidation.splits(
                count: count, folds: folds, labels: stratified ? labels : nil,
                groups: groups, repeats: repeats, seed: config.seed)
        } catch let error as SelectionError {
            throw ConfigError.usage(error.description)
        }
    }

    /// The row plan of fold `split`: its training part split into train and validation, its held-out part as
    /// the test rows.
    func rows(_ split: CrossValidationSplit) -> SplitPlan {
        let d = config.data
        let inner = SplitPlan(
            count: split.train.count, labels: d.stratify ? labels.map { l in split.train.map { l[$0] } } : nil,
            testFraction: 0, validationFraction: d.validationSplit, seed: config.seed)
        return SplitPlan(
            train: inner.train.map { split.train[$0] }.sorted(),
            validation: inner.validation.map { split.train[$0] }.sorted(), test: split.validation)
    }

    /// The row count, class labels (classification) and group values of `data.train`.
    /// For ratings, `--group-by user` / `item` name the roles: the columns `data.user` / `data.item`.
    static func readRows(_ config: RunConfig, groupBy: String?) throws -> (
        count: Int, labels: [Int]?, groups: [String?]?
    ) {
        let d = config.data
        var groupBy = groupBy
        if d.format == .ratings, groupBy == "user" || groupBy == "item" {
            groupBy = groupBy == "user" ? d.user : d.item
        }
        func numberedTable() throws -> (DataTable, [Int]) {
            let (table, lines) = try TableReadOptions(config: d, file: d.train).readWithLines(d.train)
            if let groupBy { try ColumnCheck.require([groupBy], key: "--group-by", in: table) }
            return (table, lines)
        }
        func table() throws -> DataTable { try numberedTable().0 }
        switch d.format {
        case .csv:
            let (t, lines) = try numberedTable()
            guard let targetName = d.target else { return (t.rowCount, nil, try groupBy.map { try t.column($0).asStrings() }) }
            let target = try t.column(targetName)
            let task = TaskChoice.choose(configured: config.training.task, target: targetName, column: target).task
            var labels: [Int]? = nil
            if task == .classification {
                let values = target.asStrings()
                if let row = values.firstIndex(where: { $0 == nil }) {
                    throw TableRowCheck.missing(t, lines: lines, row: row, column: targetName, what: "target '\(targetName)'")
                }
                labels = try classIndices(
                    values.map { $0! }, classes: nil, source: d.train, column: "target '\(targetName)'", lines: lines
                ).labels
            }
            return (t.rowCount, labels, try groupBy.map { try t.column($0).asStrings() })
        case .ratings:
            let t = try table()
            return (t.rowCount, nil, try groupBy.map { try t.column($0).asStrings() })
        case .text:
            var groups: [String?]? = nil
            if let groupBy {
                guard d.textColumn != nil else {
                    throw ConfigError.usage(
                        "--group-by \(groupBy): text lines have no columns (only CSV text data with data.text_column does)"
                    )
                }
                groups = try table().column(groupBy).asStrings()
            }
            let read = try d.textColumn.map { _ in try TableReadOptions(config: d, file: d.train) }
            let pre = TextPreprocessing(
                tokenizer: d.tokenizer.kind, vocabulary: nil, bpe: nil, lowercase: d.tokenizer.lowercase,
                ngrams: d.tokenizer.ngrams, maxLength: d.tokenizer.maxLength, labelFirst: d.labelFirst,
                textColumn: d.textColumn, labelColumn: d.labelColumn, read: read)
            let all = try TextPipeline.load(pre, file: d.train, classes: nil)
            return (all.texts.count, all.labels, groups)
        case .idx:
            if let groupBy { throw ConfigError.usage("--group-by \(groupBy): IDX images have no columns to group by") }
            let images = try ImagePipeline.load(directory: d.train, prefixes: ["train"])
            return (images.count, images.labels.toArray(as: Int64.self).map { Int($0) }, nil)
        }
    }
}
