package dev.verity.modelhub.train;

/** A training set and the held-out test set its models are measured on. */
public record Split(Dataset train, Dataset test) {}
