extension TypedTensor where Scalar: CastableScalar {
    /// This tensor's elements converted to `type` (tf.cast), with the rules of ``CastableScalar``:
    /// `TypedTensor<Double>(40).cast(to: Float.self)` is `TypedTensor<Float>(40)`.
    public func cast<Target: CastableScalar>(to type: Target.Type) -> TypedTensor<Target> {
        TypedTensor<Target>(uncheckedShape: shape, scalars: scalars.map { Target(casting: $0.castSource) })
    }
}

extension Tensor {
    /// A float32 tensor of `typed`'s elements, cast to `Float` (tf.cast(t, tf.float32)): Double rounds
    /// to nearest, integers convert, `true` is 1. This is how other dtypes enter layers and the tape.
    public init<Scalar: CastableScalar>(casting typed: TypedTensor<Scalar>) {
        self.init(uncheckedShape: typed.shape, storage: typed.scalars.map { Float(casting: $0.castSource) })
    }

    /// This tensor's elements cast to `type` (tf.cast): `Tensor([1.9, -1.9]).cast(to: Int32.self)` is `[1, -1]`;
    /// `cast(to: Float.self)` gives the same elements as a `TypedTensor<Float>`.
    public func cast<Target: CastableScalar>(to type: Target.Type) -> TypedTensor<Target> {
        TypedTensor<Target>(uncheckedShape: shape, scalars: scalars.map { Target(casting: .floating(Double($0))) })
    }
}
