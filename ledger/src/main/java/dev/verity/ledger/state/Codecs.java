package dev.verity.ledger.state;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import java.util.List;

/** Canonical encodings of the state's keys and values. */
public final class Codecs {
    private Codecs() {}

    private static final int MAX = 1 << 16;

    public static final Codec<Hash> HASH = new Codec<>() {
        public void write(Encoder e, Hash v) { e.hash(v); }
        public Hash read(Decoder d) { return d.hash("hash"); }
    };

    public static final Codec<PublicKey> KEY = new Codec<>() {
        public void write(Encoder e, PublicKey v) { e.publicKey(v); }
        public PublicKey read(Decoder d) { return d.publicKey("key"); }
    };

    public static final Codec<Long> U64 = new Codec<>() {
        public void write(Encoder e, Long v) { e.u64(v); }
        public Long read(Decoder d) { return d.u64("number"); }
    };

    public static final Codec<String> TEXT = new Codec<>() {
        public void write(Encoder e, String v) { e.string(v); }
        public String read(Decoder d) { return d.string("text", MAX); }
    };

    public static final Codec<byte[]> BLOB = new Codec<>() {
        public void write(Encoder e, byte[] v) { e.bytes(v); }
        public byte[] read(Decoder d) { return d.bytes("blob", 1 << 24); }
        public byte[] encode(byte[] v) { return new Encoder(4 + v.length).bytes(v).toByteArray(); }
    };

    public static final Codec<Params> PARAMS = new Codec<>() {
        public void write(Encoder e, Params v) { v.encode(e); }
        public Params read(Decoder d) { return Params.decode(d); }
    };

    public static final Codec<Account> ACCOUNT = new Codec<>() {
        public void write(Encoder e, Account v) { e.u64(v.balance()).u64(v.nonce()); }
        public Account read(Decoder d) { return new Account(d.u64("balance"), d.u64("nonce")); }
    };

    /** Stored as (MAX - tip, seq) so the storage order is the queue order too. */
    public static final Codec<QueueKey> QUEUE_KEY = new Codec<>() {
        public void write(Encoder e, QueueKey k) { e.u64(Long.MAX_VALUE - k.tip()).u64(k.seq()); }
        public QueueKey read(Decoder d) { return new QueueKey(Long.MAX_VALUE - d.u64("tip rank"), d.u64("seq")); }
    };

    public static final Codec<DeadlineKey> DEADLINE = new Codec<>() {
        public void write(Encoder e, DeadlineKey v) { e.u64(v.height()).hash(v.job()); }
        public DeadlineKey read(Decoder d) { return new DeadlineKey(d.u64("height"), d.hash("job")); }
    };

    static void optionalKey(Encoder e, PublicKey k) {
        e.bool(k != null);
        if (k != null) {
            e.publicKey(k);
        }
    }

    static PublicKey optionalKey(Decoder d) {
        return d.bool("key present") ? d.publicKey("key") : null;
    }

    static void optionalHash(Encoder e, Hash h) {
        e.bool(h != null);
        if (h != null) {
            e.hash(h);
        }
    }

    static Hash optionalHash(Decoder d) {
        return d.bool("hash present") ? d.hash("hash") : null;
    }

    static void modes(Encoder e, List<VerificationMode> modes) {
        e.list(modes, (x, m) -> x.u8(m.code()));
    }

    static List<VerificationMode> modes(Decoder d) {
        return d.list("modes", 16, x -> VerificationMode.fromCode(x.u8("mode")));
    }

    public static final Codec<NodeRecord> NODE = new Codec<>() {
        public void write(Encoder e, NodeRecord n) {
            e.publicKey(n.id()).u64(n.stake()).list(n.models(), Encoder::hash);
            modes(e, n.modes());
            Hardware h = n.hardware();
            e.string(h.gpuModel()).u32(h.gpuCount()).string(h.cpuModel()).u32(h.cpuCount());
            e.u8(n.status().code()).u64(n.jailedUntil()).u32(n.missedDeadlines());
            e.list(n.unbonding(), (x, u) -> x.u64(u.amount()).u64(u.releaseHeight()));
            optionalKey(e, n.enclaveKey());
            e.u64(n.registeredAt()).u64(n.earned()).u64(n.penalized()).u64(n.jobsCompleted()).u32(n.capacity()).u32(n.inFlight());
        }

        public NodeRecord read(Decoder d) {
            return new NodeRecord(d.publicKey("id"), d.u64("stake"), d.list("models", MAX, x -> x.hash("model")), modes(d),
                    new Hardware(d.string("gpu", MAX), (int) d.u32("gpus"), d.string("cpu", MAX), (int) d.u32("cpus")),
                    NodeStatus.fromCode(d.u8("node status")), d.u64("jailedUntil"), (int) d.u32("missed"),
                    d.list("unbonding", MAX, x -> new Unbonding(x.u64("amount"), x.u64("release"))), optionalKey(d),
                    d.u64("registeredAt"), d.u64("earned"), d.u64("penalized"), d.u64("jobsCompleted"),
                    (int) d.u32("capacity"), (int) d.u32("inFlight"));
        }
    };

