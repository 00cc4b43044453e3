package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.ENCLAVE_1;
import static dev.verity.ledger.TestChain.ENCLAVE_2;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fallback ladder under revocation: governance revokes what enclaves were registered under in
 * the middle of a stream of jobs, and no job is lost, none is paid twice, every one ends settled or
 * refunded, and the jobs that were waiting on a revoked enclave say where they went.
 */
class RevocationTest {
    static final Hash MODEL = modelHash("stream-model");
    static final long STAKE = 2_000 * VRT;
    static final long MAX_FEE = 10 * VRT;

    private TestChain chainWithTwoEnclavesAndOnePlainNode() {
        TestChain chain = new TestChain();
        chain.block(chain.registerModel(ALICE, MODEL, "stream-model", 1_000_000));
        chain.block(chain.registerNode(NODE_1, STAKE, List.of(MODEL), VerificationMode.TEE, VerificationMode.NONE),
                chain.registerNode(NODE_2, STAKE, List.of(MODEL), VerificationMode.TEE),
                chain.registerNode(NODE_3, STAKE, List.of(MODEL), VerificationMode.NONE));
        chain.block(chain.registerEnclave(NODE_1, ENCLAVE_1), chain.registerEnclave(NODE_2, ENCLAVE_2));
        assertThat(chain.node(NODE_1).enclaveKey()).isEqualTo(ENCLAVE_1.publicKey());
        return chain;
    }

    @Test
    void revokingAVendorMidStreamLosesNoJobAndPaysNoneTwice() {
        TestChain chain = chainWithTwoEnclavesAndOnePlainNode();
        List<Hash> jobs = new ArrayList<>();
        Map<Hash, Long> answerAt = new TreeMap<>();
        long revokeAt = chain.height + 6;
        List<Hash> assignedToEnclavesAtRevocation = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            List<SignedTransaction> txs = new ArrayList<>();
            if (round < 12) {
                // Half the TEE jobs may fall back to NONE, half may not; some NONE jobs run beside them.
                txs.add(chain.submitJob(ALICE, MODEL, VerificationMode.TEE, List.of(VerificationMode.NONE), MAX_FEE, 8));
                txs.add(chain.submitJob(BOB, MODEL, VerificationMode.TEE, List.of(), MAX_FEE, 8));
                txs.add(chain.submitJob(ALICE, MODEL, VerificationMode.NONE, List.of(), MAX_FEE, 8));
            }
            if (chain.height + 1 == revokeAt) {
                for (Hash id : jobs) {
                    JobRecord j = chain.job(id);
                    if (j.status() == JobStatus.ASSIGNED && j.mode() == VerificationMode.TEE) {
                        assignedToEnclavesAtRevocation.add(id);
                    }
                }
                txs.add(chain.govern(new GovernanceAction.Revoke(new RevocationTarget.Vendor(TeeType.SEV_SNP),
                        "attestation keys extracted with a memory-bus interposer")));
            }
            // Each node answers its jobs two blocks after assignment, so some are in flight at the revocation.
            // (A result in the revoking block itself would come after the revocation and be refused; the
            // next test shows that, so here nodes hold their answers for that one block.)
            for (Hash id : chain.height + 1 == revokeAt ? List.<Hash>of() : jobs) {
                JobRecord j = chain.job(id);
                if (j.status() == JobStatus.ASSIGNED && chain.height >= j.assignedAt() + 2
                        && answerAt.getOrDefault(id, -1L) != j.assignedAt()) {
                    answerAt.put(id, j.assignedAt());
                    txs.add(chain.postResult(id, ("output of " + id.hex()).getBytes()));
                }
            }
            BlockExecution.Produced p = chain.produce(txs);
            assertThat(p.refused()).as("refused in block %d", chain.height).isEmpty();
            for (SignedTransaction tx : txs) {
                if (tx.payload() instanceof dev.verity.protocol.tx.Payload.SubmitJob) {
                    jobs.add(tx.hash());
                }
            }
        }
        chain.emptyBlocks(chain.params().maxQueueBlocks() + 2);

