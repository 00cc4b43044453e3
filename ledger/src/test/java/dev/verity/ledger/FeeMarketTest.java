package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static dev.verity.protocol.VerificationMode.TEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.verity.core.Hash;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.rules.Pricing;
import dev.verity.ledger.state.JobRecord;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EIP-1559 base price, the tip, the mode multiplier and the max-fee cap, on the real ledger. */
class FeeMarketTest {
    static final Hash MODEL = modelHash("llm-8b");
    /** One job is a quarter of the block target used below. */
    static final long TARGET = 4_000_000_000_000_000L;
    static final long JOB_UNITS = 1_000_000_000_000_000L;

    TestChain chain = new TestChain(TestChain.params(Map.of("targetComputeUnitsPerBlock", TARGET)));

    long basePrice() {
        return FeeMarket.basePrice(chain.ledger.state());
    }

    List<SignedTransaction> jobs(int n, long tip) {
        List<SignedTransaction> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            txs.add(chain.sign(ALICE, new Payload.SubmitJob(MODEL, chain.nextInput(), NONE, List.of(), 10 * VRT, 5, tip)));
        }
        return txs;
    }

    void setUp() {
        chain.block(chain.registerModel(ALICE, MODEL, "llm-8b", JOB_UNITS));
        chain.block(chain.registerNode(NODE_1, 2_000 * VRT, List.of(MODEL), NONE, TEE));
    }

    @Test
    void thePriceRisesAfterABlockAboveTargetFallsAfterOneBelowAndStaysPutAtTarget() {
        setUp();
        long start = basePrice();
        chain.block(jobs(4, 0).toArray(SignedTransaction[]::new)); // exactly the target
        assertThat(basePrice()).isEqualTo(start);
        chain.block(jobs(6, 0).toArray(SignedTransaction[]::new)); // 50% above target: +6.25%
        long up = basePrice();
        assertThat(up).isEqualTo(start + start * 2 * 1_250 / (4 * 10_000));
        chain.block(jobs(2, 0).toArray(SignedTransaction[]::new)); // 50% below target: -6.25%
        assertThat(basePrice()).isEqualTo(up - up * 2 * 1_250 / (4 * 10_000));
    }

    @Test
    void oneBlockMovesThePriceByAtMostTheStepAndIdleBlocksStopAtTheFloor() {
        setUp();
        long start = basePrice();
        chain.block(jobs(40, 0).toArray(SignedTransaction[]::new)); // ten times the target still moves only 12.5%
        assertThat(basePrice()).isEqualTo(start + start * 1_250 / 10_000);
        chain.emptyBlocks(100);
        assertThat(basePrice()).isEqualTo(chain.params().minBasePrice());
        chain.emptyBlocks(1);
        assertThat(basePrice()).isEqualTo(chain.params().minBasePrice());
    }

    @Test
    void aJobPaysComputeUnitsTimesBasePlusTipTimesItsModeMultiplierAtThePriceOfItsBlock() {
        setUp();
        long base = basePrice();
        long tip = 3_000;
        SignedTransaction tx = chain.sign(ALICE, new Payload.SubmitJob(MODEL, chain.nextInput(), TEE, List.of(), 10 * VRT, 5, tip));
        chain.block(tx);
        JobRecord job = chain.job(tx.hash());
        long work = BigInteger.valueOf(JOB_UNITS).multiply(BigInteger.valueOf(base + tip))
                .add(BigInteger.valueOf(Params.COMPUTE_UNITS_PER_PRICE_UNIT - 1))
                .divide(BigInteger.valueOf(Params.COMPUTE_UNITS_PER_PRICE_UNIT)).longValueExact();
        assertThat(job.fee()).isEqualTo(work * chain.params().teeFeeMultiplierBps() / 10_000);
        assertThat(job.basePrice()).isEqualTo(base);
        assertThat(job.tip()).isEqualTo(tip);
        chain.emptyBlocks(3); // the price moves on; the job keeps its own
        assertThat(basePrice()).isNotEqualTo(base);
        assertThat(chain.job(tx.hash()).fee()).isEqualTo(job.fee());
        assertThat(chain.events(EventType.JOB_SUBMITTED)).last().satisfies(e -> assertThat(e.mode()).isEqualTo(TEE));
    }

    @Test
    void theMaxFeeCutsTheTipAndAJobWhoseBasePriceDoesNotFitIsRefusedWithNothingChanged() {
        setUp();
        long base = basePrice();
        long atBase = Pricing.fee(chain.params(), chain.ledger.state().models.get(MODEL).computeUnits(), NONE, base, 0);
        SignedTransaction capped = chain.sign(ALICE,
                new Payload.SubmitJob(MODEL, chain.nextInput(), NONE, List.of(), atBase + 10, 5, 1_000_000));
        chain.block(capped);
        assertThat(chain.job(capped.hash()).fee()).as("the tip is cut to fit the max fee").isEqualTo(atBase + 10);

        long balance = chain.balance(BOB);
        SignedTransaction tooLow = chain.sign(BOB,
                new Payload.SubmitJob(MODEL, chain.nextInput(), NONE, List.of(), atBase / 2, 5, 0));
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tooLow, chain.nextContext()));
        assertThat(e.code()).isEqualTo(RejectCode.FEE_TOO_LOW);
        assertThat(e.getMessage()).contains("at the base price of " + basePrice(), "max fee " + atBase / 2);
        assertThat(chain.balance(BOB)).isEqualTo(balance);
        assertThat(chain.ledger.state().jobs.contains(tooLow.hash())).isFalse();
    }

    @Test
    void queuedJobsAreAssignedHighestTipFirst() {
        chain = new TestChain(TestChain.params(Map.of("targetComputeUnitsPerBlock", TARGET, "maxAssignmentsPerBlock", 1)));
        chain.block(chain.registerModel(ALICE, MODEL, "llm-8b", JOB_UNITS));
        List<SignedTransaction> txs = new ArrayList<>();
        txs.addAll(jobs(1, 0));
        txs.addAll(jobs(1, 500));
        txs.addAll(jobs(1, 50));
        chain.block(txs.toArray(SignedTransaction[]::new)); // no node yet: all three wait in the queue
        chain.block(chain.registerNode(NODE_1, 2_000 * VRT, List.of(MODEL), NONE));
        List<Hash> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            chain.emptyBlocks(1);
            chain.events(EventType.JOB_ASSIGNED).stream().map(ev -> ev.job()).filter(j -> !order.contains(j)).forEach(order::add);
        }
        assertThat(order).containsExactly(txs.get(1).hash(), txs.get(2).hash(), txs.get(0).hash());
    }

    @Test
    void aPriceAtTheTopOfTheRangeSaturatesInsteadOfFailingTheBlock() {
        Params p = Params.defaults();
        assertThat(FeeMarket.next(p, Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(FeeMarket.next(p, Long.MAX_VALUE, 0)).isEqualTo(Long.MAX_VALUE - Long.MAX_VALUE / 8);
    }

    @Test
    void theStepIsBoundedAndNeverLeavesTheFloor() {
        Params p = Params.defaults();
        qt().withExamples(2_000).forAll(longs().between(p.minBasePrice(), 1_000_000_000_000L),
                longs().between(0, 1_000_000_000_000_000_000L)).checkAssert((base, used) -> {
                    long next = FeeMarket.next(p, base, used);
                    long maxStep = Math.max(1, base * p.basePriceChangeBps() / 10_000);
                    assertThat(Math.abs(next - base)).isLessThanOrEqualTo(maxStep);
                    assertThat(next).isGreaterThanOrEqualTo(p.minBasePrice());
                    if (used > p.targetComputeUnitsPerBlock()) {
                        assertThat(next).isGreaterThan(base);
                    } else {
                        assertThat(next).isLessThanOrEqualTo(base);
                    }
                });
    }
}
