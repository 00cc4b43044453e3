package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.evidence.TeeBatchStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many jobs in one client transaction, many TEE results under one enclave signature: each job still stands alone. */
class BatchTransactionsTest {
    private static final Hash MODEL = TestChain.modelHash("batch");
    private static final PrivateKey ENCLAVE = PrivateKey.deterministic("batch enclave");

    private final TestChain chain = new TestChain();

    private List<Hash> submitBatch(int n) {
        chain.block(chain.registerModel(ALICE, MODEL, "batch", 1_000_000),
                chain.registerNode(NODE_1, 1_000 * VRT, 64, List.of(MODEL), VerificationMode.TEE));
        chain.block(chain.registerEnclave(NODE_1, ENCLAVE));
        List<Payload.SubmitJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(new Payload.SubmitJob(MODEL, Bytes.utf8("input " + i), VerificationMode.TEE, List.of(), VRT, 10));
        }
        SignedTransaction tx = chain.sign(ALICE, new Payload.SubmitJobs(jobs));
        chain.block(tx);
        List<Hash> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Payload.SubmitJobs.jobId(tx.hash(), i));
        }
        return ids;
    }

    private Payload.SubmitResults results(List<Hash> ids, PrivateKey signer) {
        List<Payload.SubmitResult> results = new ArrayList<>();
        List<TeeResultStatement> statements = new ArrayList<>();
        for (Hash id : ids) {
            byte[] output = Bytes.utf8("output of " + id.hex());
            JobRecord j = chain.job(id);
            results.add(new Payload.SubmitResult(id, output, new byte[0]));
            statements.add(new TeeResultStatement(id, j.model(), j.inputHash(), Sha256.digest(output)));
        }
        return new Payload.SubmitResults(results, signer.sign(TeeBatchStatement.of(statements).signingBytes()).bytes());
    }

    @Test
    void eachJobOfABatchIsEscrowedAssignedAndSettledOnItsOwn() {
        long before = chain.balance(ALICE);
        List<Hash> ids = submitBatch(5);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(chain.job(id).status()).isEqualTo(JobStatus.ASSIGNED));
        assertThat(chain.balance(ALICE)).isEqualTo(before - 5 * VRT);
        chain.block(chain.sign(NODE_1, results(ids, ENCLAVE)));
        assertThat(ids).allSatisfy(id -> assertThat(chain.job(id).status()).isEqualTo(JobStatus.SETTLED));
        long fees = ids.stream().mapToLong(id -> chain.job(id).fee()).sum();
        assertThat(chain.balance(ALICE)).as("each job refunds its own unused escrow").isEqualTo(before - fees);
        assertThat(chain.output(ids.get(2))).isEqualTo(Bytes.utf8("output of " + ids.get(2).hex()));
    }

    @Test
    void aBatchSignedByAnotherKeyOrRepeatingAJobIsRefusedWhole() {
        List<Hash> ids = submitBatch(3);
        var wrongKey = chain.produce(List.of(chain.sign(NODE_1, results(ids, PrivateKey.deterministic("not the enclave")))));
        assertThat(wrongKey.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason().code()).isEqualTo(RejectCode.INVALID_EVIDENCE);
            assertThat(r.reason().getMessage()).contains("root of this batch's 3 TEE result statements");
        });
        assertThat(ids).allSatisfy(id -> assertThat(chain.job(id).status()).isEqualTo(JobStatus.ASSIGNED));

        chain.forgetPendingNonces();
        List<Hash> twice = List.of(ids.get(0), ids.get(1), ids.get(0));
        BlockExecution.Produced repeated = chain.produce(List.of(chain.sign(NODE_1, results(twice, ENCLAVE))));
        assertThat(repeated.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason().code()).isEqualTo(RejectCode.MALFORMED);
            assertThat(r.reason().getMessage()).contains("result 2 of the batch repeats job");
        });

        chain.forgetPendingNonces();
        Payload.SubmitResults honest = results(ids, ENCLAVE);
        Payload.SubmitResult first = honest.results().getFirst();
        List<Payload.SubmitResult> withOwnEvidence = new ArrayList<>(honest.results());
        withOwnEvidence.set(0, new Payload.SubmitResult(first.jobId(), first.output(), new byte[64]));
        BlockExecution.Produced own = chain.produce(List.of(chain.sign(NODE_1,
                new Payload.SubmitResults(withOwnEvidence, honest.teeBatchSignature()))));
        assertThat(own.refused()).singleElement().satisfies(r -> assertThat(r.reason().getMessage())
                .contains("result 0 of the batch").contains("carries no evidence of its own"));
        assertThat(ids).allSatisfy(id -> assertThat(chain.job(id).status()).isEqualTo(JobStatus.ASSIGNED));
    }
}
