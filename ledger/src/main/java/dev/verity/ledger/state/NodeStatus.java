package dev.verity.ledger.state;

public enum NodeStatus {
    ACTIVE,
    JAILED
}