    public static final Codec<ModelRecord> MODEL = new Codec<>() {
        public void write(Encoder e, ModelRecord m) {
            e.hash(m.id()).publicKey(m.owner()).string(m.name()).string(m.inputDescription()).string(m.outputDescription())
                    .u64(m.computeUnits());
            InputSchema.write(e, m.inputSchema());
            e.u64(m.registeredAt());
        }

        public ModelRecord read(Decoder d) {
            return new ModelRecord(d.hash("id"), d.publicKey("owner"), d.string("name", MAX), d.string("input", MAX),
                    d.string("output", MAX), d.u64("computeUnits"), InputSchema.read(d), d.u64("registeredAt"));
        }
    };

    public static final Codec<JobRecord> JOB = new Codec<>() {
        public void write(Encoder e, JobRecord j) {
            e.hash(j.id()).publicKey(j.client()).hash(j.model()).hash(j.inputHash()).u8(j.mode().code());
            modes(e, j.fallbackModes());
            e.u64(j.maxFee()).u64(j.fee()).u64(j.basePrice()).u64(j.tip()).u64(j.deadlineBlocks()).u8(j.status().code());
            optionalKey(e, j.assignedNode());
            e.u64(j.assignedAt()).u64(j.deadlineHeight()).u32(j.reassignments()).list(j.missedBy(), Encoder::publicKey);
            e.u64(j.submittedAt()).u64(j.queuedAt());
            optionalHash(e, j.outputHash());
            e.u64(j.settledAt());
        }

        public JobRecord read(Decoder d) {
            return new JobRecord(d.hash("id"), d.publicKey("client"), d.hash("model"), d.hash("input"),
                    VerificationMode.fromCode(d.u8("mode")), modes(d), d.u64("maxFee"), d.u64("fee"), d.u64("basePrice"), d.u64("tip"), d.u64("deadlineBlocks"),
                    JobStatus.fromCode(d.u8("job status")), optionalKey(d), d.u64("assignedAt"), d.u64("deadlineHeight"),
                    (int) d.u32("reassignments"), d.list("missedBy", MAX, x -> x.publicKey("node")), d.u64("submittedAt"),
                    d.u64("queuedAt"), optionalHash(d), d.u64("settledAt"));
        }
    };

    public static final Codec<JobFailure> JOB_FAILURE = new Codec<>() {
        public void write(Encoder e, JobFailure f) {
            e.u8(f.reason().code()).string(f.message()).publicKey(f.node()).u64(f.height());
        }

        public JobFailure read(Decoder d) {
            return new JobFailure(FailureReason.fromCode(d.u8("failure reason")), d.string("failure message", MAX),
                    d.publicKey("node"), d.u64("height"));
        }
    };

    /** A finished job as the validator archives it (not part of the state root). */
    public static final Codec<RetiredJob> RETIRED_JOB = new Codec<>() {
        public void write(Encoder e, RetiredJob r) {
            JOB.write(e, r.job());
            e.bool(r.input() != null);
            if (r.input() != null) e.bytes(r.input());
            e.bool(r.output() != null);
            if (r.output() != null) e.bytes(r.output());
            e.bool(r.failure() != null);
            if (r.failure() != null) JOB_FAILURE.write(e, r.failure());
        }

        public RetiredJob read(Decoder d) {
            JobRecord job = JOB.read(d);
            byte[] input = d.bool("input present") ? d.bytes("input", 1 << 24) : null;
            byte[] output = d.bool("output present") ? d.bytes("output", 1 << 24) : null;
            JobFailure failure = d.bool("failure present") ? JOB_FAILURE.read(d) : null;
            return new RetiredJob(job, input, output, failure);
        }
    };

