package dev.verity.ledger.evidence;

import dev.verity.core.Hash;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;

/** Everything a verifier may look at: the job, the node that answered, the result and the state. */
public record EvidenceContext(JobRecord job, NodeRecord node, Hash outputHash, byte[] evidence, LedgerState state) {}
