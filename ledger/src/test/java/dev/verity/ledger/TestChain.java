package dev.verity.ledger;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.core.Signature;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.rules.Pricing;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.EnclaveRecord;
import dev.verity.ledger.state.JobFailure;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.MemoryBackend;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.RetiredJob;
import dev.verity.ledger.state.Supply;
import dev.verity.ledger.state.Unbonding;
import dev.verity.ledger.state.ValidatorUnbonding;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small deterministic chain for tests: a fixed genesis (chain id {@value #CHAIN_ID}, fixed
 * timestamp, funded test keys, one validator, one trusted development platform key and one
 * approved measurement), a {@link Ledger}, and block production through
 * {@link BlockExecution#produce} with heights, previous hashes and timestamps tracked the same way
 * every run. Helpers build and sign every kind of transaction with the right nonce.
 *
 * <p>Nonces: {@link #sign} uses the sender's nonce in the state plus the transactions already signed
 * for the block being built, so several transactions from one key can go in one block. Producing a
 * block forgets the pending count; a test that signs transactions it expects to be refused should
 * call {@link #forgetPendingNonces()} or use {@link #signWithNonce}.
 */
final class TestChain {
    static final String CHAIN_ID = "verity-test";
    /** 2026-01-01T00:00:00Z. */
    static final long GENESIS_TIME = 1_767_225_600_000L;
    static final long BLOCK_INTERVAL_MILLIS = 2_000;
    static final long VRT = Params.BASE_UNITS_PER_TOKEN;
    static final long INITIAL_BALANCE = 100_000 * VRT;
    static final long DEFAULT_DEADLINE_BLOCKS = 5;

    private static final Map<PublicKey, PrivateKey> KNOWN_KEYS = new ConcurrentHashMap<>();

    static final PrivateKey ALICE = key("alice");
    static final PrivateKey BOB = key("bob");
    static final PrivateKey CAROL = key("carol");
    static final PrivateKey NODE_1 = key("node-1");
    static final PrivateKey NODE_2 = key("node-2");
    static final PrivateKey NODE_3 = key("node-3");
    static final PrivateKey NODE_4 = key("node-4");
    static final PrivateKey VALIDATOR = key("validator");
    static final PrivateKey GOVERNOR = key("governor");
    static final PrivateKey ENCLAVE_1 = key("enclave-1");
    static final PrivateKey ENCLAVE_2 = key("enclave-2");
    static final PrivateKey ENCLAVE_3 = key("enclave-3");
    /** Holds nothing at genesis. */
    static final PrivateKey STRANGER = key("stranger");
    static final Measurement MEASUREMENT = new Measurement(Arrays.copyOf(
            Sha256.digest(Bytes.utf8("verity-node test build 1")).bytes(), Measurement.LENGTH));
    /** One development SEV-SNP platform (ARK, ASK, VCEK) for every test chain: RSA key generation is slow. */
    static final DevSevSnpPlatform PLATFORM = DevSevSnpPlatform.generate(
            Instant.ofEpochMilli(GENESIS_TIME).minus(Duration.ofDays(1)), Duration.ofDays(3650),
            new SeededRandom("verity test platform"));
    private static DevSevSnpPlatform otherPlatform;
    static final Collateral PLATFORM_ROOT = new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, PLATFORM.arkDer());
    static final List<PrivateKey> FUNDED = List.of(ALICE, BOB, CAROL, NODE_1, NODE_2, NODE_3, NODE_4);

    final Genesis genesis;
    final Ledger ledger;
    /** Who produces and signs the next blocks (a validator of the set, for blocks a peer would accept). */
    PrivateKey producer = VALIDATOR;
    long height;
    Hash previousHash;
    long timestamp;
    final List<BlockExecution.Produced> blocks = new ArrayList<>();
    final List<LedgerEvent> events = new ArrayList<>();
    /** {@link #totalSupply} at genesis, then after every block. */
    final List<Long> supplyHistory = new ArrayList<>();
    private final Map<PublicKey, Long> pendingNonces = new TreeMap<>();
    /** Where each block's rows go, as a validator's store. */
    final MemoryBackend backend = new MemoryBackend();
    /** Jobs that finished and left the live state, by id. */
    final Map<Hash, RetiredJob> retired = new TreeMap<>();
    private int inputCounter;
    private long pendingProposals;

    TestChain() {
        this(Params.defaults());
    }

    TestChain(Params params) {
        this(genesis(params));
    }

    TestChain(Genesis genesis) {
        this.genesis = genesis;
        // A small row cache, so that most reads go to the backend the rows were drained into, as in a validator.
        this.ledger = Ledger.fromGenesis(genesis, dev.verity.ledger.evidence.EvidenceVerifiers.standard(),
                new LedgerState(backend, 64));
        ledger.state().drainChanges(backend::apply);
        this.height = 0;
        this.previousHash = genesis.hash();
        this.timestamp = genesis.timestampMillis();
        supplyHistory.add(totalSupply(ledger.state()));
    }

    // ---------------------------------------------------------------- keys, genesis, params

    /** A deterministic key, remembered so helpers can sign for the public key later. */
    static PrivateKey key(String label) {
        PrivateKey k = PrivateKey.deterministic(label);
        KNOWN_KEYS.put(k.publicKey(), k);
        return k;
    }

    static PrivateKey privateKeyOf(PublicKey pub) {
        PrivateKey k = KNOWN_KEYS.get(pub);
        if (k == null) {
            throw new IllegalArgumentException("no test private key for " + pub.hex());
        }
        return k;
    }

    /** A second development platform with its own root, which test chains do not trust at genesis. */
    static synchronized DevSevSnpPlatform otherPlatform() {
        if (otherPlatform == null) {
            otherPlatform = DevSevSnpPlatform.generate(Instant.ofEpochMilli(GENESIS_TIME).minus(Duration.ofDays(1)),
                    Duration.ofDays(3650));
        }
        return otherPlatform;
    }

    static Genesis genesis(Params params) {
        List<Genesis.Allocation> allocations = new ArrayList<>();
        for (PrivateKey k : FUNDED) {
            allocations.add(new Genesis.Allocation(k.publicKey(), INITIAL_BALANCE));
        }
        return new Genesis(CHAIN_ID, GENESIS_TIME, params, allocations, List.of(Genesis.validator(VALIDATOR.publicKey())),
                Council.single(GOVERNOR.publicKey()), List.of(PLATFORM_ROOT),
                List.of(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, MEASUREMENT, "test build 1")), List.of());
    }

    /**
     * {@code base} with some components replaced, by record component name, e.g.
     * {@code params(Params.defaults(), Map.of("maxQueueBlocks", 5L))}.
     */
    static Params params(Params base, Map<String, ?> overrides) {
        try {
            RecordComponent[] comps = Params.class.getRecordComponents();
            Object[] values = new Object[comps.length];
            Class<?>[] types = new Class<?>[comps.length];
            Map<String, Object> left = new LinkedHashMap<>(overrides);
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                String name = comps[i].getName();
                values[i] = left.containsKey(name) ? left.remove(name) : comps[i].getAccessor().invoke(base);
            }
            if (!left.isEmpty()) {
                throw new IllegalArgumentException("no such parameters: " + left.keySet());
            }
            Constructor<Params> c = Params.class.getDeclaredConstructor(types);
            return c.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Params params(Map<String, ?> overrides) {
        return params(Params.defaults(), overrides);
    }

    Params params() {
        return ledger.state().params();
    }

    // ---------------------------------------------------------------- blocks

    BlockContext nextContext() {
        long h = height + 1;
        return new BlockContext(h, previousHash, timestampOf(h), producer.publicKey());
    }

    static long timestampOf(long height) {
        return GENESIS_TIME + height * BLOCK_INTERVAL_MILLIS;
    }

    /** Produces the next block from the candidates, keeping whatever the ledger refuses out of it. */
    BlockExecution.Produced produce(List<SignedTransaction> candidates) {
        long h = height + 1;
        long ts = timestampOf(h);
        BlockExecution.Produced p = BlockExecution.produce(ledger, candidates, h, previousHash, ts, producer);
        height = h;
        previousHash = p.block().hash();
        timestamp = ts;
        blocks.add(p);
        events.addAll(p.events());
        for (RetiredJob r : ledger.state().drainRetired()) {
            retired.put(r.job().id(), r);
        }
        ledger.state().drainChanges(backend::apply);
        pendingNonces.clear();
        pendingProposals = 0;
        long supply = totalSupply(ledger.state());
        if (Supply.of(ledger.state()).total() != supply) {
            throw new AssertionError("Supply.of disagrees with the test's own count at height " + height);
        }
        supplyHistory.add(supply);
        return p;
    }

    /** Produces the next block and fails the test if any of the transactions was refused. */
    BlockExecution.Produced block(SignedTransaction... txs) {
        BlockExecution.Produced p = produce(List.of(txs));
        if (!p.refused().isEmpty()) {
            StringBuilder sb = new StringBuilder("block " + height + " refused transactions:");
            for (BlockExecution.Refused r : p.refused()) {
                sb.append("\n  ").append(r.transaction()).append(": ").append(r.reason().code()).append(" ")
                        .append(r.reason().getMessage());
            }
            throw new AssertionError(sb.toString());
        }
        return p;
    }

    void emptyBlocks(long n) {
        for (long i = 0; i < n; i++) {
            produce(List.of());
        }
    }

    /** Produces empty blocks until the last block has height {@code target}. */
    void advanceTo(long target) {
        if (target < height) {
            throw new IllegalArgumentException("already at height " + height);
        }
        emptyBlocks(target - height);
    }

    // ---------------------------------------------------------------- signing

    SignedTransaction sign(PrivateKey key, Payload payload) {
        PublicKey pub = key.publicKey();
        long nonce = pendingNonces.getOrDefault(pub, ledger.state().account(pub).nonce());
        pendingNonces.put(pub, nonce + 1);
        return signWithNonce(key, nonce, payload);
    }

    static SignedTransaction signWithNonce(PrivateKey key, long nonce, Payload payload) {
        return signFor(CHAIN_ID, key, nonce, payload);
    }

    static SignedTransaction signFor(String chainId, PrivateKey key, long nonce, Payload payload) {
        return SignedTransaction.sign(new TransactionBody(chainId, key.publicKey(), nonce, payload), key);
    }

    void forgetPendingNonces() {
        pendingProposals = 0;
        pendingNonces.clear();
    }

    // ---------------------------------------------------------------- transactions

    SignedTransaction transfer(PrivateKey from, PrivateKey to, long amount) {
        return sign(from, new Payload.Transfer(to.publicKey(), amount));
    }

    static Hash modelHash(String name) {
        return Sha256.digest(Bytes.utf8("model file:" + name));
    }

    SignedTransaction registerModel(PrivateKey owner, Hash model, String name, long computeUnits) {
        return sign(owner, new Payload.RegisterModel(model, name, "text", "text", computeUnits,
                new InputSchema.Utf8Text(1, ledger.state().params().maxInputBytes())));
    }

    static Hardware hardware() {
        return new Hardware("H100", 1, "EPYC", 16);
    }

    /** A node whose capacity ({@link StakingRules#MAX_CAPACITY}) never limits a test that is not about capacity. */
    SignedTransaction registerNode(PrivateKey node, long stake, List<Hash> models, VerificationMode... modes) {
        return registerNode(node, stake, StakingRules.MAX_CAPACITY, models, modes);
    }

    SignedTransaction registerNode(PrivateKey node, long stake, int capacity, List<Hash> models, VerificationMode... modes) {
        return sign(node, new Payload.RegisterNode(stake, models, List.of(modes), hardware(), capacity));
    }

    /** SEV-SNP evidence from {@code platform} whose report data binds {@code enclave} to {@code node} on the test chain. */
    static byte[] attestation(DevSevSnpPlatform platform, Measurement measurement, PublicKey enclave, PublicKey node) {
        return attestation(platform, measurement, EnclaveBinding.reportData(CHAIN_ID, enclave, node),
                DevSevSnpPlatform.DEFAULT_POLICY);
    }

    static byte[] attestation(DevSevSnpPlatform platform, Measurement measurement, byte[] reportData, long policy) {
        return new AttestationEvidence.SevSnp(platform.report(reportData, measurement.bytes(), policy), platform.vcekDer(),
                List.of(platform.askDer())).encode();
    }

    /** Registers {@code enclave} for {@code node} with valid evidence from the trusted development platform. */
    SignedTransaction registerEnclave(PrivateKey node, PrivateKey enclave) {
        return sign(node, new Payload.RegisterEnclave(enclave.publicKey(),
                attestation(PLATFORM, MEASUREMENT, enclave.publicKey(), node.publicKey())));
    }

    EnclaveRecord enclave(PrivateKey enclave) {
        EnclaveRecord e = ledger.state().enclaves.get(enclave.publicKey());
        if (e == null) {
            throw new AssertionError("enclave " + enclave.publicKey().hex() + " is not registered");
        }
        return e;
    }

    /** A governance proposal with the next number, approved by {@code approvers} (default: the genesis governor), sent by Alice. */
    SignedTransaction govern(GovernanceAction action, PrivateKey... approvers) {
        long proposal = ledger.state().global(LedgerState.GLOBAL_NEXT_PROPOSAL) + pendingProposals++;
        return sign(ALICE, governPayload(proposal, action, approvers.length == 0 ? new PrivateKey[] {GOVERNOR} : approvers));
    }

    static Payload.Govern governPayload(long proposal, GovernanceAction action, PrivateKey... approvers) {
        byte[] signed = GovernanceCodec.signingBytes(CHAIN_ID, proposal, action);
        List<Approval> approvals = new ArrayList<>();
        for (PrivateKey k : approvers) {
            approvals.add(new Approval(k.publicKey(), k.sign(signed)));
        }
        return new Payload.Govern(proposal, action, approvals);
    }

    /** A fresh input each call, so every job differs even with the same parameters. */
    byte[] nextInput() {
        return Bytes.utf8("input #" + (++inputCounter));
    }

    SignedTransaction submitJob(PrivateKey client, Hash model, VerificationMode mode, List<VerificationMode> fallbacks,
                                long maxFee, long deadlineBlocks) {
        return submitJob(client, model, nextInput(), mode, fallbacks, maxFee, deadlineBlocks);
    }

    SignedTransaction submitJob(PrivateKey client, Hash model, byte[] input, VerificationMode mode,
                                List<VerificationMode> fallbacks, long maxFee, long deadlineBlocks) {
        return sign(client, new Payload.SubmitJob(model, input, mode, fallbacks, maxFee, deadlineBlocks));
    }

    SignedTransaction submitJob(PrivateKey client, Hash model, VerificationMode mode, long maxFee) {
        return submitJob(client, model, mode, List.of(), maxFee, DEFAULT_DEADLINE_BLOCKS);
    }

    /** The price of a job without tip on a registered model in a mode, at the current base price. */
    long fee(Hash model, VerificationMode mode) {
        return Pricing.fee(params(), ledger.state().models.get(model).computeUnits(), mode, FeeMarket.basePrice(ledger.state()), 0);
    }

    /** A job, live or finished. */
    JobRecord job(Hash jobId) {
        JobRecord j = ledger.state().jobs.get(jobId);
        if (j == null && retired.containsKey(jobId)) {
            j = retired.get(jobId).job();
        }
        if (j == null) {
            throw new AssertionError("no job " + jobId.hex());
        }
        return j;
    }

    /** A job's input, live or finished. */
    byte[] input(Hash jobId) {
        byte[] live = ledger.state().jobInputs.get(jobId);
        return live != null || !retired.containsKey(jobId) ? live : retired.get(jobId).input();
    }

    /** A job's posted output, live or finished. */
    byte[] output(Hash jobId) {
        byte[] live = ledger.state().jobOutputs.get(jobId);
        return live != null || !retired.containsKey(jobId) ? live : retired.get(jobId).output();
    }

    /** A job's failure report, live or finished. */
    JobFailure failure(Hash jobId) {
        JobFailure live = ledger.state().jobFailures.get(jobId);
        return live != null || !retired.containsKey(jobId) ? live : retired.get(jobId).failure();
    }

    /** Every job, live and finished, by id. */
    List<JobRecord> allJobs() {
        Map<Hash, JobRecord> all = new TreeMap<>();
        retired.forEach((id, r) -> all.put(id, r.job()));
        for (JobRecord j : ledger.state().jobs.values()) {
            all.put(j.id(), j);
        }
        return new ArrayList<>(all.values());
    }

    PublicKey assignedNode(Hash jobId) {
        JobRecord j = job(jobId);
        if (j.status() != JobStatus.ASSIGNED) {
            throw new AssertionError("job " + jobId.hex() + " is " + j.status() + ", not assigned");
        }
        return j.assignedNode();
    }

    /**
     * The result of a job from the node it is assigned to, with the evidence its current mode needs
     * (nothing for NONE; the node's registered enclave key's signature for TEE).
     */
    SignedTransaction postResult(Hash jobId, byte[] output) {
        JobRecord j = job(jobId);
        PrivateKey node = privateKeyOf(assignedNode(jobId));
        byte[] evidence = switch (j.mode()) {
            case NONE -> new byte[0];
            case TEE -> {
                NodeRecord n = ledger.state().nodes.get(node.publicKey());
                yield teeEvidence(privateKeyOf(n.enclaveKey()), j, output).bytes();
            }
            default -> throw new IllegalStateException("no evidence helper for " + j.mode());
        };
        return resultFrom(node, jobId, output, evidence);
    }

    SignedTransaction resultFrom(PrivateKey node, Hash jobId, byte[] output, byte[] evidence) {
        return sign(node, new Payload.SubmitResult(jobId, output, evidence));
    }

    static Signature teeEvidence(PrivateKey enclave, JobRecord job, byte[] output) {
        return enclave.sign(new TeeResultStatement(job.id(), job.model(), job.inputHash(), Sha256.digest(output)).signingBytes());
    }

    // ---------------------------------------------------------------- reading state

    long balance(PrivateKey k) {
        return ledger.state().account(k.publicKey()).balance();
    }

    long balance(PublicKey k) {
        return ledger.state().account(k).balance();
    }

    NodeRecord node(PrivateKey k) {
        return ledger.state().nodes.get(k.publicKey());
    }

    long treasury() {
        return ledger.state().global(LedgerState.GLOBAL_TREASURY);
    }

    Map<PublicKey, Account> accounts() {
        Map<PublicKey, Account> out = new TreeMap<>();
        for (Map.Entry<PublicKey, Account> row : ledger.state().accounts.rows()) {
            out.put(row.getKey(), row.getValue());
        }
        return out;
    }

    List<LedgerEvent> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    List<LedgerEvent> events(EventType type, Hash job) {
        return events.stream().filter(e -> e.type() == type && job.equals(e.job())).toList();
    }

    /**
     * Every base unit the ledger holds: account balances, node stakes, unbonding stake, the treasury,
     * the escrowed max fee of every job not yet settled or expired, challenger bonds, and validator stake
     * (bonded in the set and unbonding). No rule creates or destroys
     * base units, so this never changes.
     */
    static long totalSupply(LedgerState s) {
        long total = 0;
        for (Account a : s.accounts.values()) {
            total = Math.addExact(total, a.balance());
        }
        for (NodeRecord n : s.nodes.values()) {
            total = Math.addExact(total, n.stake());
            for (Unbonding u : n.unbonding()) {
                total = Math.addExact(total, u.amount());
            }
        }
        total = Math.addExact(total, s.global(LedgerState.GLOBAL_TREASURY));
        for (JobRecord j : s.jobs.values()) {
            if (j.status() == JobStatus.QUEUED || j.status() == JobStatus.ASSIGNED || j.status() == JobStatus.VERIFYING
                    || j.status() == JobStatus.DISPUTED) {
                total = Math.addExact(total, j.maxFee());
            }
        }
        for (DisputeRecord d : s.disputes.values()) {
            total = Math.addExact(total, d.bond());
        }
        for (ValidatorInfo v : s.validatorSet().members()) {
            total = Math.addExact(total, v.stake());
        }
        for (ValidatorUnbonding v : s.validatorUnbonding.values()) {
            for (Unbonding u : v.entries()) {
                total = Math.addExact(total, u.amount());
            }
        }
        return total;
    }

    static byte[] flipBit(byte[] b, int index, int bit) {
        byte[] out = Arrays.copyOf(b, b.length);
        out[index] ^= (byte) (1 << bit);
        return out;
    }
}
