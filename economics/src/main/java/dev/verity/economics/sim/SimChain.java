package dev.verity.economics.sim;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.MemoryBackend;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated chain: a real {@link Ledger} from a genesis made for the simulation, fed real signed transactions
 * block by block. Blocks are not built with {@code BlockExecution.produce}: the simulator applies each transaction
 * with {@link Ledger#apply} and ends the block with {@link Ledger#endBlock}, skipping the state root (a commitment
 * that changes no balance, price or assignment) and the producer's signature; the state keeps no trie
 * ({@code LedgerState.unrooted}). Each block's hash, the randomness of
 * the next block's assignments and audit draws, is SHA-256 over the height, the previous hash and the Merkle root
 * of the included transactions, so it depends on everything that happened, as a real block hash does.
 */
final class SimChain {
    static final String CHAIN_ID = "verity-sim";
    /** 2026-01-01T00:00:00Z. */
    static final long GENESIS_MILLIS = 1_767_225_600_000L;
    static final long VRT = Params.BASE_UNITS_PER_TOKEN;
    static final Measurement MEASUREMENT = new Measurement(Arrays.copyOf(
            Sha256.digest(Bytes.utf8("verity-node simulated build")).bytes(), Measurement.LENGTH));
    private static final byte[] BLOCK_DOMAIN = Bytes.utf8("verity-sim-block-v1");
    private static DevSevSnpPlatform platform;

    final Genesis genesis;
    final Ledger ledger;
    final PrivateKey validator = PrivateKey.deterministic("sim/validator");
    final PrivateKey modelOwner = PrivateKey.deterministic("sim/model-owner");
    final List<PrivateKey> council = List.of(PrivateKey.deterministic("sim/council-1"),
            PrivateKey.deterministic("sim/council-2"), PrivateKey.deterministic("sim/council-3"));
    private final MemoryBackend rows = new MemoryBackend();
    private final long blockMillis;
    private final List<SignedTransaction> included = new ArrayList<>();
    private Hash previousHash;
    private long applied;
    private BlockContext context;

