package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.NODE_4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.inference.trace.TraceValues;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.DisputePhase;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * 1,200 jobs in OPTIMISTIC and SAMPLED mode on a chain where two of four nodes cheat in every way the
 * protocol must catch, one watcher challenges every wrong OPTIMISTIC result, another account challenges
 * honest results with lies, one node lies in some of its audits, and cheating parties sometimes stop
 * answering mid-game. Every cheat that is checked (every OPTIMISTIC one, every audited SAMPLED one) must
 * end with the cheater slashed, honest parties are never slashed, every settled OPTIMISTIC job carries the
 * true output, no base unit appears or vanishes, every game ends within ceil(log2 n) + 2 moves per party,
 * and the share of SAMPLED results audited matches the audit probability.
 */
class AdversarialJobsTest {
    private static final int JOBS = 1_200;
    private static final int PER_BLOCK = 30;
    private static final long AUDIT_BPS = 3_000;
    private static final List<PrivateKey> NODES = List.of(NODE_1, NODE_2, NODE_3, NODE_4);
    private static final List<PrivateKey> HONEST = List.of(NODE_1, NODE_2);
    private static final TraceParty.Kind[] CHEATS = {TraceParty.Kind.WRONG_OUTPUT, TraceParty.Kind.WRONG_TRACE,
            TraceParty.Kind.WRONG_INTERMEDIATE, TraceParty.Kind.COPY};

    private final ProvableWorld world = new ProvableWorld(Map.of("auditProbabilityBps", AUDIT_BPS), 2026,
            NODE_1, NODE_2, NODE_3, NODE_4);
    private final TestChain chain = world.chain;
    private final Random rnd = world.rnd;

    /** What each side of each job did. */
    private final Map<Hash, TraceParty> results = new TreeMap<>();
    private final Map<Hash, TraceParty> challengers = new TreeMap<>();
    private final Map<Hash, TraceParty> audits = new TreeMap<>();
    private final Map<Hash, Integer> stopsAfter = new TreeMap<>();
    private final TreeSet<Hash> watched = new TreeSet<>();
    private final List<byte[]> pastOutputs = new ArrayList<>();
    private int submitted;

