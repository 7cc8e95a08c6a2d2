/// TrainKit's version, as `trainkit --version` prints it and tracking tags record it.
public enum TrainKitVersion {
    public static let current = "0.1.0"
}
