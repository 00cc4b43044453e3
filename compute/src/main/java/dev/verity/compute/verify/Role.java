package dev.verity.compute.verify;

/** One verification duty of a node, run by polling the chain. A role's {@link #poll} never runs concurrently with itself. */
interface Role {
    /** A short name for logs and threads. */
    String name();

    /** Looks at the chain once and acts on what needs this node now. */
    void poll();
}
