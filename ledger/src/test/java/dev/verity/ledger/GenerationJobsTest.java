package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.rules.Pricing;
import dev.verity.ledger.state.JobStatus;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generation jobs are priced per token: the escrow covers the prompt and the most new tokens the request allows,
 * settlement charges the tokens generated and refunds the rest. Requests that do not fit the model and results that do
 * not fit their request are refused with the reason, leaving the state as it was; an honest node's answer is paid
 * whatever the client asked.
 */
class GenerationJobsTest {
    static final Hash CHAT = modelHash("chat");
    static final long UNITS_PER_JOB = 100_000_000_000_000L;
    static final long UNITS_PER_PROMPT_TOKEN = 1_000_000_000_000L;
    static final long UNITS_PER_GENERATED_TOKEN = 1_000_000_000_000L;
    static final InputSchema.TokenGeneration SCHEMA = new InputSchema.TokenGeneration(2048, 128, 64, UNITS_PER_PROMPT_TOKEN,
            UNITS_PER_GENERATED_TOKEN);
    static final long MAX_FEE = 10_000;

    TestChain chain;
    long basePrice;

    @BeforeEach
    void world() {
        chain = new TestChain(TestChain.params(Map.of("basePriceChangeBps", 0L, "minJobFee", 0L)));
        chain.block(chain.sign(ALICE, new Payload.RegisterModel(CHAT, "chat", "a generation request", "a generation result",
                UNITS_PER_JOB, SCHEMA)));
        chain.block(chain.registerNode(NODE_1, 2_000 * VRT, List.of(CHAT), NONE));
        basePrice = FeeMarket.basePrice(chain.ledger.state());
    }

    static GenerationRequest request(int promptTokens, int maxTokens, List<int[]> stops) {
        return new GenerationRequest(IntStream.range(0, promptTokens).map(i -> 3 + i).toArray(), maxTokens, 700, 950, stops, 42);
    }

    long feeFor(int promptTokens, int generated) {
        long units = UNITS_PER_JOB + promptTokens * UNITS_PER_PROMPT_TOKEN + generated * UNITS_PER_GENERATED_TOKEN;
        return Pricing.fee(chain.params(), units, NONE, basePrice, 0);
    }

    Hash submit(GenerationRequest r) {
        SignedTransaction tx = chain.submitJob(BOB, CHAT, r.encode(), NONE, List.of(), MAX_FEE, 5);
        chain.block(tx);
        assertThat(chain.job(tx.hash()).status()).isEqualTo(JobStatus.ASSIGNED);
        return tx.hash();
    }

