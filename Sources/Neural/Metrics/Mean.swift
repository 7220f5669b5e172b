extension Metrics {
    /// Keras's `Mean`: the (weighted) mean of the values it is given, batch after batch.
    ///
    /// Values of rank above 1 are first averaged per sample over their trailing axes; each sample then
    /// counts once (or by its weight): `total += sum(values * weights)`, `count += sum(weights)` (the
    /// batch size without weights), `result = total / count` (0 while `count` is 0).
    ///
    /// ```swift
    /// let mean = Metrics.Mean()
    /// mean(Tensor([1, 3, 5, 7]))                                        // 4
    /// mean.reset()
    /// mean(Tensor([1, 3, 5, 7]), sampleWeight: Tensor([1, 1, 0, 0]))   // 2
    /// ```
    open class Mean: Metric {
        /// `"Mean"`, Keras's class name.
        open override class var typeName: String { "Mean" }

        /// The weighted sum of the per-sample values so far.
        public let total = Metric.stateVariable(named: "total")
        /// The number (or total weight) of samples so far.
        public let count = Metric.stateVariable(named: "count")

        /// Creates the metric, named `"mean"` by default.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Accumulates `values`, optionally weighted (Keras's `update_state(values, sample_weight)`).
        /// Traps when the weights do not broadcast against the values.
        public final func update(values: Tensor, sampleWeight: Tensor? = nil) {
            withoutRecording { accumulate(values: values, sampleWeight: sampleWeight) }
        }

        /// Accumulates `values` and returns the mean so far (Keras's `mean(values)`).
        @discardableResult
        public final func callAsFunction(_ values: Tensor, sampleWeight: Tensor? = nil) -> Float {
            update(values: values, sampleWeight: sampleWeight)
            return result()
        }

        /// Accumulates per-sample `values` the way ``update(values:sampleWeight:)`` does, without pausing
        /// the tapes (for subclasses, whose update already runs with them paused).
        public final func accumulate(values: Tensor, sampleWeight: Tensor?) {
            let (total, count) = Metrics.samplewiseTotals(values, sampleWeight: sampleWeight, averaging: true)
            accumulate(total: total, count: count)
        }

        /// Adds to the running total and count directly (for subclasses with fused updates).
        public final func accumulate(total: Float, count: Float) {
            self.total.updateInPlace { $0[0] += total }
            self.count.updateInPlace { $0[0] += count }
        }

        /// A plain `Mean` cannot take targets and predictions, so compiling it as a model's metric is
        /// refused here (its subclasses that compare targets and predictions override this).
        /// - Throws: ``TargetError/Problem/unusableMetric(advice:)`` for a plain `Mean`.
        open override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            guard type(of: self) == Metrics.Mean.self else { return }
            throw TargetError(function: name, problem: .unusableMetric(
                advice: "it averages values it is given; compile a metric that compares targets and predictions, such as mae or accuracy"))
        }

        /// A `Mean` tracks values, not targets and predictions: this traps, pointing to
        /// ``update(values:sampleWeight:)``. Subclasses that compare targets and predictions override it.
        open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            fatalError("\(Self.typeName) '\(name)' averages values: call update(values:sampleWeight:) "
                + "or mean(values), not update(yTrue:yPred:)")
        }

        /// `total / count`, or 0 before any sample (Keras's `divide_no_nan`).
        open override func result() -> Float {
            let count = self.count.value.scalar
            return count == 0 ? 0 : total.value.scalar / count
        }
    }

    /// Keras's `Sum`: the (weighted) sum of every value it is given.
    ///
    /// ```swift
    /// let sum = Metrics.Sum()
    /// sum(Tensor([1, 3, 5, 7]), sampleWeight: Tensor([1, 1, 0, 0]))   // 4
    /// ```
    public final class Sum: Metric {
        /// `"Sum"`, Keras's class name.
        public override class var typeName: String { "Sum" }

        /// The weighted sum so far.
        public let total = Metric.stateVariable(named: "total")

        /// Creates the metric, named `"sum"` by default.
        public override init(name: String? = nil) { super.init(name: name) }

        /// Rebuilds the metric from its `name`. - Throws: ``ConfigurationError``.
        public required init(configuration: Configuration) throws { try super.init(configuration: configuration) }

        /// Adds `values`, optionally weighted. Traps when the weights do not broadcast against them.
        public func update(values: Tensor, sampleWeight: Tensor? = nil) {
            withoutRecording {
                let (total, _) = Metrics.samplewiseTotals(values, sampleWeight: sampleWeight, averaging: false)
                self.total.updateInPlace { $0[0] += total }
            }
        }

        /// Adds `values` and returns the sum so far.
        @discardableResult
        public func callAsFunction(_ values: Tensor, sampleWeight: Tensor? = nil) -> Float {
            update(values: values, sampleWeight: sampleWeight)
            return result()
        }

        /// A `Sum` cannot take targets and predictions, so compiling it as a model's metric is refused.
        /// - Throws: ``TargetError/Problem/unusableMetric(advice:)`` always.
        public override func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {
            throw TargetError(function: name, problem: .unusableMetric(
                advice: "it adds values it is given; compile a metric that compares targets and predictions, such as mae or accuracy"))
        }

        /// A `Sum` tracks values: this traps, pointing to ``update(values:sampleWeight:)``.
        public override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            fatalError("Sum '\(name)' adds values: call update(values:sampleWeight:), not update(yTrue:yPred:)")
        }

        /// The sum so far.
        public override func result() -> Float { total.value.scalar }
    }

    /// Keras's `reduce_to_samplewise_values` followed by the sums `Mean` and `Sum` add to their state:
    /// the total of the weighted per-sample values and the total weight (the batch size without
    /// weights). `averaging` chooses the mean (`Mean`) or the sum (`Sum`) over trailing axes.
    static func samplewiseTotals(_ values: Tensor, sampleWeight: Tensor?, averaging: Bool) -> (total: Float, count: Float) {
        guard let sampleWeight else {
            if values.rank == 0 { return (values.scalar, 1) }
            let batch = values.shape[0]
            let perSample = batch == 0 ? 1 : values.scalarCount / batch
            let sum = values.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + Double($1) } }
            return (Float(averaging ? sum / Double(perSample) : sum), Float(batch))
        }
        var (v, w) = Losses.squeezeOrExpandToSameRank(values, sampleWeight)
        if v.rank == 1 && w.shape == v.shape {
            return v.withUnsafeBufferPointer { pv in
                w.withUnsafeBufferPointer { pw in
                    var total: Double = 0, count: Double = 0
                    for i in 0..<pv.count {
                        total += Double(pv[i]) * Double(pw[i])
                        count += Double(pw[i])
                    }
                    return (Float(total), Float(count))
                }
            }
        }
        let weightRank = w.rank
        if v.rank > weightRank {
            let axes = Array(weightRank..<v.rank)
            v = averaging ? v.mean(alongAxes: axes) : v.sum(alongAxes: axes)
        }
        w = w.broadcast(toShape: v.shape)
        v = v * w
        if weightRank > 1 {
            let axes = Array(1..<weightRank)
            w = averaging ? w.mean(alongAxes: axes) : w.sum(alongAxes: axes)
        }
        if v.rank > 1 {
            let axes = Array(1..<v.rank)
            v = averaging ? v.mean(alongAxes: axes) : v.sum(alongAxes: axes)
        }
        return (v.sum().scalar, w.sum().scalar)
    }
}
