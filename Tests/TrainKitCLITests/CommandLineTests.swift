import Foundation
import Testing
@testable import TrainKitCLICore

/// The command line: choices as enums (in --help and completions), checks in `validate()`, the options that
/// every config-reading command shares, and "did you mean" for unknown commands and options.
@Suite struct CommandLineTests {
    @Test func unknownCommandSuggestsTheNearest() {
        let result = trainkit(["trian", "config.yaml"])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("unknown command 'trian'; did you mean 'train'?"), "\(result.diagnostics)")
        let nested = trainkit(["config", "schma"])
        #expect(nested.status == 2)
        #expect(nested.diagnostics.contains("config: unknown command 'schma'; did you mean 'schema'?"), "\(nested.diagnostics)")
        let far = trainkit(["frobnicate"])
        #expect(far.status == 2)
        #expect(far.diagnostics.contains("unknown command 'frobnicate'") && !far.diagnostics.contains("did you mean"))
        #expect(far.diagnostics.contains("commands: train, evaluate"))
    }

    @Test func optionThatNamesAConfigKeyPointsToSet() {
        let result = trainkit(["train", "config.yaml", "--epochs", "5"])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("train: unknown option '--epochs'; 'epochs' is a config key: use --set training.epochs=…"),
                "\(result.diagnostics)")
        let inline = trainkit(["tune", "config.yaml", "--trials", "3", "--batch-size=32"])
        #expect(inline.status == 2)
        #expect(inline.diagnostics.contains("use --set training.batch_size=32"), "\(inline.diagnostics)")
        let typo = trainkit(["cv", "config.yaml", "--fold", "3"])
        #expect(typo.status == 2)
        #expect(typo.diagnostics.contains("cv: unknown option '--fold'; did you mean '--folds'?"), "\(typo.diagnostics)")
        // A command without --set does not point to it.
        let predict = trainkit(["predict", "run", "--data", "x.csv", "--epochs", "3"])
        #expect(predict.status == 2)
        #expect(!predict.diagnostics.contains("--set"), "\(predict.diagnostics)")
        #expect(predict.diagnostics.contains("unknown option '--epochs'"))
    }

    @Test func validCommandLinesGetNoSuggestion() {
        for line in [["train", "c.yaml", "--set", "training.epochs=1", "--data-dir", "d", "--json"],
                     ["tune", "c.yaml", "--trials", "3", "--sampler", "grid", "--prune", "asha", "--grid-points", "2"],
                     ["cv", "c.yaml", "--folds", "3", "--stratified", "--repeats", "2"],
                     ["predict", "run", "--data", "x.csv", "--format", "jsonl", "--output", "p.jsonl"],
                     ["config", "docs", "--update", "docs/config.md"], ["--help"], ["help", "train"]] {
            #expect(ArgumentSuggestions.message(for: line) == nil, "\(line)")
        }
    }

    @Test func choicesAreListedInHelpAndCompletions() {
        // Help wraps to the terminal's width: compare with runs of white space as one space.
        func help(_ command: String) -> String {
            trainkit([command, "--help"]).output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(help("tune").contains("values: grid, random, tpe"), "\(help("tune"))")
        #expect(help("tune").contains("values: none, asha"))
        #expect(help("predict").contains("values: csv, jsonl"))
        let bad = trainkit(["tune", "c.yaml", "--trials", "2", "--sampler", "gird"])
        #expect(bad.status == 2)
        #expect(bad.diagnostics.contains("'grid', 'random' or 'tpe'"), "\(bad.diagnostics)")
        #expect(bad.diagnostics.contains("(did you mean 'grid'?)"), "\(bad.diagnostics)")
        let far = trainkit(["predict", "run", "--data", "x.csv", "--format", "parquet"])
        #expect(far.status == 2 && far.diagnostics.contains("'csv' and 'jsonl'") && !far.diagnostics.contains("did you mean"))
        #expect(trainkit(["tune", "c.yaml", "--trials", "2", "--sampler", "TPE", "--set", "x"]).diagnostics
            .contains("--set x: expected key.path=value"))
        let fish = trainkit(["--generate-completion-script", "fish"])
        #expect(fish.status == 0)
        #expect(fish.output.contains("grid random tpe") && fish.output.contains("csv jsonl"))
        #expect(fish.output.contains("training.optimizer.lr="), "--set completes config keys")
        for shell in ["bash", "zsh"] {
            let script = trainkit(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.output.contains("tune") && script.output.contains("tpe"), "\(shell)")
        }
    }

    @Test func validateRefusesBadCombinationsBeforeRunning() {
        let cases: [([String], String)] = [
            (["cv", "c.yaml", "--folds", "1"], "--folds must be >= 2, got 1"),
            (["cv", "c.yaml", "--repeats", "0"], "--repeats must be >= 1, got 0"),
            (["cv", "c.yaml", "--stratified", "--group-by", "user"], "--stratified and --group-by user cannot be combined"),
            (["tune", "c.yaml", "--trials", "2", "--grid-points", "0"], "--grid-points must be >= 1, got 0"),
            (["tune", "c.yaml", "--trials", "2", "--startup-trials", "-1"], "--startup-trials must be >= 0, got -1"),
            (["train", "c.yaml", "--resume", "run", "--overwrite"], "--resume and --overwrite contradict each other"),
            (["train", "c.yaml", "--set", "training.epochs"], "--set training.epochs: expected key.path=value"),
        ]
        for (line, message) in cases {
            let result = trainkit(line)
            #expect(result.status == 2, "\(line)")
            #expect(result.diagnostics.contains(message), "\(line): \(result.diagnostics)")
            // Refused while parsing: the config file (which does not exist) was never read.
            #expect(!result.diagnostics.contains("cannot read"), "\(line)")
        }
    }

    @Test func configCommandsShareOneOptionGroup() {
        for command in ["train", "cv", "tune"] {
            let help = trainkit([command, "--help"]).output
            #expect(help.contains("--set <key.path=value>"), "\(command)")
            #expect(help.contains("--data-dir <dir>"), "\(command)")
        }
    }
}