    @Test
    void theEscrowCoversTheMostTokensAndSettlementChargesThoseGenerated() {
        long clientBefore = chain.balance(BOB);
        long nodeBefore = chain.balance(NODE_1);
        Hash job = submit(request(10, 60, List.of()));
        assertThat(chain.job(job).fee()).as("the fee reserved for 10 prompt and 60 new tokens").isEqualTo(feeFor(10, 60));
        assertThat(chain.balance(BOB)).isEqualTo(clientBefore - MAX_FEE);

        chain.block(chain.postResult(job, new GenerationResult(new int[] {5, 6, 7, 8, 9}, FinishReason.END_OF_TEXT).encode()));

        long charged = feeFor(10, 5);
        assertThat(charged).isLessThan(feeFor(10, 60));
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.job(job).fee()).isEqualTo(charged);
        assertThat(chain.balance(BOB)).as("the client pays for 5 generated tokens, not 60").isEqualTo(clientBefore - charged);
        long toNode = charged - Amounts.basisPoints(charged, chain.params().validatorShareBps())
                - Amounts.basisPoints(charged, chain.params().treasuryShareBps());
        assertThat(chain.balance(NODE_1) - nodeBefore).isEqualTo(toNode);
        LedgerEvent settled = chain.events(EventType.JOB_SETTLED, job).getFirst();
        assertThat(settled.amount()).isEqualTo(charged);
    }

    @Test
    void aResultThatStopsForLengthPaysForEveryTokenItWasAllowed() {
        Hash job = submit(request(4, 3, List.of()));
        chain.block(chain.postResult(job, new GenerationResult(new int[] {10, 11, 12}, FinishReason.LENGTH).encode()));
        assertThat(chain.job(job).fee()).isEqualTo(feeFor(4, 3));
    }

    @Test
    void aMaxFeeBelowTheReserveForTheMostTokensIsRefused() {
        GenerationRequest r = request(10, 60, List.of());
        long least = feeFor(10, 60);
        SignedTransaction tx = chain.submitJob(BOB, CHAT, r.encode(), NONE, List.of(), least - 1, 5);
        refused(tx, RejectCode.FEE_TOO_LOW, "costs " + least);
        chain.block(chain.submitJob(BOB, CHAT, r.encode(), NONE, List.of(), least, 5));
    }

    @Test
    void requestsThatDoNotFitTheModelAreRefusedWithTheReason() {
        refused(chain.submitJob(BOB, CHAT, request(100, 40, List.of()).encode(), NONE, List.of(), MAX_FEE, 5),
                RejectCode.INVALID_INPUT, "exceed this model's context of 128", "at most 28");
        refused(chain.submitJob(BOB, CHAT, request(10, 65, List.of()).encode(), NONE, List.of(), MAX_FEE, 5),
                RejectCode.INVALID_INPUT, "generates at most 64");
        refused(chain.submitJob(BOB, CHAT, request(128, 1, List.of()).encode(), NONE, List.of(), MAX_FEE, 5),
                RejectCode.INVALID_INPUT, "room for at most 127");
        GenerationRequest outside = new GenerationRequest(new int[] {1, 2048}, 4, 0, 1000, List.of(), 0);
        refused(chain.submitJob(BOB, CHAT, outside.encode(), NONE, List.of(), MAX_FEE, 5), RejectCode.INVALID_INPUT,
                "prompt token 1 is id 2048");
        GenerationRequest badStop = new GenerationRequest(new int[] {1}, 4, 0, 1000, List.of(new int[] {9_999}), 0);
        refused(chain.submitJob(BOB, CHAT, badStop.encode(), NONE, List.of(), MAX_FEE, 5), RejectCode.INVALID_INPUT,
                "stop sequence 0 holds id 9999");
        byte[] truncated = request(5, 5, List.of()).encode();
        refused(chain.submitJob(BOB, CHAT, java.util.Arrays.copyOf(truncated, truncated.length - 1), NONE, List.of(), MAX_FEE, 5),
                RejectCode.INVALID_INPUT, "not a generation request");
        refused(chain.submitJob(BOB, CHAT, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), NONE, List.of(),
                MAX_FEE, 5), RejectCode.INVALID_INPUT, "not a generation request");
    }

    @Test
    void resultsThatDoNotFitTheirRequestAreRefusedAndTheHonestOneIsPaid() {
        Hash job = submit(request(4, 6, List.of(new int[] {7, 8})));
        refused(chain.postResult(job, new GenerationResult(new int[] {1, 2, 3, 4, 5, 6, 7}, FinishReason.LENGTH).encode()),
                RejectCode.INVALID_OUTPUT, "holds 7 tokens, more than the 6");
        refused(chain.postResult(job, new GenerationResult(new int[] {1, 4096}, FinishReason.END_OF_TEXT).encode()),
                RejectCode.INVALID_OUTPUT, "generated token 1 is id 4096");
        refused(chain.postResult(job, new GenerationResult(new int[] {1, 2}, FinishReason.LENGTH).encode()),
                RejectCode.INVALID_OUTPUT, "stops for length after 2 tokens");
        refused(chain.postResult(job, new GenerationResult(new int[] {1, 2}, FinishReason.STOP_SEQUENCE).encode()),
                RejectCode.INVALID_OUTPUT, "ends with none of the request's");
        refused(chain.postResult(job, new byte[] {1, 0, 0}), RejectCode.INVALID_OUTPUT, "not a generation result");
        long nodeStake = chain.node(NODE_1).stake();

        chain.block(chain.postResult(job, new GenerationResult(new int[] {1, 7, 8}, FinishReason.STOP_SEQUENCE).encode()));
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.job(job).fee()).isEqualTo(feeFor(4, 3));
        assertThat(chain.node(NODE_1).stake()).as("the honest node loses nothing to the refusals").isEqualTo(nodeStake);
    }

    @Test
    void aNodeAnnouncesWhereItStreamsItsTokensAndOnlyAValidUrl() {
        chain.block(chain.sign(NODE_1, new Payload.SetNodeEndpoint("http://127.0.0.1:8090")));
        assertThat(chain.ledger.state().nodeEndpoints.get(NODE_1.publicKey())).isEqualTo("http://127.0.0.1:8090");
        assertThat(chain.events(EventType.NODE_ENDPOINT_SET)).hasSize(1);
        refused(chain.sign(NODE_1, new Payload.SetNodeEndpoint("ftp://127.0.0.1:8090")), RejectCode.INVALID_ADDRESS,
                "does not start with http:// or https://");
        refused(chain.sign(NODE_1, new Payload.SetNodeEndpoint("http://127.0.0.1:8090/x?y=1")), RejectCode.INVALID_ADDRESS,
                "query or fragment");
        refused(chain.sign(NODE_1, new Payload.SetNodeEndpoint("http://127.0.0.1:8090")), RejectCode.INVALID_ADDRESS,
                "already");
        refused(chain.sign(BOB, new Payload.SetNodeEndpoint("http://127.0.0.1:8091")), RejectCode.UNKNOWN_NODE, "not a registered node");
        chain.block(chain.sign(NODE_1, new Payload.SetNodeEndpoint("")));
        assertThat(chain.ledger.state().nodeEndpoints.get(NODE_1.publicKey())).isNull();
        refused(chain.sign(NODE_1, new Payload.SetNodeEndpoint("")), RejectCode.INVALID_ADDRESS, "none to withdraw");
    }

    /** {@code tx} is refused with {@code code} and a message holding every part, and nothing changes. */
    void refused(SignedTransaction tx, RejectCode code, String... parts) {
        var before = chain.ledger.state().root();
        var balances = chain.accounts();
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tx, chain.nextContext()));
        assertThat(e).as("%s should be refused", tx.payload()).isNotNull();
        assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(parts);
        assertThat(chain.ledger.state().root()).isEqualTo(before);
        assertThat(chain.accounts()).isEqualTo(balances);
        chain.ledger.state().drainEvents();
        chain.forgetPendingNonces();
    }
}
