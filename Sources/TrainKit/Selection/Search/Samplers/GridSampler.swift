/// Grid search: the Cartesian product of every dimension's ``Distribution/gridPoints(_:)``, visited in order
/// (the last path varies fastest, as `itertools.product`), each point once.
///
/// Each trial takes the first point no earlier trial of the study has used, so several workers and processes
/// share one grid; when every point is used the sampler returns nil and the study stops, even if its trial
/// budget is larger. Continuous dimensions get `pointsPerDimension` values; ints get every value when there are
/// that few, choices every choice.
public struct GridSampler: Sampler {
    /// Values per continuous dimension (and the most per int dimension).
    public var pointsPerDimension: Int

    public init(pointsPerDimension: Int = 3) {
        precondition(pointsPerDimension >= 1, "GridSampler: pointsPerDimension must be >= 1, got \(pointsPerDimension)")
        self.pointsPerDimension = pointsPerDimension
    }

    /// Every grid point, in visiting order.
    public func grid(_ space: SearchSpace) -> [[String: ParameterValue]] {
        var points: [[String: ParameterValue]] = [[:]]
        for (path, distribution) in space.dimensions {
            let values = distribution.gridPoints(pointsPerDimension)
            points = points.flatMap { p in values.map { v in p.merging([path: v]) { $1 } } }
        }
        return points
    }

    public func sample(space: SearchSpace, trialNumber: Int, trials: [TrialRecord], direction: SearchDirection)
        -> [String: ParameterValue]?
    {
        grid(space).first { point in !trials.contains { space.same($0.params, point) } }
    }
}
