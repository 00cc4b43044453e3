package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.ENCLAVE_2;
import static dev.verity.ledger.TestChain.ENCLAVE_3;
import static dev.verity.ledger.TestChain.MEASUREMENT;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.NODE_4;
import static dev.verity.ledger.TestChain.PLATFORM;
import static dev.verity.ledger.TestChain.STRANGER;
import static dev.verity.ledger.TestChain.VALIDATOR;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static dev.verity.protocol.VerificationMode.OPTIMISTIC;
import static dev.verity.protocol.VerificationMode.TEE;
import static dev.verity.protocol.VerificationMode.ZK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution.InvalidBlockException;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.JobStatus;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad transaction is refused with its own {@link RejectCode} and a message that says
 * what was wrong, and leaves the state root, every balance and nonce, and the pending events exactly
 * as they were. Bad blocks are refused by {@link BlockExecution#execute}.
 */
class BadInputTest {
    static final Hash MODEL = modelHash("resnet-tiny");
    /** 2,000 base units (rounded up) at the default base price of 7,000 per 10^15. */
    static final long COMPUTE_UNITS = 285_714_285_714_285L;
    static final long STAKE = 2_000 * VRT;
    /** Problems {@link Ledger#decodeAndCheck} must find in a decodable transaction without looking at the state. */
    static final Set<RejectCode> STATELESS = EnumSet.of(RejectCode.WRONG_CHAIN, RejectCode.BAD_SIGNATURE);

    TestChain chain;
    /** A NONE job assigned to NODE_1 and a TEE job assigned to NODE_2, both open; a settled NONE job. */
    Hash noneJob;
    Hash teeJob;
    Hash settledJob;

    @BeforeEach
    void setUp() {
        chain = new TestChain(TestChain.params(Map.of("maxTransactionBytes", 8_192, "maxInputBytes", 512, "basePriceChangeBps", 0L)));
        chain.block(chain.registerModel(ALICE, MODEL, "resnet-tiny", COMPUTE_UNITS));
        chain.block(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE),
                chain.registerNode(NODE_2, STAKE, List.of(MODEL), TEE), chain.registerEnclave(NODE_2, ENCLAVE_2),
                chain.registerNode(NODE_3, STAKE, List.of(MODEL), TEE));
        SignedTransaction none = chain.submitJob(ALICE, MODEL, NONE, 10_000);
        SignedTransaction tee = chain.submitJob(BOB, MODEL, TEE, 10_000);
        SignedTransaction settled = chain.submitJob(CAROL, MODEL, NONE, 10_000);
        chain.block(none, tee, settled);
        noneJob = none.hash();
        teeJob = tee.hash();
        settledJob = settled.hash();
        chain.block(chain.postResult(settledJob, Bytes.utf8("done")));
        assertThat(chain.assignedNode(noneJob)).isEqualTo(NODE_1.publicKey());
        assertThat(chain.assignedNode(teeJob)).isEqualTo(NODE_2.publicKey());
        assertThat(chain.job(settledJob).status()).isEqualTo(JobStatus.SETTLED);
    }

    // ------------------------------------------------------------------------------- helpers

    private record Snapshot(Hash root, Map<PublicKey, Account> accounts, long treasury) {}

    private Snapshot snapshot() {
        return new Snapshot(chain.ledger.state().root(), chain.accounts(), chain.treasury());
    }

    private void assertUnchanged(Snapshot before) {
        assertThat(chain.ledger.state().root()).as("state root").isEqualTo(before.root());
        assertThat(chain.accounts()).as("balances and nonces").isEqualTo(before.accounts());
        assertThat(chain.treasury()).as("treasury").isEqualTo(before.treasury());
        assertThat(chain.ledger.state().drainEvents()).as("events of the refused transaction").isEmpty();
    }

    /**
     * {@code tx} is refused through {@link Ledger#apply} with {@code code} and a message holding every
     * part, and nothing changes. Through {@link Ledger#decodeAndCheck} its bytes are refused the same way
     * when the problem needs no state, and pass otherwise.
     */
    private TransactionRejectedException refused(SignedTransaction tx, RejectCode code, String... messageParts) {
        chain.ledger.state().drainEvents();
        Snapshot before = snapshot();
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tx, chain.nextContext()));
        assertThat(e).as("%s should be refused with %s", tx, code).isNotNull();
        assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).isNotBlank().contains(messageParts);
        assertUnchanged(before);

        TransactionRejectedException stateless = catchThrowableOfType(TransactionRejectedException.class,
                () -> assertThat(chain.ledger.decodeAndCheck(tx.encoded())).isEqualTo(tx));
        if (stateless != null) {
            assertThat(stateless.code()).as("code of: %s", stateless.getMessage()).isEqualTo(code);
            assertThat(stateless.getMessage()).contains(messageParts);
        } else {
            assertThat(STATELESS).as("%s needs no state, so decodeAndCheck must refuse it", code).doesNotContain(code);
        }
        assertUnchanged(before);
        chain.forgetPendingNonces();
        return e;
    }

    private void refusedBytes(byte[] bytes, RejectCode code, String... messageParts) {
        chain.ledger.state().drainEvents();
        Snapshot before = snapshot();
        assertThatThrownBy(() -> chain.ledger.decodeAndCheck(bytes))
                .isInstanceOfSatisfying(TransactionRejectedException.class, e -> {
                    assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
                    assertThat(e.getMessage()).isNotBlank().contains(messageParts);
                });
        assertUnchanged(before);
    }

    /** A tx signed for the next block, for byte surgery. */
    private SignedTransaction aJob() {
        SignedTransaction tx = chain.submitJob(ALICE, MODEL, Bytes.utf8("abc"), NONE, List.of(TEE), 10_000, 5);
        chain.forgetPendingNonces();
        return tx;
    }

    /** Offset of the payload tag: chain id (u32 length + bytes), sender (32), nonce (8). */
    private static int tagOffset() {
        return 4 + Bytes.utf8(TestChain.CHAIN_ID).length + 32 + 8;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    // ------------------------------------------------------------------------------- malformed bytes

    @Test
    void randomBytesAreMalformed() {
        Random random = new Random(20260101);
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[random.nextInt(400)];
            random.nextBytes(b);
            refusedBytes(b, RejectCode.MALFORMED, "malformed transaction");
        }
        refusedBytes(new byte[0], RejectCode.MALFORMED, "truncated");
    }

    @Test
    void everyTruncationOfAValidTransactionIsMalformed() {
        for (SignedTransaction tx : List.of(aJob(), chain.registerModel(BOB, modelHash("m"), "m", 5),
                chain.registerNode(NODE_4, STAKE, List.of(MODEL), NONE, TEE), chain.registerEnclave(NODE_3, ENCLAVE_3),
                chain.postResult(noneJob, Bytes.utf8("out")))) {
            byte[] bytes = tx.encoded();
            assertThat(chain.ledger.decodeAndCheck(bytes)).isEqualTo(tx);
            for (int cut = 0; cut < bytes.length; cut++) {
                refusedBytes(Arrays.copyOf(bytes, cut), RejectCode.MALFORMED, "truncated");
            }
        }
    }

    @Test
    void trailingGarbageIsMalformed() {
        byte[] bytes = aJob().encoded();
        refusedBytes(Bytes.concat(bytes, new byte[] {0}), RejectCode.MALFORMED, "1 unexpected trailing bytes");
        refusedBytes(Bytes.concat(bytes, bytes), RejectCode.MALFORMED, "trailing bytes");
    }

    @Test
    void unknownPayloadTagIsMalformed() {
        byte[] bytes = aJob().encoded();
        assertThat(bytes[tagOffset()]).isEqualTo((byte) 9);
        for (int tag : new int[] {0, 25, 99, 255}) {
            byte[] b = bytes.clone();
            b[tagOffset()] = (byte) tag;
            refusedBytes(b, RejectCode.MALFORMED, "unknown transaction type tag " + tag);
        }
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bytes = aJob().encoded();
        byte[] b = bytes.clone();
        b[4] = (byte) 0xFF; // first byte of the chain id
        refusedBytes(b, RejectCode.MALFORMED, "chain id is not valid UTF-8");

        SignedTransaction model = chain.registerModel(BOB, modelHash("m"), "model-name", 5);
        byte[] m = model.encoded();
        int at = indexOf(m, Bytes.utf8("model-name"));
        m[at + 3] = (byte) 0xC3; // a two-byte sequence start followed by ASCII
        refusedBytes(m, RejectCode.MALFORMED, "model name is not valid UTF-8");
    }

    @Test
    void unknownModeCodeIsMalformed() {
        byte[] bytes = aJob().encoded();
        // tag, model hash (32), input (u32 length + 3 bytes), then the mode byte
        int modeAt = tagOffset() + 1 + 32 + 4 + 3;
        assertThat(bytes[modeAt]).isEqualTo((byte) NONE.ordinal());
        byte[] b = bytes.clone();
        b[modeAt] = 9;
        refusedBytes(b, RejectCode.MALFORMED, "unknown verification mode code 9");
        // the one fallback mode follows its u32 count
        int fallbackAt = modeAt + 1 + 4;
        assertThat(bytes[fallbackAt]).isEqualTo((byte) TEE.ordinal());
        b = bytes.clone();
        b[fallbackAt] = (byte) 200;
        refusedBytes(b, RejectCode.MALFORMED, "unknown verification mode code 200");
    }

    // ------------------------------------------------------------------------------- sizes

    @Test
    void oversizedTransactionIsRefused() {
        assertThat(chain.params().maxTransactionBytes()).isEqualTo(8_192);
        SignedTransaction big = chain.submitJob(ALICE, MODEL, new byte[9_000], NONE, List.of(), 10_000, 5);
        refused(big, RejectCode.OVERSIZED, "more than the limit of 8192");
        refusedBytes(big.encoded(), RejectCode.OVERSIZED, big.size() + " bytes, more than the limit of 8192");
        // too big to even decode
        refusedBytes(new byte[8_193], RejectCode.OVERSIZED, "8193 bytes", "limit of 8192");
    }

    @Test
    void oversizedInputIsRefused() {
        SignedTransaction tx = chain.submitJob(ALICE, MODEL, Bytes.utf8("a".repeat(513)), NONE, List.of(), 10_000, 5);
        assertThat(tx.size()).isLessThan(8_192);
        refused(tx, RejectCode.OVERSIZED, "input is 513 bytes", "limit of 512");
        // exactly at the limit is fine
        chain.ledger.apply(chain.submitJob(ALICE, MODEL, Bytes.utf8("a".repeat(512)), NONE, List.of(), 10_000, 5), chain.nextContext());
    }

    // ------------------------------------------------------------------------------- signatures, chain, nonce

    @Test
    void flippedSignatureBitIsRefused() {
        SignedTransaction tx = chain.transfer(ALICE, BOB, 1);
        byte[] bytes = tx.encoded();
        for (int bit : new int[] {0, 3, 7}) {
            for (int index : new int[] {bytes.length - 64, bytes.length - 33, bytes.length - 1}) {
                byte[] flipped = TestChain.flipBit(bytes, index, bit);
                refused(TransactionCodec.decode(flipped), RejectCode.BAD_SIGNATURE, "signature does not verify",
                        ALICE.publicKey().hex());
            }
        }
        // a flipped bit in the signed body breaks the signature too
        byte[] body = TestChain.flipBit(bytes, bytes.length - 64 - 1, 0);
        refused(TransactionCodec.decode(body), RejectCode.BAD_SIGNATURE, "signature does not verify");
    }

    @Test
    void signatureByAnotherKeyIsRefused() {
        SignedTransaction tx = chain.transfer(ALICE, BOB, 1);
        byte[] bytes = tx.encoded();
        byte[] body = Arrays.copyOf(bytes, bytes.length - 64);
        byte[] bobSignature = BOB.sign(Bytes.concat(Bytes.utf8("verity-tx-v1"), body)).bytes();
        SignedTransaction forged = TransactionCodec.decode(Bytes.concat(body, bobSignature));
        assertThat(forged.body().sender()).isEqualTo(ALICE.publicKey());
        refused(forged, RejectCode.BAD_SIGNATURE, "signature does not verify against the sender key " + ALICE.publicKey().hex());
        assertThatThrownBy(() -> SignedTransaction.sign(tx.body(), BOB)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongChainIdIsRefused() {
        SignedTransaction tx = TestChain.signFor("verity-main", ALICE, chain.ledger.state().account(ALICE.publicKey()).nonce(),
                new Payload.Transfer(BOB.publicKey(), 1));
        refused(tx, RejectCode.WRONG_CHAIN, "'verity-main'", "'verity-test'");
        refused(TestChain.signFor("", ALICE, 0, new Payload.Transfer(BOB.publicKey(), 1)), RejectCode.WRONG_CHAIN, "''");
    }

    @Test
    void replayedNonceIsRefused() {
        SignedTransaction tx = chain.transfer(ALICE, BOB, 7);
        BlockContext ctx = chain.nextContext();
        long bobBefore = chain.balance(BOB);
        chain.ledger.apply(tx, ctx);
        assertThat(chain.balance(BOB)).isEqualTo(bobBefore + 7);
        TransactionRejectedException e = refused(tx, RejectCode.BAD_NONCE, "already used", "replay");
        assertThat(e.getMessage()).contains("nonce " + tx.body().nonce());
        assertThat(chain.balance(BOB)).isEqualTo(bobBefore + 7);

        // replayed in a later block too
        chain.produce(List.of());
        refused(tx, RejectCode.BAD_NONCE, "already used");
        // and a nonce from the future
        long next = chain.ledger.state().account(ALICE.publicKey()).nonce();
        refused(TestChain.signWithNonce(ALICE, next + 1, new Payload.Transfer(BOB.publicKey(), 1)), RejectCode.BAD_NONCE,
                "ahead", "next nonce", Long.toString(next));
    }

    // ------------------------------------------------------------------------------- models, jobs, results

    @Test
    void anInputOfTheWrongSizeForAFixedShapeModelIsRefused() {
        Hash digits = modelHash("fixed-shape digits model");
        InputSchema schema = new InputSchema.Float32Tensor(List.of(64), Float.floatToIntBits(0f), Float.floatToIntBits(1f));
        chain.block(chain.sign(BOB, new Payload.RegisterModel(digits, "digits", "64 float32", "10 float32", 2_368, schema)));
        assertThat(chain.ledger.state().models.get(digits).inputSchema()).isEqualTo(schema);
        refused(chain.submitJob(ALICE, digits, new byte[40], NONE, List.of(), 10_000, 5), RejectCode.INVALID_INPUT,
                "256 bytes", "got 40 bytes");
        chain.ledger.apply(chain.submitJob(ALICE, digits, new byte[256], NONE, List.of(), 10_000, 5), chain.nextContext());
    }

    @Test
    void unknownModelIsRefused() {
        Hash unknown = modelHash("never registered");
        refused(chain.submitJob(ALICE, unknown, NONE, 10_000), RejectCode.UNKNOWN_MODEL, unknown.hex(), "not registered");
        refused(chain.registerNode(NODE_4, STAKE, List.of(unknown), NONE), RejectCode.UNKNOWN_MODEL, unknown.hex());
    }

    @Test
    void unknownJobIsRefused() {
        Hash unknown = Sha256.digest(Bytes.utf8("no such job"));
        refused(chain.resultFrom(NODE_1, unknown, Bytes.utf8("x"), new byte[0]), RejectCode.UNKNOWN_JOB, unknown.hex(),
                "never existed");
    }

    @Test
    void resultFromANodeTheJobIsNotAssignedToIsRefused() {
        refused(chain.resultFrom(NODE_2, noneJob, Bytes.utf8("x"), new byte[0]), RejectCode.NOT_ASSIGNED,
                "assigned to node " + NODE_1.publicKey().hex(), "not to " + NODE_2.publicKey().hex());
        refused(chain.resultFrom(ALICE, noneJob, Bytes.utf8("x"), new byte[0]), RejectCode.NOT_ASSIGNED,
                "not to " + ALICE.publicKey().hex());
        // even with a valid enclave signature from another node's enclave
        byte[] sig = TestChain.teeEvidence(ENCLAVE_2, chain.job(noneJob), Bytes.utf8("x")).bytes();
        refused(chain.resultFrom(NODE_2, noneJob, Bytes.utf8("x"), sig), RejectCode.NOT_ASSIGNED, "not to");
    }

    @Test
    void resultAfterSettlementIsRefused() {
        refused(chain.resultFrom(NODE_1, settledJob, Bytes.utf8("again"), new byte[0]), RejectCode.UNKNOWN_JOB,
                settledJob.hex(), "finished and left the live state");
    }

    @Test
    void maxFeeAboveTheBalanceIsRefused() {
        long balance = chain.balance(ALICE);
        refused(chain.submitJob(ALICE, MODEL, NONE, balance + 1), RejectCode.INSUFFICIENT_FUNDS,
                "needs " + (balance + 1), "balance of " + ALICE.publicKey().hex() + " is " + balance);
        // an account that never received funds
        refused(chain.submitJob(STRANGER, MODEL, NONE, 10_000), RejectCode.INSUFFICIENT_FUNDS, "never received funds");
    }

    @Test
    void maxFeeBelowThePriceIsRefused() {
        long fee = chain.fee(MODEL, NONE);
        assertThat(fee).isEqualTo(2_000);
        refused(chain.submitJob(ALICE, MODEL, NONE, fee - 1), RejectCode.FEE_TOO_LOW, "costs " + fee, "max fee " + (fee - 1));
        long teeFee = chain.fee(MODEL, TEE);
        refused(chain.submitJob(ALICE, MODEL, TEE, List.of(NONE), teeFee - 1, 5), RejectCode.FEE_TOO_LOW, "costs " + teeFee);
    }

    @Test
    void stakeBelowTheMinimumIsRefused() {
        long min = chain.params().minStake();
        refused(chain.registerNode(NODE_4, min - 1, List.of(MODEL), NONE), RejectCode.STAKE_TOO_LOW,
                "at least " + min, "got " + (min - 1));
    }

    @Test
    void invalidEnclaveSignatureOnATeeResultIsRefused() {
        byte[] output = Bytes.utf8("sealed");
        var job = chain.job(teeJob);
        // signed over another output
        byte[] otherOutput = TestChain.teeEvidence(ENCLAVE_2, job, Bytes.utf8("something else")).bytes();
        refused(chain.resultFrom(NODE_2, teeJob, output, otherOutput), RejectCode.INVALID_EVIDENCE,
                "enclave signature does not cover");
        // signed by a key that is not the node's enclave
        byte[] wrongKey = TestChain.teeEvidence(ENCLAVE_3, job, output).bytes();
        refused(chain.resultFrom(NODE_2, teeJob, output, wrongKey), RejectCode.INVALID_EVIDENCE, "does not cover");
        // one bit flipped
        byte[] good = TestChain.teeEvidence(ENCLAVE_2, job, output).bytes();
        refused(chain.resultFrom(NODE_2, teeJob, output, TestChain.flipBit(good, 10, 2)), RejectCode.INVALID_EVIDENCE,
                "does not cover");
        // not a signature at all
        refused(chain.resultFrom(NODE_2, teeJob, output, new byte[0]), RejectCode.INVALID_EVIDENCE, "64-byte", "got 0 bytes");
        // a NONE result carries no evidence
        refused(chain.resultFrom(NODE_1, noneJob, output, new byte[] {1}), RejectCode.INVALID_EVIDENCE, "carries no evidence");
        // and the genuine one applies
        chain.ledger.apply(chain.resultFrom(NODE_2, teeJob, output, good), chain.nextContext());
        assertThat(chain.job(teeJob).status()).isEqualTo(JobStatus.SETTLED);
    }

    // ------------------------------------------------------------------------------- attestations

    private SignedTransaction enclaveTx(PrivateKey node, PublicKey enclave, byte[] attestation) {
        return chain.sign(node, new Payload.RegisterEnclave(enclave, attestation));
    }

    @Test
    void attestationFromAnUntrustedPlatformIsRefused() {
        DevSevSnpPlatform rogue = TestChain.otherPlatform();
        byte[] doc = TestChain.attestation(rogue, MEASUREMENT, ENCLAVE_3.publicKey(), NODE_3.publicKey());
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), doc), RejectCode.INVALID_ATTESTATION,
                "is not issued by any of the 1 trusted ARKs");
    }

    @Test
    void attestationWithAWrongMeasurementIsRefused() {
        Measurement other = new Measurement(Arrays.copyOf(Sha256.digest(Bytes.utf8("a build nobody approved")).bytes(), 48));
        byte[] doc = TestChain.attestation(PLATFORM, other, ENCLAVE_3.publicKey(), NODE_3.publicKey());
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), doc), RejectCode.INVALID_ATTESTATION,
                "measurement " + other.hex() + " is not an approved build");
    }

    @Test
    void attestationBindingAnotherKeyIsRefused() {
        // binds the enclave to another node
        byte[] otherNode = TestChain.attestation(PLATFORM, MEASUREMENT, ENCLAVE_3.publicKey(), NODE_1.publicKey());
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), otherNode), RejectCode.INVALID_ATTESTATION,
                "does not bind this enclave key to this node");
        // binds another enclave key to this node
        byte[] otherEnclave = TestChain.attestation(PLATFORM, MEASUREMENT, TestChain.key("enclave-x").publicKey(),
                NODE_3.publicKey());
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), otherEnclave), RejectCode.INVALID_ATTESTATION, "does not bind");
    }

    @Test
    void tamperedOrGarbageAttestationIsRefused() {
        byte[] doc = TestChain.attestation(PLATFORM, MEASUREMENT, ENCLAVE_3.publicKey(), NODE_3.publicKey());
        // type tag (1) + length (4) + report: flip a bit of the signed MEASUREMENT field (offset 0x90)
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), TestChain.flipBit(doc, 5 + 0x90, 0)), RejectCode.INVALID_ATTESTATION,
                "the report signature does not verify under the VCEK");
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), new byte[] {0x42}), RejectCode.INVALID_ATTESTATION,
                "unknown TEE type code 66");
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), Arrays.copyOf(doc, 100)), RejectCode.INVALID_ATTESTATION, "malformed");
        refused(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), new byte[0]), RejectCode.INVALID_ATTESTATION, "malformed");
        // an enclave key already registered (by NODE_2)
        byte[] reused = TestChain.attestation(PLATFORM, MEASUREMENT, ENCLAVE_2.publicKey(), NODE_3.publicKey());
        refused(enclaveTx(NODE_3, ENCLAVE_2.publicKey(), reused), RejectCode.ENCLAVE_EXISTS, "already registered");
        // the genuine one applies
        chain.ledger.apply(enclaveTx(NODE_3, ENCLAVE_3.publicKey(), doc), chain.nextContext());
        assertThat(chain.node(NODE_3).enclaveKey()).isEqualTo(ENCLAVE_3.publicKey());
    }

    // ------------------------------------------------------------------------------- job parameters

    @Test
    void deadlineOutOfRangeIsRefused() {
        Params p = chain.params();
        for (long deadline : new long[] {0, p.minDeadlineBlocks() - 1, p.maxDeadlineBlocks() + 1, Long.MAX_VALUE}) {
            refused(chain.submitJob(ALICE, MODEL, NONE, List.of(), 10_000, deadline), RejectCode.INVALID_DEADLINE,
                    p.minDeadlineBlocks() + " to " + p.maxDeadlineBlocks(), "got " + deadline);
        }
    }

    @Test
    void unsupportedModeIsRefused() {
        refused(chain.submitJob(ALICE, MODEL, ZK, 10_000), RejectCode.MODE_NOT_SUPPORTED,
                "mode ZK is not enabled");
        refused(chain.submitJob(ALICE, MODEL, TEE, List.of(ZK), 10_000, 5), RejectCode.MODE_NOT_SUPPORTED,
                "fallback mode ZK");
        refused(chain.registerNode(NODE_4, STAKE, List.of(MODEL), NONE, ZK), RejectCode.MODE_NOT_SUPPORTED, "ZK");
        refused(chain.submitJob(ALICE, MODEL, OPTIMISTIC, 10_000), RejectCode.MODE_NOT_SUPPORTED,
                "has no registered integer program");
        refused(chain.submitJob(ALICE, MODEL, NONE, List.of(NONE), 10_000, 5), RejectCode.MALFORMED, "appears twice");
    }

    // ------------------------------------------------------------------------------- blocks

    /** A chain of four blocks, the last one with two transfers. */
    private static TestChain source() {
        TestChain src = new TestChain();
        src.block(src.registerModel(ALICE, MODEL, "resnet-tiny", COMPUTE_UNITS));
        src.block(src.registerNode(NODE_1, STAKE, List.of(MODEL), NONE));
        src.block(src.submitJob(ALICE, MODEL, NONE, 10_000));
        src.block(src.transfer(ALICE, BOB, 5), src.transfer(BOB, CAROL, 3));
        return src;
    }

    /** A fresh ledger from the same genesis with all but the last block of {@code src} executed. */
    private static Ledger replayAllButLast(TestChain src) {
        Ledger fresh = Ledger.fromGenesis(src.genesis);
        Hash prev = src.genesis.hash();
        for (int i = 0; i < src.blocks.size() - 1; i++) {
            Block b = src.blocks.get(i).block();
            BlockExecution.execute(fresh, b, prev);
            prev = b.hash();
        }
        return fresh;
    }

    private static Block resign(BlockHeader h, List<SignedTransaction> txs, PrivateKey producer) {
        return new Block(h, txs, producer.sign(h.signingBytes()));
    }

    private static BlockHeader withStateRoot(BlockHeader h, Hash root) {
        return new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(), h.transactionsRoot(), root,
                h.eventsRoot(), h.producer());
    }

    private static void refusedBlock(Ledger ledger, Block block, Hash expectedPrevious, String... messageParts) {
        assertThatThrownBy(() -> BlockExecution.execute(ledger, block, expectedPrevious))
                .isInstanceOf(InvalidBlockException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void blockWithATamperedStateRootIsRefused() {
        TestChain src = source();
        Block good = src.blocks.getLast().block();
        Hash prev = src.blocks.get(src.blocks.size() - 2).block().hash();
        Block tampered = resign(withStateRoot(good.header(), Sha256.digest(Bytes.utf8("a root"))), good.transactions(),
                VALIDATOR);
        refusedBlock(replayAllButLast(src), tampered, prev, "block 4 state root mismatch", good.header().stateRoot().hex());
        // the genuine block executes on a fresh replay
        Ledger fresh = replayAllButLast(src);
        BlockExecution.execute(fresh, good, prev);
        assertThat(fresh.state().root()).isEqualTo(src.ledger.state().root());
    }

    @Test
    void blockWithATamperedTransactionIsRefused() {
        TestChain src = source();
        Block good = src.blocks.getLast().block();
        Hash prev = src.blocks.get(src.blocks.size() - 2).block().hash();
        SignedTransaction original = good.transactions().get(0);
        SignedTransaction other = TestChain.signWithNonce(ALICE, original.body().nonce(), new Payload.Transfer(BOB.publicKey(), 6));
        List<SignedTransaction> txs = new ArrayList<>(good.transactions());
        txs.set(0, other);
        Ledger ledger = replayAllButLast(src);
        Hash rootBefore = ledger.state().root();
        refusedBlock(ledger, new Block(good.header(), txs, good.signature()), prev, "transactions do not match");
        // a transaction dropped, or its bytes changed, is caught the same way
        refusedBlock(ledger, new Block(good.header(), txs.subList(1, 2), good.signature()), prev, "transactions do not match");
        assertThat(ledger.state().root()).as("refused before executing anything").isEqualTo(rootBefore);

        // a block whose header commits to a transaction that the ledger refuses (a replay) is invalid too
        SignedTransaction replay = src.blocks.get(2).block().transactions().get(0);
        List<SignedTransaction> withReplay = List.of(replay);
        BlockHeader h = good.header();
        BlockHeader replayHeader = new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(),
                Block.transactionsRoot(withReplay), h.stateRoot(), h.eventsRoot(), h.producer());
        refusedBlock(ledger, resign(replayHeader, withReplay, VALIDATOR), prev, "holds a refused transaction", "already used");
    }

    @Test
    void blockWithAWrongProducerSignatureIsRefused() {
        TestChain src = source();
        Block good = src.blocks.getLast().block();
        Hash prev = src.blocks.get(src.blocks.size() - 2).block().hash();
        Ledger ledger = replayAllButLast(src);
        Hash rootBefore = ledger.state().root();
        refusedBlock(ledger, resign(good.header(), good.transactions(), NODE_1), prev, "invalid producer signature");
        byte[] sig = good.signature().bytes();
        sig[5] ^= 1;
        refusedBlock(ledger, new Block(good.header(), good.transactions(), dev.verity.core.Signature.wrap(sig)), prev,
                "invalid producer signature");
        // a producer that is not a validator, even with its own valid signature
        BlockHeader h = good.header();
        BlockHeader byNode = new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.timestampMillis(), h.transactionsRoot(),
                h.stateRoot(), h.eventsRoot(), NODE_1.publicKey());
        refusedBlock(ledger, resign(byNode, good.transactions(), NODE_1), prev, "not in the validator set");
        assertThat(ledger.state().root()).isEqualTo(rootBefore);
        // the ledger is untouched, so the genuine block still executes on it
        BlockExecution.execute(ledger, good, prev);
        assertThat(ledger.state().root()).isEqualTo(src.ledger.state().root());
    }

    @Test
    void blockWithAWrongPreviousHashIsRefused() {
        TestChain src = source();
        Block good = src.blocks.getLast().block();
        Hash prev = src.blocks.get(src.blocks.size() - 2).block().hash();
        Ledger ledger = replayAllButLast(src);
        Hash rootBefore = ledger.state().root();
        // the header names another parent (re-signed, so only the link is wrong)
        BlockHeader h = good.header();
        BlockHeader forked = new BlockHeader(h.chainId(), h.height(), Sha256.digest(Bytes.utf8("another parent")),
                h.timestampMillis(), h.transactionsRoot(), h.stateRoot(), h.eventsRoot(), h.producer());
        refusedBlock(ledger, resign(forked, good.transactions(), VALIDATOR), prev, "block 4 does not follow the previous block");
        // or the block is offered on top of another parent
        refusedBlock(ledger, good, Hash.ZERO, "does not follow");
        // a block at the wrong height or for another chain
        refusedBlock(ledger, src.blocks.get(0).block(), src.genesis.hash(), "expected block 4, got 1");
        BlockHeader otherChain = new BlockHeader("verity-main", h.height(), h.previousHash(), h.timestampMillis(),
                h.transactionsRoot(), h.stateRoot(), h.eventsRoot(), h.producer());
        refusedBlock(ledger, resign(otherChain, good.transactions(), VALIDATOR), prev, "for chain verity-main");
        assertThat(ledger.state().root()).isEqualTo(rootBefore);
        BlockExecution.execute(ledger, good, prev);
    }
}
