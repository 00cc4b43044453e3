package dev.verity.sdk.api;

/**
 * The integer program a model's owner registered, which makes the model servable OPTIMISTIC and
 * SAMPLED: the program root, its leaf count (io leaf and op leaves) and the engine's step count. A node
 * checks its local package against it before it serves, watches or audits the model.
 */
public record ProgramView(String root, long leafCount, long stepCount, long registeredAt) {}