    /** A chain whose genesis funds {@code funded} and uses {@code params}. */
    SimChain(Params params, List<Genesis.Allocation> funded, long blockMillis) {
        List<Genesis.Allocation> allocations = new ArrayList<>(funded);
        allocations.add(new Genesis.Allocation(modelOwner.publicKey(), 1_000 * VRT));
        for (PrivateKey k : council) {
            allocations.add(new Genesis.Allocation(k.publicKey(), 100 * VRT));
        }
        List<PublicKey> members = council.stream().map(PrivateKey::publicKey).toList();
        this.genesis = new Genesis(CHAIN_ID, GENESIS_MILLIS, params, allocations, List.of(Genesis.validator(validator.publicKey())),
                new Council(members, 2),
                List.of(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform().arkDer())),
                List.of(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, MEASUREMENT, "simulated node build")), List.of());
        // No state root per block: the state keeps no trie, and each block's rows move into memory at its end.
        this.ledger = Ledger.fromGenesis(genesis, ZkStandInVerifier.withStandard(), LedgerState.unrooted(rows));
        this.blockMillis = blockMillis;
        this.previousHash = genesis.hash();
    }

    /**
     * The development SEV-SNP platform the simulated enclaves attest with: the same for every run (its keys come
     * from a fixed seed), made once per process because it generates two RSA-4096 keys.
     */
    static synchronized DevSevSnpPlatform platform() {
        if (platform == null) {
            platform = DevSevSnpPlatform.generate(Instant.ofEpochMilli(GENESIS_MILLIS).minus(Duration.ofDays(1)),
                    Duration.ofDays(3650), new SeededRandom("verity simulator platform"));
        }
        return platform;
    }

    LedgerState state() {
        return ledger.state();
    }

    /** Starts block {@code height}; its timestamp is genesis + height block times. */
    BlockContext open(long height) {
        context = new BlockContext(height, previousHash, GENESIS_MILLIS + height * blockMillis, validator.publicKey());
        included.clear();
        return context;
    }

    BlockContext context() {
        return context;
    }

    /**
     * Signs {@code payload} by {@code key} with its next nonce and applies it in the open block.
     *
     * @throws dev.verity.ledger.TransactionRejectedException when the ledger refuses it (nothing changed)
     */
    SignedTransaction submit(PrivateKey key, Payload payload) {
        SignedTransaction tx = SignedTransaction.sign(new TransactionBody(CHAIN_ID, key.publicKey(), nonce(key.publicKey()),
                payload), key);
        return apply(tx);
    }

    /**
     * Applies {@code tx}, signed ahead by {@code key}, in the open block; when its nonce is no longer the sender's next
     * (a transaction the sender did not plan came first, or one it planned was refused), signs its payload again.
     *
     * @throws dev.verity.ledger.TransactionRejectedException when the ledger refuses it (nothing changed)
     */
    SignedTransaction submit(PrivateKey key, SignedTransaction tx) {
        if (tx.body().nonce() != nonce(key.publicKey())) {
            return submit(key, tx.payload());
        }
        return apply(tx);
    }

    private SignedTransaction apply(SignedTransaction tx) {
        ledger.apply(tx, context);
        included.add(tx);
        applied++;
        return tx;
    }

    /** The transactions applied so far. */
    long applied() {
        return applied;
    }

    long nonce(PublicKey account) {
        return state().account(account).nonce();
    }

    /** Ends the open block (deadlines, verification timers, assignment, the fee market) and returns its events. */
    List<LedgerEvent> close() {
        ledger.endBlock(context);
        List<LedgerEvent> events = state().drainEvents();
        state().drainRetired();
        state().drainChanges(rows::apply);
        previousHash = Sha256.digest(new Encoder(96).fixed(BLOCK_DOMAIN).u64(context.height()).hash(previousHash)
                .hash(Block.transactionsRoot(included)).toByteArray());
        return events;
    }

    /** The attestation that binds {@code enclave} to {@code node} on this chain, from the development platform. */
    static byte[] attestation(PublicKey enclave, PublicKey node) {
        DevSevSnpPlatform p = platform();
        return new AttestationEvidence.SevSnp(p.report(EnclaveBinding.reportData(CHAIN_ID, enclave, node), MEASUREMENT.bytes(),
                DevSevSnpPlatform.DEFAULT_POLICY), p.vcekDer(), List.of(p.askDer())).encode();
    }

    /** Proposal {@code number} with {@code action}, approved by the first two of the three council members. */
    Payload.Govern proposal(long number, GovernanceAction action) {
        byte[] signed = GovernanceCodec.signingBytes(CHAIN_ID, number, action);
        List<Approval> approvals = new ArrayList<>();
        for (PrivateKey k : council.subList(0, 2)) {
            approvals.add(new Approval(k.publicKey(), k.sign(signed)));
        }
        return new Payload.Govern(number, action, approvals);
    }

    /** The chain's default parameters with the fee market's target set. */
    static Params params(long targetComputeUnitsPerBlock) {
        Params d = Params.defaults();
        return new Params(d.minStake(), d.unbondingBlocks(), d.maxTransactionBytes(), d.maxInputBytes(), d.maxOutputBytes(),
                d.maxEvidenceBytes(), d.maxAttestationBytes(), d.initialBasePrice(), d.minJobFee(), d.noneFeeMultiplierBps(),
                d.teeFeeMultiplierBps(), d.nodeShareBps(), d.validatorShareBps(), d.treasuryShareBps(), d.maxReassignments(),
                d.missedDeadlinePenaltyBps(), d.jailAfterMisses(), d.jailBlocks(), d.minDeadlineBlocks(), d.maxDeadlineBlocks(),
                d.maxQueueBlocks(), d.maxModelsPerNode(), d.maxAssignmentsPerBlock(), d.optimisticFeeMultiplierBps(),
                d.sampledFeeMultiplierBps(), d.challengeWindowBlocks(), d.moveDeadlineBlocks(), d.challengerBond(),
                d.disputeSlashBps(), d.winnerShareBps(), d.auditProbabilityBps(), d.maxWitnessBytes(), d.minBasePrice(),
                targetComputeUnitsPerBlock, d.basePriceChangeBps(), d.zkFeeMultiplierBps(), d.minValidatorStake(),
                d.validatorSlashBps());
    }
}