    public static final Codec<EnclaveRecord> ENCLAVE = new Codec<>() {
        public void write(Encoder e, EnclaveRecord r) {
            e.publicKey(r.enclaveKey()).publicKey(r.node());
            GovernanceCodec.type(e, r.type());
            e.fixed(r.measurement().bytes()).bytes(r.chipId());
            GovernanceCodec.writeTcb(e, r.tcb());
            e.hash(r.rootId()).hash(r.attestationHash()).u64(r.registeredAt());
        }

        public EnclaveRecord read(Decoder d) {
            return new EnclaveRecord(d.publicKey("enclave"), d.publicKey("node"), GovernanceCodec.type(d),
                    GovernanceCodec.measurement(d), d.bytes("chip id", 64), GovernanceCodec.readTcb(d), d.hash("root"),
                    d.hash("attestation"), d.u64("registeredAt"));
        }
    };

    public static final Codec<Collateral> COLLATERAL = new Codec<>() {
        public void write(Encoder e, Collateral c) { GovernanceCodec.writeCollateral(e, c); }
        public Collateral read(Decoder d) { return GovernanceCodec.readCollateral(d); }
    };

    public static final Codec<MeasurementKey> MEASUREMENT_KEY = new Codec<>() {
        public void write(Encoder e, MeasurementKey k) {
            GovernanceCodec.type(e, k.type());
            e.fixed(k.measurement().bytes());
        }

        public MeasurementKey read(Decoder d) {
            return new MeasurementKey(GovernanceCodec.type(d), GovernanceCodec.measurement(d));
        }
    };

    public static final Codec<RevocationRecord> REVOCATION = new Codec<>() {
        public void write(Encoder e, RevocationRecord r) {
            GovernanceCodec.writeTarget(e, r.target());
            e.string(r.reason()).u64(r.height());
        }

        public RevocationRecord read(Decoder d) {
            return new RevocationRecord(GovernanceCodec.readTarget(d), d.string("reason", MAX), d.u64("height"));
        }
    };

    public static final Codec<TcbVersion> TCB = new Codec<>() {
        public void write(Encoder e, TcbVersion v) { GovernanceCodec.writeTcb(e, v); }
        public TcbVersion read(Decoder d) { return GovernanceCodec.readTcb(d); }
    };

    public static final Codec<Council> COUNCIL = new Codec<>() {
        public void write(Encoder e, Council c) { GovernanceCodec.writeCouncil(e, c); }
        public Council read(Decoder d) { return GovernanceCodec.readCouncil(d); }
    };

    /** The active validator set: its canonical encoding ({@link ValidatorSet#encode}), the bytes its hash covers. */
    public static final Codec<ValidatorSet> VALIDATOR_SET = new Codec<>() {
        public void write(Encoder e, ValidatorSet v) { v.encode(e); }
        public ValidatorSet read(Decoder d) { return ValidatorSet.decode(d); }
    };

    public static final Codec<ValidatorUnbonding> VALIDATOR_UNBONDING = new Codec<>() {
        public void write(Encoder e, ValidatorUnbonding v) {
            e.list(v.entries(), (x, u) -> x.u64(u.amount()).u64(u.releaseHeight()));
        }

        public ValidatorUnbonding read(Decoder d) {
            return new ValidatorUnbonding(d.list("validator unbonding", ValidatorUnbonding.MAX_ENTRIES,
                    x -> new Unbonding(x.u64("amount"), x.u64("release"))));
        }
    };

    public static final Codec<EquivocationKey> EQUIVOCATION_KEY = new Codec<>() {
        public void write(Encoder e, EquivocationKey k) { e.publicKey(k.validator()).u64(k.height()); }
        public EquivocationKey read(Decoder d) { return new EquivocationKey(d.publicKey("validator"), d.u64("height")); }
    };

    public static final Codec<EquivocationRecord> EQUIVOCATION = new Codec<>() {
        public void write(Encoder e, EquivocationRecord r) { e.u64(r.slashed()).publicKey(r.reporter()).u64(r.reportedAt()); }
        public EquivocationRecord read(Decoder d) {
            return new EquivocationRecord(d.u64("slashed"), d.publicKey("reporter"), d.u64("reportedAt"));
        }
    };
}
