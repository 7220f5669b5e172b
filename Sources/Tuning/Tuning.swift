/// Hyperparameters and oracles (see ARCHITECTURE.md).
public enum TuningModule {}
