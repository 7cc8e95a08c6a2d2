import TrainKitCore

/// Lloyd's iterations with the two passes over the data on its device, in the data's dtype (scikit-learn's
/// `_kmeans_single_lloyd` computes in `X`'s dtype too): per iteration
///
///     labels  = argmin_c (‖c‖² − 2 X·Cᵀ)            X [n, d], C [k, d]   (‖x‖² does not change the argmin)
///     sums    = index_add(zeros [k, d], labels, X)   [k, d]  (row i of X added to row labels[i])
///     counts  = rows per label                       [k]
///     C'      = sums / counts                        (empty clusters: ``KMeansLloyd/updateCenters`` on the host)
///
/// The stopping rules are ``KMeansLloyd``'s: labels unchanged (strict convergence), or a centre shift
/// `Σ‖C' − C‖²` within the tolerance. The inertia of the result is summed on the host in float64.
enum KMeansLloydProducts {
    /// The nearest centre of every row of `data` (int64 `[n]`, first of ties).
    static func nearest(_ data: Tensor, centers: [Double], k: Int) -> Tensor {
        let d = data.shape[1]
        let c = Tensor.fromHost(centers, shape: [k, d], dtype: data.dtype, device: data.device)
        let norms = (0..<k).map { j in (0..<d).reduce(0.0) { $0 + centers[j * d + $1] * centers[j * d + $1] } }
        let cNorms = Tensor.fromHost(norms, shape: [1, k], dtype: data.dtype, device: data.device)
        return noGrad { (cNorms - 2 * data.mm(c.T)).argmin(1) }
    }

    static func run(_ x: DataMatrix, centers start: [Double], k: Int, maxIter: Int, tolerance: Double) -> KMeansRun {
        let data = x.source
        var centers = start
        var labels: [Int] = []
        var previous: [Int] = []
        var strict = false
        var iterations = 0
        for i in 0..<maxIter {
            let assigned = nearest(data, centers: centers, k: k)
            labels = assigned.toArray(as: Int64.self).map { Int($0) }
            let updated = means(data, x, labels: assigned, hostLabels: labels, old: centers, k: k)
            let moved = KMeansLloyd.shift(updated, centers)
            centers = updated
            iterations = i + 1
            if labels == previous { strict = true; break }
            if moved <= tolerance { break }
            previous = labels
        }
        if !strict { labels = nearest(data, centers: centers, k: k).toArray(as: Int64.self).map { Int($0) } }
        return KMeansRun(centers: centers, labels: labels,
                         inertia: KMeansLloyd.inertia(x, centers: centers, labels: labels), nIter: iterations)
    }

    /// Means of the assigned rows through one index-add; an empty cluster falls back to the host update, which
    /// relocates it as scikit-learn does.
    static func means(_ data: Tensor, _ x: DataMatrix, labels: Tensor, hostLabels: [Int], old: [Double], k: Int) -> [Double] {
        // Row sums by index-add (one pass over X; a one-hot product would multiply k times as many zeros).
        let sums = noGrad { Tensor.indexAdd(data, into: [k, x.cols], dim: 0, index: labels) }.toArray(as: Double.self)
        var counts = [Double](repeating: 0, count: k)
        for c in hostLabels { counts[c] += 1 }
        if counts.contains(0) { return KMeansLloyd.updateCenters(x, old: old, labels: hostLabels, k: k) }
        let d = x.cols
        var out = sums
        for c in 0..<k {
            let inverse = 1 / counts[c]
            for j in 0..<d { out[c * d + j] *= inverse }
        }
        return out
    }
}
