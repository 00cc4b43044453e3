package dev.verity.bench;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.evidence.TeeBatchStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.ledger.state.LedgerState;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.protocol.tx.TransactionCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A steady TEE load for the ledger: every block carries {@code jobsPerBlock} new jobs in client batches
 * ({@code SubmitJobs}) and the TEE results of the jobs assigned at the end of the block before, one
 * {@code SubmitResults} per node and chunk, each chunk covered by one enclave signature over its statements' root.
 * So each block settles as many jobs as it submits. Transactions are signed here, encoded and decoded again, so the
 * ledger sees them as a validator does after reading a block; every signature is checked by the ledger.
 */
final class SettlementLoad {
    static final String CHAIN = "verity-bench";
    static final long GENESIS_TIME = 1_700_000_000_000L;
    static final int JOBS_PER_TX = 1000;
    static final int RESULTS_PER_TX = 128;
    static final int OUTPUT_BYTES = 1536;

    final PrivateKey validator = PrivateKey.deterministic("validator");
    final PrivateKey client = PrivateKey.deterministic("client");
    final List<PrivateKey> nodes = new ArrayList<>();
    final Map<PublicKey, PrivateKey> enclaveOf = new TreeMap<>();
    final Hash model = Sha256.digest(Bytes.utf8("bench model"));
    final Genesis genesis;
    private final DevSevSnpPlatform platform = DevSevSnpPlatform.generate(
            Instant.ofEpochMilli(GENESIS_TIME).minus(Duration.ofDays(1)), Duration.ofDays(3650), new SeededRandom("bench platform"));
    private final Measurement measurement = new Measurement(Arrays.copyOf(Sha256.digest(Bytes.utf8("bench build")).bytes(),
            Measurement.LENGTH));
    private final byte[] output = new byte[OUTPUT_BYTES];
    private final Hash outputHash = Sha256.digest(output);
    private final Map<PublicKey, Long> nonces = new TreeMap<>();
    private final int jobsPerBlock;
    private long inputCounter;
    private long height;
    private Hash previous;
    /** Jobs assigned at the end of the last block, by node: the next block answers them. */
    private Map<PublicKey, List<Hash>> assigned = new LinkedHashMap<>();
    private final Map<Hash, Hash> inputHashes = new TreeMap<>();

    SettlementLoad(int jobsPerBlock) {
        this(jobsPerBlock, Math.max(1, (2 * jobsPerBlock + StakingRules.MAX_CAPACITY - 1) / StakingRules.MAX_CAPACITY), null,
                List.of());
    }

