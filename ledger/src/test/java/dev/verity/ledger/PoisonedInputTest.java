package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.JobStatus;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job input its model's schema refuses never reaches a node: {@code SubmitJob} is refused with
 * {@link RejectCode#INVALID_INPUT} before anything is escrowed, queued or assigned, and the state (root, balances,
 * nonces, jobs, queue, treasury, events) is exactly as it was. One poisoned input of every kind the schemas name.
 */
class PoisonedInputTest {
    static final Hash TEXT = modelHash("poison-text");
    static final Hash TENSOR = modelHash("poison-tensor");
    static final Hash TOKENS = modelHash("poison-tokens");
    static final long COMPUTE_UNITS = 1_000_000;
    static final long MAX_FEE = 10_000;

    TestChain chain;

    @BeforeEach
    void setUp() {
        chain = new TestChain();
        chain.block(
                chain.sign(ALICE, new Payload.RegisterModel(TEXT, "poison-text", "text", "text", COMPUTE_UNITS,
                        new InputSchema.Utf8Text(1, 512))),
                chain.sign(ALICE, new Payload.RegisterModel(TENSOR, "poison-tensor", "8 float32", "text", COMPUTE_UNITS,
                        new InputSchema.Float32Tensor(List.of(2, 4), Float.floatToIntBits(-1f), Float.floatToIntBits(1f)))),
                chain.sign(ALICE, new Payload.RegisterModel(TOKENS, "poison-tokens", "tokens", "text", COMPUTE_UNITS,
                        new InputSchema.TokenIds(16, 1_000))));
        chain.block(chain.registerNode(NODE_1, 2_000 * VRT, List.of(TEXT, TENSOR, TOKENS), NONE));
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] floatBits(int index, int bits) {
        byte[] b = floats(0, 0, 0, 0, 0, 0, 0, 0);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4 * index, bits);
        return b;
    }

    static byte[] tokens(long... ids) {
        ByteBuffer b = ByteBuffer.allocate(4 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            b.putInt((int) id);
        }
        return b.array();
    }

    static byte[] raw(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Poisoned inputs, each with its model and the part of the refusal that names the offence. */
    record Poison(Hash model, byte[] input, String names) {}

    static Map<String, Poison> poisons() {
        Map<String, Poison> p = new LinkedHashMap<>();
        p.put("text: invalid byte", new Poison(TEXT, Bytes.concat(Bytes.utf8("hello "), raw(0xFF)), "byte 6 (0xff) cannot start"));
        p.put("text: overlong", new Poison(TEXT, raw('a', 0xE0, 0x80, 0xAF), "byte 1 starts an overlong UTF-8 encoding"));
        p.put("text: surrogate", new Poison(TEXT, raw(0xED, 0xA0, 0x80), "byte 0 encodes a UTF-16 surrogate (U+D800)"));
        p.put("text: truncated", new Poison(TEXT, raw('a', 'b', 0xF0, 0x9F), "byte 2 (0xf0) starts a 4-byte UTF-8 character"));
        p.put("text: 0xC0", new Poison(TEXT, raw(0xC0, 0xAF), "byte 0 (0xc0) cannot start"));
        p.put("text: 0xF5", new Poison(TEXT, raw(0xF5, 0x80, 0x80, 0x80), "byte 0 (0xf5) cannot start"));
        p.put("text: NUL", new Poison(TEXT, Bytes.utf8("ab\u0000"), "byte 2 is NUL"));
        p.put("text: empty", new Poison(TEXT, new byte[0], "the text is 0 bytes; this model takes 1 to 512 bytes"));
        p.put("text: too long", new Poison(TEXT, Bytes.utf8("x".repeat(513)), "the text is 513 bytes"));
        p.put("tensor: quiet NaN", new Poison(TENSOR, floatBits(3, 0x7FC0_0000), "element 3 of 8 is NaN"));
        p.put("tensor: signalling NaN", new Poison(TENSOR, floatBits(0, 0x7F80_0001), "element 0 of 8 is NaN (float32 bits 0x7f800001)"));
        p.put("tensor: +Inf", new Poison(TENSOR, floatBits(5, 0x7F80_0000), "element 5 of 8 is +Infinity"));
        p.put("tensor: -Inf", new Poison(TENSOR, floatBits(7, 0xFF80_0000), "element 7 of 8 is -Infinity"));
        p.put("tensor: above max", new Poison(TENSOR, floats(0, Math.nextUp(1f), 0, 0, 0, 0, 0, 0),
                "element 1 of 8 (float32 bits 0x3f800001) is outside the declared range"));
        p.put("tensor: below min", new Poison(TENSOR, floats(0, 0, 0, 0, 0, 0, Math.nextDown(-1f), 0),
                "element 6 of 8 (float32 bits 0xbf800001) is outside"));
        p.put("tensor: short", new Poison(TENSOR, floats(0, 0, 0, 0, 0, 0, 0), "shape [2, 4]: 8 values, 32 bytes; got 28 bytes"));
        p.put("tensor: long", new Poison(TENSOR, floats(0, 0, 0, 0, 0, 0, 0, 0, 0), "got 36 bytes"));
        p.put("tensor: empty", new Poison(TENSOR, new byte[0], "got 0 bytes"));
        p.put("tokens: id = vocabulary", new Poison(TOKENS, tokens(1, 999, 1_000), "token 2 is id 1000, outside the vocabulary of 1000"));
        p.put("tokens: huge id", new Poison(TOKENS, tokens(0xFFFF_FFFFL), "token 0 is id 4294967295"));
        p.put("tokens: too many", new Poison(TOKENS, tokens(new long[17]), "1 to 16 token ids of 4 bytes each; got 68 bytes"));
        p.put("tokens: partial id", new Poison(TOKENS, raw(1, 0, 0, 0, 2, 0), "got 6 bytes"));
        p.put("tokens: empty", new Poison(TOKENS, new byte[0], "got 0 bytes"));
        return p;
    }

    record Snapshot(Hash root, Map<PublicKey, Account> accounts, long treasury, long jobs, long inputs, long queue, long supply) {}

    Snapshot snapshot() {
        var s = chain.ledger.state();
        return new Snapshot(s.root(), chain.accounts(), chain.treasury(), s.jobs.count(), s.jobInputs.count(), s.queue.count(),
                TestChain.totalSupply(s));
    }

    @Test
    void everyPoisonedInputIsRefusedAtSubmissionAndChangesNothing() {
        String[] names = {"poison-text", "poison-tensor", "poison-tokens"};
        Map<Hash, String> modelNames = Map.of(TEXT, names[0], TENSOR, names[1], TOKENS, names[2]);
        for (Map.Entry<String, Poison> e : poisons().entrySet()) {
            Poison poison = e.getValue();
            chain.ledger.state().drainEvents();
            Snapshot before = snapshot();
            SignedTransaction tx = chain.submitJob(BOB, poison.model(), poison.input(), NONE, List.of(), MAX_FEE, 5);
            // the bytes are well formed: only the ledger, which knows the model, refuses them
            assertThat(chain.ledger.decodeAndCheck(tx.encoded())).isEqualTo(tx);
            TransactionRejectedException refused = catchThrowableOfType(TransactionRejectedException.class,
                    () -> chain.ledger.apply(tx, chain.nextContext()));
            assertThat(refused).as(e.getKey()).isNotNull();
            assertThat(refused.code()).as("%s: %s", e.getKey(), refused.getMessage()).isEqualTo(RejectCode.INVALID_INPUT);
            assertThat(refused.getMessage()).as(e.getKey())
                    .startsWith("input refused by model " + modelNames.get(poison.model()) + "'s schema: ")
                    .contains(poison.names());
            assertThat(snapshot()).as("state after %s", e.getKey()).isEqualTo(before);
            assertThat(chain.ledger.state().drainEvents()).as("events of %s", e.getKey()).isEmpty();
            assertThat(chain.ledger.state().jobs.contains(tx.hash())).isFalse();
            chain.forgetPendingNonces();
        }
    }

    @Test
    void aBlockOfPoisonedInputsLeavesThemAllOutAndEscrowsNothing() {
        long bobBefore = chain.balance(BOB);
        long bobNonce = chain.ledger.state().account(BOB.publicKey()).nonce();
        long supply = TestChain.totalSupply(chain.ledger.state());
        List<SignedTransaction> txs = new java.util.ArrayList<>();
        for (Poison p : poisons().values()) {
            // each signed with the same nonce: a refused transaction does not use it up
            txs.add(TestChain.signWithNonce(BOB, bobNonce, new Payload.SubmitJob(p.model(), p.input(), NONE, List.of(), MAX_FEE, 5)));
        }
        BlockExecution.Produced produced = chain.produce(txs);
        assertThat(produced.block().transactions()).isEmpty();
        assertThat(produced.refused()).hasSize(txs.size())
                .allSatisfy(r -> assertThat(r.reason().code()).isEqualTo(RejectCode.INVALID_INPUT));
        assertThat(chain.balance(BOB)).isEqualTo(bobBefore);
        assertThat(chain.ledger.state().account(BOB.publicKey()).nonce()).isEqualTo(bobNonce);
        assertThat(chain.ledger.state().jobs.count()).isZero();
        assertThat(chain.events(EventType.JOB_SUBMITTED)).isEmpty();
        assertThat(chain.node(NODE_1).inFlight()).isZero();
        assertThat(TestChain.totalSupply(chain.ledger.state())).isEqualTo(supply);
    }

    @Test
    void theSchemaIsCheckedBeforeTheEscrow() {
        // CAROL cannot afford the max fee: a poisoned input is still refused for its input, not its funds
        long carol = chain.balance(CAROL);
        SignedTransaction tooDear = chain.submitJob(CAROL, TEXT, raw(0xFF), NONE, List.of(), carol + 1, 5);
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tooDear, chain.nextContext()));
        assertThat(e.code()).isEqualTo(RejectCode.INVALID_INPUT);
        // and a fee below the price too
        chain.forgetPendingNonces();
        SignedTransaction tooCheap = chain.submitJob(CAROL, TENSOR, floatBits(0, 0x7FC0_0000), NONE, List.of(), 1, 5);
        e = catchThrowableOfType(TransactionRejectedException.class, () -> chain.ledger.apply(tooCheap, chain.nextContext()));
        assertThat(e.code()).isEqualTo(RejectCode.INVALID_INPUT);
        // an input over the chain's limit is OVERSIZED whatever the schema says
        chain.forgetPendingNonces();
        SignedTransaction huge = chain.submitJob(CAROL, TEXT, new byte[chain.params().maxInputBytes() + 1], NONE, List.of(), MAX_FEE, 5);
        e = catchThrowableOfType(TransactionRejectedException.class, () -> chain.ledger.apply(huge, chain.nextContext()));
        assertThat(e.code()).isEqualTo(RejectCode.OVERSIZED);
        assertThat(chain.balance(CAROL)).isEqualTo(carol);
    }

    @Test
    void aModelWhoseSchemaIsInvalidIsRefused() {
        int max = chain.params().maxInputBytes();
        int one = Float.floatToIntBits(1f);
        Map<String, InputSchema> bad = new LinkedHashMap<>();
        bad.put("a text schema needs 0 <= minBytes <= maxBytes", new InputSchema.Utf8Text(0, max + 1));
        bad.put("a text schema needs", new InputSchema.Utf8Text(5, 4));
        bad.put("a tensor schema has 1 to 8 dimensions, got 0", new InputSchema.Float32Tensor(List.of(), 0, one));
        bad.put("must have positive dimensions and fit the chain's input limit of " + max,
                new InputSchema.Float32Tensor(List.of(max / 4 + 1), 0, one));
        bad.put("range must be two finite float32 values", new InputSchema.Float32Tensor(List.of(4), 0x7FC0_0000, one));
        bad.put("min <= max", new InputSchema.Float32Tensor(List.of(4), one, 0));
        bad.put("a token schema needs 1 <= maxTokens", new InputSchema.TokenIds(0, 10));
        bad.put("and a vocabulary of 1 to 2^32-1 ids", new InputSchema.TokenIds(4, 0));
        int i = 0;
        for (Map.Entry<String, InputSchema> e : bad.entrySet()) {
            Hash model = modelHash("bad-schema-" + i++);
            SignedTransaction tx = chain.sign(ALICE, new Payload.RegisterModel(model, "bad", "in", "out", COMPUTE_UNITS, e.getValue()));
            Hash root = chain.ledger.state().root();
            TransactionRejectedException refused = catchThrowableOfType(TransactionRejectedException.class,
                    () -> chain.ledger.apply(tx, chain.nextContext()));
            assertThat(refused.code()).as("%s", e.getValue()).isEqualTo(RejectCode.MALFORMED);
            assertThat(refused.getMessage()).startsWith("invalid input schema: ").contains(e.getKey());
            assertThat(chain.ledger.state().root()).isEqualTo(root);
            assertThat(chain.ledger.state().models.contains(model)).isFalse();
            chain.forgetPendingNonces();
        }
        // the schema is part of the model record and is described in its registration event
        assertThat(chain.ledger.state().models.get(TENSOR).inputSchema())
                .isEqualTo(new InputSchema.Float32Tensor(List.of(2, 4), Float.floatToIntBits(-1f), one));
        assertThat(chain.events(EventType.MODEL_REGISTERED)).anySatisfy(e -> assertThat(e.reason())
                .endsWith("inputs: float32 tensor [2, 4], finite values in [0xbf800000, 0x3f800000] (float32 bits)"));
    }

    @Test
    void theValidNeighboursOfEachPoisonAreAccepted() {
        Map<Hash, byte[]> valid = Map.of(
                TEXT, Bytes.utf8("caf\u00e9 \u20ac \ud83d\ude00"),
                TENSOR, floats(-1, 1, Math.nextUp(-1f), Math.nextDown(1f), -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE),
                TOKENS, tokens(0, 999, 500, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));
        long before = chain.balance(ALICE);
        for (Map.Entry<Hash, byte[]> e : valid.entrySet()) {
            SignedTransaction tx = chain.submitJob(ALICE, e.getKey(), e.getValue(), NONE, List.of(), MAX_FEE, 5);
            chain.block(tx);
            assertThat(chain.job(tx.hash()).status()).isEqualTo(JobStatus.ASSIGNED);
            assertThat(chain.input(tx.hash())).isEqualTo(e.getValue());
        }
        assertThat(chain.balance(ALICE)).isEqualTo(before - 3 * MAX_FEE);
        // a text input of exactly the schema's maximum
        PrivateKey client = BOB;
        SignedTransaction longest = chain.submitJob(client, TEXT, Bytes.utf8("\u20ac".repeat(170) + "xx"), NONE, List.of(), MAX_FEE, 5);
        chain.block(longest);
        assertThat(chain.input(longest.hash())).hasSize(512);
    }
}