        assertThat(assignedToEnclavesAtRevocation).as("TEE jobs in flight when the vendor was revoked").isNotEmpty();
        assertThat(chain.events(EventType.ENCLAVE_REVOKED)).hasSize(2);
        assertThat(chain.node(NODE_1).enclaveKey()).isNull();
        assertThat(chain.node(NODE_2).enclaveKey()).isNull();
        for (Hash id : jobs) {
            JobRecord j = chain.job(id);
            assertThat(j.status()).as("job %s", id.hex())
                    .isIn(JobStatus.SETTLED, JobStatus.EXPIRED, JobStatus.CANCELLED);
            int paid = chain.events(EventType.NODE_PAID, id).size();
            int settled = chain.events(EventType.JOB_SETTLED, id).size();
            long refunded = chain.events(EventType.CLIENT_REFUNDED, id).stream().mapToLong(LedgerEvent::amount).sum();
            if (j.status() == JobStatus.SETTLED) {
                assertThat(paid).as("node payments of settled job %s", id.hex()).isEqualTo(1);
                assertThat(settled).isEqualTo(1);
                assertThat(refunded).isEqualTo(j.maxFee() - j.fee());
            } else {
                assertThat(paid).as("node payments of unsettled job %s", id.hex()).isZero();
                assertThat(refunded).as("refund of job %s", id.hex()).isEqualTo(j.maxFee());
            }
        }
        for (Hash id : assignedToEnclavesAtRevocation) {
            JobRecord j = chain.job(id);
            if (j.fallbackModes().isEmpty() && chain.events(EventType.JOB_MOVED, id).isEmpty()) {
                assertThat(j.status()).as("TEE-only job %s", id.hex()).isEqualTo(JobStatus.CANCELLED);
                assertThat(chain.events(EventType.JOB_CANCELLED, id)).singleElement()
                        .satisfies(e -> assertThat(e.reason()).contains("vendor SEV_SNP revoked"));
            } else {
                assertThat(chain.events(EventType.JOB_MOVED, id)).singleElement()
                        .satisfies(e -> assertThat(e.reason()).contains("moved from TEE to NONE", "vendor SEV_SNP revoked"));
                assertThat(j.status()).isEqualTo(JobStatus.SETTLED);
                assertThat(j.mode()).isEqualTo(VerificationMode.NONE);
            }
        }
        assertThat(chain.events(EventType.JOB_MOVED)).isNotEmpty();
        assertThat(chain.events(EventType.JOB_CANCELLED)).isNotEmpty();
        assertThat(chain.events(EventType.NODE_PENALIZED)).as("nobody is penalized for a revocation").isEmpty();
        assertThat(chain.supplyHistory).as("no base unit created or destroyed").containsOnly(chain.supplyHistory.get(0));
    }

    @Test
    void aResultFromTheRevokedEnclaveIsRefusedAfterTheJobMoved() {
        TestChain chain = chainWithTwoEnclavesAndOnePlainNode();
        Hash job = chain.block(chain.submitJob(BOB, MODEL, VerificationMode.TEE, List.of(VerificationMode.NONE), MAX_FEE, 8))
                .block().transactions().get(0).hash();
        PrivateKey node = TestChain.privateKeyOf(chain.assignedNode(job));
        PrivateKey enclave = TestChain.privateKeyOf(chain.node(node).enclaveKey());
        JobRecord teeJob = chain.job(job);
        chain.block(chain.govern(new GovernanceAction.Revoke(new RevocationTarget.Vendor(TeeType.SEV_SNP), "broken")));
        assertThat(chain.job(job).mode()).isEqualTo(VerificationMode.NONE);
        byte[] output = "late".getBytes();
        var late = chain.produce(List.of(chain.resultFrom(node, job, output,
                TestChain.teeEvidence(enclave, teeJob, output).bytes())));
        if (!chain.job(job).status().equals(JobStatus.SETTLED)) {
            assertThat(late.refused()).singleElement();
        } else {
            // The same node was drawn again under NONE: then the answer settles once, as a NONE job.
            assertThat(chain.events(EventType.NODE_PAID, job)).hasSize(1);
        }
    }

    @Test
    void raisingTheMinimumTcbDropsOnlyEnclavesBelowIt() {
        TestChain chain = chainWithTwoEnclavesAndOnePlainNode();
        TcbVersion current = chain.enclave(ENCLAVE_1).tcb();
        List<Integer> higher = new ArrayList<>(current.components());
        higher.set(higher.size() - 1, higher.get(higher.size() - 1) + 1);
        chain.block(chain.govern(new GovernanceAction.SetMinimumTcb(TeeType.SEV_SNP, current, "same level")));
        assertThat(chain.events(EventType.ENCLAVE_REVOKED)).isEmpty();
        chain.block(chain.govern(new GovernanceAction.SetMinimumTcb(TeeType.SEV_SNP, new TcbVersion(higher),
                "microcode fix for a disclosed attack")));
        assertThat(chain.events(EventType.ENCLAVE_REVOKED)).hasSize(2)
                .allSatisfy(e -> assertThat(e.reason()).contains("TCB below", "microcode fix"));
        var refused = chain.produce(List.of(chain.registerEnclave(NODE_1, TestChain.key("enclave-again"))));
        assertThat(refused.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason().getMessage()).contains("below the chain's minimum"));
    }

    @Test
    void revokingAChipOrAMeasurementDropsOnlyThoseEnclaves() {
        TestChain chain = chainWithTwoEnclavesAndOnePlainNode();
        byte[] chip = chain.enclave(ENCLAVE_1).chipId();
        chain.block(chain.govern(new GovernanceAction.Revoke(new RevocationTarget.Chip(TeeType.SEV_SNP, chip), "chip key leaked")));
        // Both test enclaves run on the same development chip.
        assertThat(chain.events(EventType.ENCLAVE_REVOKED)).hasSize(2);
        var refused = chain.produce(List.of(chain.registerEnclave(NODE_1, TestChain.key("enclave-new"))));
        assertThat(refused.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason().getMessage()).contains("is revoked since height", "chip key leaked"));
        chain.block(chain.govern(new GovernanceAction.Reinstate(new RevocationTarget.Chip(TeeType.SEV_SNP, chip))));
        chain.block(chain.registerEnclave(NODE_1, TestChain.key("enclave-reinstated")));
        chain.block(chain.govern(new GovernanceAction.Revoke(
                new RevocationTarget.MeasurementTarget(TeeType.SEV_SNP, TestChain.MEASUREMENT), "backdoored build")));
        assertThat(chain.node(NODE_1).enclaveKey()).isNull();
        var again = chain.produce(List.of(chain.registerEnclave(NODE_1, TestChain.key("enclave-after-measurement"))));
        assertThat(again.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason().getMessage()).contains("not an approved build"));
    }
}