    /**
     * A load for a chain of several validators ({@link ReplicatedSettlement}): the genesis names {@code validators} (null:
     * the one bench validator, unfunded, as {@link #SettlementLoad(int)} makes it) and funds their accounts, the client,
     * the {@code nodeCount} nodes and the accounts in {@code funded}.
     */
    SettlementLoad(int jobsPerBlock, int nodeCount, List<ValidatorInfo> validators, List<PublicKey> funded) {
        this.jobsPerBlock = jobsPerBlock;
        for (int i = 0; i < nodeCount; i++) {
            PrivateKey n = PrivateKey.deterministic("node " + i);
            nodes.add(n);
            enclaveOf.put(n.publicKey(), PrivateKey.deterministic("enclave " + i));
        }
        List<Genesis.Allocation> funds = new ArrayList<>();
        funds.add(new Genesis.Allocation(client.publicKey(), Long.MAX_VALUE / 4));
        for (PrivateKey n : nodes) {
            funds.add(new Genesis.Allocation(n.publicKey(), 100_000 * Params.BASE_UNITS_PER_TOKEN));
        }
        if (validators != null) {
            for (ValidatorInfo v : validators) {
                funds.add(new Genesis.Allocation(v.key(), 100_000 * Params.BASE_UNITS_PER_TOKEN));
            }
        }
        for (PublicKey account : funded) {
            funds.add(new Genesis.Allocation(account, Long.MAX_VALUE / 64));
        }
        List<ValidatorInfo> set = validators != null ? validators : List.of(Genesis.validator(validator.publicKey()));
        genesis = new Genesis(CHAIN, GENESIS_TIME, Params.defaults(), funds, set, Council.single(set.getFirst().key()),
                List.of(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform.arkDer())),
                List.of(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, measurement, "bench")), List.of());
    }

    /** A fresh ledger over {@code state} with the model, nodes and enclaves registered (two blocks). */
    Ledger start(LedgerState state, java.util.function.Consumer<Ledger> afterBlock) {
        Ledger ledger = Ledger.fromGenesis(genesis, EvidenceVerifiers.standard(), state);
        afterBlock.accept(ledger);
        previous = genesis.hash();
        height = 0;
        nonces.clear();
        expectAllApplied(produce(ledger, List.of(modelRegistration())));
        afterBlock.accept(ledger);
        expectAllApplied(produce(ledger, nodeRegistrations()));
        afterBlock.accept(ledger);
        assigned = new LinkedHashMap<>();
        return ledger;
    }

    /** The client's registration of the bench model (the first block of the load). */
    SignedTransaction modelRegistration() {
        return sign(client, new Payload.RegisterModel(model, "bench", "bytes", "bytes", 1_000_000));
    }

    /** Every node's registration (serving the model, NONE and TEE) and its enclave's, attested (the second block). */
    List<SignedTransaction> nodeRegistrations() {
        List<SignedTransaction> setup = new ArrayList<>();
        for (PrivateKey n : nodes) {
            setup.add(sign(n, new Payload.RegisterNode(Params.defaults().minStake(), List.of(model),
                    List.of(VerificationMode.NONE, VerificationMode.TEE), Hardware.cpuOnly("bench", 1), StakingRules.MAX_CAPACITY)));
            PrivateKey enclave = enclaveOf.get(n.publicKey());
            byte[] reportData = EnclaveBinding.reportData(CHAIN, enclave.publicKey(), n.publicKey());
            setup.add(sign(n, new Payload.RegisterEnclave(enclave.publicKey(), new AttestationEvidence.SevSnp(
                    platform.report(reportData, measurement.bytes()), platform.vcekDer(), List.of(platform.askDer())).encode())));
        }
        return setup;
    }

    /** A TEE job of the bench model for {@code input}, as the load submits it. */
    Payload.SubmitJob teeJob(byte[] input) {
        return new Payload.SubmitJob(model, input, VerificationMode.TEE, List.of(), Params.BASE_UNITS_PER_TOKEN, 100);
    }

    /**
     * The TEE results of {@code jobs} (at most {@link #RESULTS_PER_TX}), all assigned to {@code node}: each job's output
     * under one enclave signature over the batch's statements; {@code inputHash} gives each job's input hash.
     */
    Payload.SubmitResults teeResults(PublicKey node, List<Hash> jobs, java.util.function.Function<Hash, Hash> inputHash) {
        PrivateKey enclave = enclaveOf.get(node);
        List<Payload.SubmitResult> results = new ArrayList<>(jobs.size());
        List<TeeResultStatement> statements = new ArrayList<>(jobs.size());
        for (Hash job : jobs) {
            results.add(new Payload.SubmitResult(job, output, new byte[0]));
            statements.add(new TeeResultStatement(job, model, inputHash.apply(job), outputHash));
        }
        byte[] signature = enclave.sign(TeeBatchStatement.of(statements).signingBytes()).bytes();
        return new Payload.SubmitResults(results, signature);
    }

    /** The transactions of the next block: new jobs, and the results of the jobs assigned at the end of the last one. */
    List<SignedTransaction> nextBlock() {
        List<SignedTransaction> txs = new ArrayList<>();
        for (Map.Entry<PublicKey, List<Hash>> e : assigned.entrySet()) {
            PrivateKey node = nodeKey(e.getKey());
            List<Hash> jobs = e.getValue();
            for (int from = 0; from < jobs.size(); from += RESULTS_PER_TX) {
                List<Hash> chunk = jobs.subList(from, Math.min(jobs.size(), from + RESULTS_PER_TX));
                txs.add(sign(node, teeResults(e.getKey(), chunk, inputHashes::remove)));
            }
        }
        for (int from = 0; from < jobsPerBlock; from += JOBS_PER_TX) {
            int n = Math.min(JOBS_PER_TX, jobsPerBlock - from);
            List<Payload.SubmitJob> jobs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                jobs.add(teeJob(Bytes.utf8("input " + inputCounter++)));
            }
            SignedTransaction tx = sign(client, new Payload.SubmitJobs(jobs));
            for (int i = 0; i < n; i++) {
                inputHashes.put(Payload.SubmitJobs.jobId(tx.hash(), i), Sha256.digest(jobs.get(i).input()));
            }
            txs.add(tx);
        }
        List<SignedTransaction> decoded = new ArrayList<>(txs.size());
        for (SignedTransaction tx : txs) {
            decoded.add(TransactionCodec.decode(tx.encoded()));
        }
        return decoded;
    }

    /** Produces a block from {@code txs}, remembers what it assigned, and returns it; throws if anything was refused. */
    BlockExecution.Produced produce(Ledger ledger, List<SignedTransaction> txs) {
        height++;
        BlockExecution.Produced p = BlockExecution.produce(ledger, txs, height, previous, GENESIS_TIME + height * 1_000, validator);
        previous = p.block().hash();
        Map<PublicKey, List<Hash>> next = new LinkedHashMap<>();
        for (LedgerEvent e : p.events()) {
            if (e.type() == EventType.JOB_ASSIGNED) {
                next.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(e.job());
            }
        }
        assigned = next;
        return p;
    }

    /**
     * Replaces what {@link #produce} remembers with the assignments of a block produced elsewhere (a validator's
     * {@code JOB_ASSIGNED} events), so that {@link #nextBlock} answers them.
     */
    void assigned(Map<PublicKey, List<Hash>> byNode) {
        assigned = new LinkedHashMap<>(byNode);
    }

    static BlockExecution.Produced expectAllApplied(BlockExecution.Produced p) {
        if (!p.refused().isEmpty()) {
            var r = p.refused().getFirst();
            throw new IllegalStateException(p.refused().size() + " transactions refused in block " + p.block().height()
                    + ", the first: " + r.reason().code() + " " + r.reason().getMessage());
        }
        return p;
    }

    static long settled(BlockExecution.Produced p) {
        return p.events().stream().filter(e -> e.type() == EventType.JOB_SETTLED).count();
    }

    private PrivateKey nodeKey(PublicKey key) {
        for (PrivateKey n : nodes) {
            if (n.publicKey().equals(key)) {
                return n;
            }
        }
        throw new IllegalStateException("no bench node " + key.hex());
    }

    private SignedTransaction sign(PrivateKey key, Payload payload) {
        long nonce = nonces.merge(key.publicKey(), 1L, Long::sum) - 1;
        return SignedTransaction.sign(new TransactionBody(CHAIN, key.publicKey(), nonce, payload), key);
    }
}
