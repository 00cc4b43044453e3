package dev.verity.gateway.backend;

/** How far the ledger has got with a generation job's result when the gateway answers (the ledger's job statuses). */
public enum SettlementStatus {
    /** Verified and paid: {@code NONE} and {@code TEE} results settle as soon as they are posted. */
    SETTLED,
    /** Posted and accepted; an {@code OPTIMISTIC} or {@code SAMPLED} result settles after its challenge window or audit. */
    VERIFYING
}
