/// Elkan's k-means (scikit-learn's `_kmeans_single_elkan`): Lloyd's iteration with an upper bound
/// `u_i ≥ ‖x_i - c_{a(i)}‖` and lower bounds `l_ij ≤ ‖x_i - c_j‖`, so a distance is computed only when
/// `u_i > l_ij` and `u_i > ½‖c_{a(i)} - c_j‖`; points with `u_i ≤ ½ min_{j≠a} ‖c_a - c_j‖` are skipped
/// outright. After each centre update the bounds move by the centre shifts `p_j`: `u_i += p_{a(i)}`,
/// `l_ij = max(l_ij - p_j, 0)`. The assignments equal Lloyd's; the stopping rules are the same.
enum KMeansElkan {
    static func distance(_ x: DataMatrix, _ i: Int, _ centers: [Double], _ c: Int) -> Double {
        x.squaredDistance(row: i, centers, c).squareRoot()
    }

    static func run(_ x: DataMatrix, centers start: [Double], k: Int, maxIter: Int, tolerance: Double) -> KMeansRun {
        let (n, d) = (x.rows, x.cols)
        var centers = start
        // Exact initial bounds and labels.
        var lower = [Double](repeating: 0, count: n * k)
        var upper = [Double](repeating: 0, count: n)
        var labels = [Int](repeating: 0, count: n)
        for i in 0..<n {
            var best = 0, bestDistance = Double.infinity
            for c in 0..<k {
                let dist = distance(x, i, centers, c)
                lower[i * k + c] = dist
                if dist < bestDistance { best = c; bestDistance = dist }
            }
            labels[i] = best
            upper[i] = bestDistance
        }
        var previous = [Int](repeating: -1, count: n)
        var strict = false
        var iterations = 0

        func assignWithBounds() {
            var half = [Double](repeating: 0, count: k * k)
            var nearest = [Double](repeating: .infinity, count: k)
            for a in 0..<k {
                for b in 0..<k where b != a {
                    var s = 0.0
                    for j in 0..<d { let t = centers[a * d + j] - centers[b * d + j]; s += t * t }
                    half[a * k + b] = 0.5 * s.squareRoot()
                    nearest[a] = min(nearest[a], half[a * k + b])
                }
            }
            for i in 0..<n {
                var a = labels[i]
                if upper[i] <= nearest[a] { continue }
                var tight = false
                for c in 0..<k where c != a {
                    if upper[i] > lower[i * k + c] && upper[i] > half[a * k + c] {
                        if !tight {
                            upper[i] = distance(x, i, centers, a)
                            lower[i * k + a] = upper[i]
                            tight = true
                        }
                        if upper[i] > lower[i * k + c] || upper[i] > half[a * k + c] {
                            let dist = distance(x, i, centers, c)
                            lower[i * k + c] = dist
                            if dist < upper[i] {
                                a = c
                                upper[i] = dist
                            }
                        }
                    }
                }
                labels[i] = a
            }
        }

        for i in 0..<maxIter {
            if i > 0 { assignWithBounds() }
            let updated = KMeansLloyd.updateCenters(x, old: centers, labels: labels, k: k)
            let shifts = (0..<k).map { c in
                var s = 0.0
                for j in 0..<d { let t = updated[c * d + j] - centers[c * d + j]; s += t * t }
                return s.squareRoot()
            }
            centers = updated
            for p in 0..<n {
                upper[p] += shifts[labels[p]]
                for c in 0..<k { lower[p * k + c] = max(lower[p * k + c] - shifts[c], 0) }
            }
            iterations = i + 1
            if labels == previous { strict = true; break }
            if shifts.reduce(0, { $0 + $1 * $1 }) <= tolerance { break }
            previous = labels
        }
        if !strict { labels = KMeansLloyd.assign(x, centers: centers, k: k) }
        return KMeansRun(centers: centers, labels: labels, inertia: KMeansLloyd.inertia(x, centers: centers, labels: labels),
                         nIter: iterations)
    }
}