    @Test
    void cheatersAreCaughtAndHonestPartiesNeverSlashed() {
        int guard = 0;
        while (submitted < JOBS || !allFinal()) {
            chain.block(actions().toArray(new SignedTransaction[0]));
            if (++guard > 5_000) {
                throw new AssertionError("the jobs did not finish");
            }
        }

        int checkedCheats = 0;
        int sampledCheats = 0;
        int sampledCheatsAudited = 0;
        for (Map.Entry<Hash, TraceParty> e : results.entrySet()) {
            Hash job = e.getKey();
            TraceParty result = e.getValue();
            JobRecord record = chain.job(job);
            boolean audited = !chain.events(EventType.AUDIT_ASSIGNED, job).isEmpty();
            boolean slashed = slashedFor(job, result.key.publicKey());
            if (!result.honest()) {
                if (record.mode() == VerificationMode.SAMPLED) {
                    sampledCheats++;
                    sampledCheatsAudited += audited ? 1 : 0;
                }
                if (record.mode() == VerificationMode.OPTIMISTIC || audited) {
                    checkedCheats++;
                    assertThat(slashed).as("cheat %s on %s job %s is slashed", result.kind, record.mode(), job.hex()).isTrue();
                    assertThat(record.status()).isIn(JobStatus.SETTLED, JobStatus.EXPIRED);
                }
            } else {
                assertThat(slashed).as("honest result of job %s", job.hex()).isFalse();
            }
            if (record.mode() == VerificationMode.OPTIMISTIC) {
                byte[] truth = TraceValues.compute(TinyProgram.ENGINE, world.input(job)).output();
                assertThat(record.status()).isEqualTo(JobStatus.SETTLED);
                assertThat(record.outputHash()).as("output of OPTIMISTIC job %s", job.hex()).isEqualTo(Sha256.digest(truth));
            }
        }
        for (PrivateKey honest : HONEST) {
            assertThat(chain.node(honest).penalized()).as("penalties of honest node %s", honest.publicKey().hex()).isZero();
        }
        assertThat(chain.events(EventType.BOND_SLASHED)).allSatisfy(e -> assertThat(e.account()).isEqualTo(CAROL.publicKey()));
        for (Map.Entry<Hash, TraceParty> e : challengers.entrySet()) {
            if (!e.getValue().honest()) {
                assertThat(chain.events(EventType.BOND_SLASHED, e.getKey())).as("lying challenge of %s", e.getKey().hex()).hasSize(1);
            }
        }
        for (Map.Entry<Hash, TraceParty> e : audits.entrySet()) {
            boolean slashed = slashedFor(e.getKey(), e.getValue().key.publicKey());
            assertThat(slashed).as("auditor of %s (%s)", e.getKey().hex(), e.getValue().kind).isEqualTo(!e.getValue().honest());
        }
        int depth = TraceTree.depth(world.traceSize());
        for (LedgerEvent resolved : chain.events(EventType.DISPUTE_RESOLVED)) {
            String moves = resolved.reason().replaceAll(".*; (\\d+) defender and (\\d+) (challenger|auditor) moves.*", "$1 $2");
            for (String m : moves.split(" ")) {
                assertThat(Integer.parseInt(m)).isLessThanOrEqualTo(depth + 2);
            }
        }
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));

        System.out.printf("adversarial jobs: %d results, %d cheats checked and slashed, %d SAMPLED cheats of which %d audited, "
                + "%d disputes, %d lying challenges, %d lying audits, %d parties that stopped%n", results.size(), checkedCheats,
                sampledCheats, sampledCheatsAudited, chain.events(EventType.DISPUTE_RESOLVED).size(),
                challengers.values().stream().filter(p -> !p.honest()).count(),
                audits.values().stream().filter(p -> !p.honest()).count(), stopsAfter.size());
        // every kind of fault happened, and was checked
        assertThat(results.values().stream().map(p -> p.kind).distinct()).containsAll(List.of(CHEATS));
        assertThat(checkedCheats).isGreaterThan(60);
        assertThat(challengers.values().stream().filter(p -> !p.honest()).count()).isGreaterThan(5);
        assertThat(audits.values().stream().filter(p -> !p.honest()).count()).isGreaterThanOrEqualTo(2);
        assertThat(stopsAfter).isNotEmpty();

        // the audit draw: the share of cheating SAMPLED results audited is p within four standard deviations
        double p = AUDIT_BPS / 10_000.0;
        double mean = sampledCheats * p;
        double sd = Math.sqrt(sampledCheats * p * (1 - p));
        assertThat(sampledCheats).isGreaterThan(60);
        assertThat((double) sampledCheatsAudited).isBetween(mean - 4 * sd, mean + 4 * sd);
        long sampled = results.keySet().stream().filter(j -> chain.job(j).mode() == VerificationMode.SAMPLED).count();
        long drawn = results.keySet().stream().filter(j -> !chain.events(EventType.AUDIT_ASSIGNED, j).isEmpty()).count();
        double allMean = sampled * p;
        double allSd = Math.sqrt(sampled * p * (1 - p));
        assertThat((double) drawn).isBetween(allMean - 4 * allSd, allMean + 4 * allSd);
    }

    private boolean slashedFor(Hash job, PublicKey node) {
        return chain.events(EventType.NODE_SLASHED, job).stream().anyMatch(e -> node.equals(e.node()));
    }

    private boolean allFinal() {
        for (Hash job : results.keySet()) {
            JobStatus s = chain.job(job).status();
            if (s != JobStatus.SETTLED && s != JobStatus.EXPIRED && s != JobStatus.CANCELLED) {
                return false;
            }
        }
        return chain.ledger.state().queue.count() == 0 && chain.ledger.state().disputes.count() == 0;
    }

    /** Everything every party does in the next block, given the state after the last one. */
    private List<SignedTransaction> actions() {
        List<SignedTransaction> txs = new ArrayList<>();
        var state = chain.ledger.state();
        for (JobRecord job : state.jobs.values()) {
            if (job.status() == JobStatus.ASSIGNED && !results.containsKey(job.id())) {
                txs.add(answer(job));
            }
        }
        for (ResultClaim claim : state.claims.values()) {
            if (claim.phase() == ClaimPhase.CHALLENGE_WINDOW && watched.add(claim.job())) {
                watch(claim, txs);
            } else if (claim.phase() == ClaimPhase.AUDITING && !audits.containsKey(claim.job())) {
                PrivateKey auditor = TestChain.privateKeyOf(claim.auditor());
                // NODE_4 sometimes frames honest results; it audits cheating ones honestly, so each game has one liar
                boolean lie = auditor.equals(NODE_4) && results.get(claim.job()).honest() && rnd.nextInt(3) == 0;
                TraceParty a = world.otherParty(auditor, claim.job(), lie ? TraceParty.Kind.WRONG_TRACE : TraceParty.Kind.HONEST);
                audits.put(claim.job(), a);
                txs.add(chain.sign(auditor, a.audit()));
            }
        }
        for (DisputeRecord d : state.disputes.values()) {
            play(d, txs);
        }
        for (PrivateKey node : NODES) {
            long short_ = ProvableWorld.STAKE - chain.node(node).stake();
            if (short_ > 0) {
                txs.add(chain.sign(node, new Payload.Bond(short_)));
            }
        }
        for (int i = 0; i < PER_BLOCK && submitted < JOBS; i++, submitted++) {
            VerificationMode mode = rnd.nextBoolean() ? VerificationMode.OPTIMISTIC : VerificationMode.SAMPLED;
            txs.add(chain.submitJob(ALICE, ProvableWorld.MODEL, TinyProgram.input(rnd), mode, List.of(),
                    10_000, 5));
        }
        return txs;
    }

    private SignedTransaction answer(JobRecord job) {
        PrivateKey node = TestChain.privateKeyOf(job.assignedNode());
        boolean cheat = !HONEST.contains(node) && rnd.nextBoolean();
        TraceParty.Kind kind = cheat ? CHEATS[rnd.nextInt(CHEATS.length)] : TraceParty.Kind.HONEST;
        byte[] copied = pastOutputs.isEmpty() ? TraceValues.compute(TinyProgram.ENGINE, TinyProgram.input(rnd)).output()
                : pastOutputs.get(rnd.nextInt(pastOutputs.size()));
        TraceParty r = TraceParty.of(node, job.id(), node.publicKey(), world.input(job.id()), kind, rnd, copied);
        results.put(job.id(), r);
        pastOutputs.add(r.output);
        if (cheat && rnd.nextInt(6) == 0) {
            stopsAfter.put(job.id(), rnd.nextInt(4));
        }
        return chain.sign(node, r.result());
    }

    /** BOB challenges every wrong result; CAROL challenges some right ones with a lie (and sometimes gives up). */
    private void watch(ResultClaim claim, List<SignedTransaction> txs) {
        TraceParty honest = world.otherParty(BOB, claim.job(), TraceParty.Kind.HONEST);
        if (!honest.tree.root().equals(claim.root())) {
            challengers.put(claim.job(), honest);
            txs.add(chain.sign(BOB, honest.challenge()));
        } else if (rnd.nextInt(12) == 0) {
            TraceParty liar = world.otherParty(CAROL, claim.job(), rnd.nextBoolean() ? TraceParty.Kind.WRONG_TRACE
                    : TraceParty.Kind.WRONG_OUTPUT);
            challengers.put(claim.job(), liar);
            if (rnd.nextInt(4) == 0) {
                stopsAfter.put(claim.job(), rnd.nextInt(3));
            }
            txs.add(chain.sign(CAROL, liar.challenge()));
        }
    }

    private void play(DisputeRecord d, List<SignedTransaction> txs) {
        TraceParty defender = results.get(d.job());
        TraceParty challenger = challengers.containsKey(d.job()) ? challengers.get(d.job()) : audits.get(d.job());
        int stop = stopsAfter.getOrDefault(d.job(), -1);
        boolean defenderStops = !defender.honest() && stop >= 0 && d.defenderMoves() >= stop;
        boolean challengerStops = !challenger.honest() && stop >= 0 && d.challengerMoves() >= stop;
        if (d.phase() == DisputePhase.BISECT) {
            if (d.defenderMove() == null && !defenderStops) {
                txs.add(chain.sign(defender.key, defender.move(d)));
            }
            if (d.challengerMove() == null && !challengerStops) {
                txs.add(chain.sign(challenger.key, challenger.move(d)));
            }
        } else {
            TraceParty prover = defender.honest() ? defender : challenger.honest() ? challenger : null;
            if (prover != null && d.deadline() > chain.height) {
                txs.add(chain.sign(prover.key, prover.proof(d)));
            }
        }
    }
}
