/// Registers the built-in layer and model types, so saved models rebuild them by class name.
func registerBuiltinLayers(in registry: ObjectRegistry) {
    registry.register(Dense.self)
    registry.register(Flatten.self)
    registry.register(Reshape.self)
    registry.register(Concatenate.self)
    registry.register(Add.self)
    registry.register(Dropout.self)
    registry.register(Input.self)
    registry.register(Sequential.self)
}
