package dev.verity.protocol.tx;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Signature;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.schema.InputSchema;
import java.util.List;

/**
 * The canonical transaction encoding (see docs/PROTOCOL.md):
 * {@code chainId:string sender:32 nonce:u64 tag:u8 payload... signature:64}, the tag a {@link PayloadTag}.
 */
public final class TransactionCodec {
    /** Decoding limits that hold whatever the chain parameters say; parameters can only lower them. */
    public static final int MAX_BYTES_FIELD = 1 << 20;
    public static final int MAX_TEXT = 1024;
    public static final int MAX_LIST = 64;

    private static final byte[] DOMAIN = Bytes.utf8("verity-tx-v1");

    private TransactionCodec() {}

    static byte[] signingBytes(TransactionBody body) {
        Encoder e = new Encoder(256);
        e.fixed(DOMAIN);
        writeBody(e, body);
        return e.toByteArray();
    }

    static byte[] encode(TransactionBody body, Signature signature) {
        Encoder e = new Encoder(256);
        writeBody(e, body);
        e.signature(signature);
        return e.toByteArray();
    }

    /** Parses transaction bytes; any malformation is a {@link DecodingException} saying where. */
    public static SignedTransaction decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        String chainId = d.string("chain id", 64);
        var sender = d.publicKey("sender");
        long nonce = d.u64("nonce");
        Payload payload = readPayload(d);
        Signature sig = d.signature("signature");
        d.end("transaction");
        return new SignedTransaction(new TransactionBody(chainId, sender, nonce, payload), sig, bytes.clone());
    }

    private static void writeBody(Encoder e, TransactionBody body) {
        e.string(body.chainId()).publicKey(body.sender()).u64(body.nonce());
        writePayload(e, body.payload());
    }

    private static void writeModes(Encoder e, List<VerificationMode> modes) {
        e.list(modes, (enc, m) -> enc.u8(m.code()));
    }

    private static List<VerificationMode> readModes(Decoder d, String what) {
        return d.list(what, MAX_LIST, x -> VerificationMode.fromCode(x.u8(what)));
    }

    private static void writePayload(Encoder e, Payload p) {
        switch (p) {
            case Payload.Transfer t -> e.u8(PayloadTag.TRANSFER).publicKey(t.to()).u64(t.amount());
            case Payload.RegisterNode r -> {
                e.u8(PayloadTag.REGISTER_NODE).u64(r.stake()).list(r.models(), Encoder::hash);
                writeModes(e, r.modes());
                Hardware h = r.hardware();
                e.string(h.gpuModel()).u32(h.gpuCount()).string(h.cpuModel()).u32(h.cpuCount()).u32(r.capacity());
            }
            case Payload.Bond b -> e.u8(PayloadTag.BOND).u64(b.amount());
            case Payload.Unbond u -> e.u8(PayloadTag.UNBOND).u64(u.amount());
            case Payload.Withdraw w -> e.u8(PayloadTag.WITHDRAW);
            case Payload.Unjail u -> e.u8(PayloadTag.UNJAIL);
            case Payload.RegisterModel m -> {
                e.u8(PayloadTag.REGISTER_MODEL).hash(m.modelHash()).string(m.name()).string(m.inputDescription())
                    .string(m.outputDescription()).u64(m.computeUnits());
                InputSchema.write(e, m.inputSchema());
            }
            case Payload.RegisterEnclave r ->
                    e.u8(PayloadTag.REGISTER_ENCLAVE).publicKey(r.enclaveKey()).bytes(r.attestation());
            case Payload.SubmitJob j -> writeJob(e.u8(PayloadTag.SUBMIT_JOB), j);
            case Payload.SubmitResult r -> writeResult(e.u8(PayloadTag.SUBMIT_RESULT), r);
            case Payload.SubmitJobs b -> e.u8(PayloadTag.SUBMIT_JOBS).list(b.jobs(), TransactionCodec::writeJob);
            case Payload.SubmitResults b -> e.u8(PayloadTag.SUBMIT_RESULTS).list(b.results(), TransactionCodec::writeResult)
                    .bytes(b.teeBatchSignature());
            case Payload.Govern g -> {
                e.u8(PayloadTag.GOVERN).u64(g.proposal());
                GovernanceCodec.writeAction(e, g.action());
                e.list(g.approvals(), (x, a) -> x.publicKey(a.member()).signature(a.signature()));
            }
            case Payload.RegisterProgram r -> e.u8(PayloadTag.REGISTER_PROGRAM).hash(r.model()).hash(r.programRoot())
                    .u64(r.leafCount()).u64(r.stepCount());
            case Payload.Challenge c -> e.u8(PayloadTag.CHALLENGE).hash(c.jobId()).bytes(c.output()).bytes(c.evidence());
            case Payload.DisputeMove m -> e.u8(PayloadTag.DISPUTE_MOVE).hash(m.jobId()).hash(m.left()).hash(m.right());
            case Payload.ProveStep s -> e.u8(PayloadTag.PROVE_STEP).hash(s.jobId()).hash(s.previousValue())
                    .list(s.previousPath(), Encoder::hash).bytes(s.witness());
            case Payload.AuditReport a ->
                    e.u8(PayloadTag.AUDIT_REPORT).hash(a.jobId()).bytes(a.output()).bytes(a.evidence());
            case Payload.SubmitFailure f -> e.u8(PayloadTag.SUBMIT_FAILURE).hash(f.jobId()).u8(f.reason().code())
                    .string(f.message()).bytes(f.evidence());
            case Payload.SetCapacity c -> e.u8(PayloadTag.SET_CAPACITY).u32(c.capacity());
            case Payload.ValidatorBond b -> e.u8(PayloadTag.VALIDATOR_BOND).u64(b.amount()).string(b.peerAddress())
                    .string(b.apiUrl());
            case Payload.ValidatorLeave l -> e.u8(PayloadTag.VALIDATOR_LEAVE);
            case Payload.SetNodeEndpoint n -> e.u8(PayloadTag.SET_NODE_ENDPOINT).string(n.url());
            case Payload.ReportEquivocation r -> {
                e.u8(PayloadTag.REPORT_EQUIVOCATION);
                r.first().encode(e);
                r.second().encode(e);
            }
        }
    }


    private static void writeJob(Encoder e, Payload.SubmitJob j) {
        e.hash(j.model()).bytes(j.input()).u8(j.mode().code());
        writeModes(e, j.fallbackModes());
        e.u64(j.maxFee()).u64(j.deadlineBlocks()).u64(j.tip());
    }

    private static Payload.SubmitJob readJob(Decoder d) {
        return new Payload.SubmitJob(d.hash("model"), d.bytes("input", MAX_BYTES_FIELD),
                VerificationMode.fromCode(d.u8("mode")), readModes(d, "fallback modes"), d.u64("max fee"),
                d.u64("deadline blocks"), d.u64("tip"));
    }

    private static void writeResult(Encoder e, Payload.SubmitResult r) {
        e.hash(r.jobId()).bytes(r.output()).bytes(r.evidence());
    }

    private static Payload.SubmitResult readResult(Decoder d) {
        return new Payload.SubmitResult(d.hash("job id"), d.bytes("output", MAX_BYTES_FIELD), d.bytes("evidence", MAX_BYTES_FIELD));
    }

    private static Payload readPayload(Decoder d) {
        int tag = d.u8("payload tag");
        return switch (tag) {
            case PayloadTag.TRANSFER -> new Payload.Transfer(d.publicKey("recipient"), d.u64("amount"));
            case PayloadTag.REGISTER_NODE -> new Payload.RegisterNode(d.u64("stake"),
                    d.list("models", MAX_LIST, x -> x.hash("model")), readModes(d, "modes"),
                    new Hardware(d.string("gpu model", Hardware.MAX_NAME_LENGTH), (int) d.u32("gpu count"),
                            d.string("cpu model", Hardware.MAX_NAME_LENGTH), (int) d.u32("cpu count")), d.u31("capacity"));
            case PayloadTag.BOND -> new Payload.Bond(d.u64("amount"));
            case PayloadTag.UNBOND -> new Payload.Unbond(d.u64("amount"));
            case PayloadTag.WITHDRAW -> new Payload.Withdraw();
            case PayloadTag.UNJAIL -> new Payload.Unjail();
            case PayloadTag.REGISTER_MODEL -> new Payload.RegisterModel(d.hash("model hash"), d.string("model name", MAX_TEXT),
                    d.string("input description", MAX_TEXT), d.string("output description", MAX_TEXT), d.u64("compute units"),
                    InputSchema.read(d));
            case PayloadTag.REGISTER_ENCLAVE ->
                    new Payload.RegisterEnclave(d.publicKey("enclave key"), d.bytes("attestation", MAX_BYTES_FIELD));
            case PayloadTag.SUBMIT_JOB -> readJob(d);
            case PayloadTag.SUBMIT_RESULT -> readResult(d);
            case PayloadTag.SUBMIT_JOBS -> new Payload.SubmitJobs(d.list("jobs", Payload.SubmitJobs.MAX_JOBS, TransactionCodec::readJob));
            case PayloadTag.SUBMIT_RESULTS -> new Payload.SubmitResults(d.list("results", Payload.SubmitResults.MAX_RESULTS,
                    TransactionCodec::readResult), d.bytes("TEE batch signature", Signature.LENGTH));
            case PayloadTag.GOVERN -> new Payload.Govern(d.u64("proposal"), GovernanceCodec.readAction(d),
                    d.list("approvals", MAX_LIST, x -> new Approval(x.publicKey("member"), x.signature("approval"))));
            case PayloadTag.REGISTER_PROGRAM -> new Payload.RegisterProgram(d.hash("model"), d.hash("program root"),
                    d.u64("leaf count"), d.u64("step count"));
            case PayloadTag.CHALLENGE -> new Payload.Challenge(d.hash("job id"), d.bytes("output", MAX_BYTES_FIELD),
                    d.bytes("evidence", MAX_BYTES_FIELD));
            case PayloadTag.DISPUTE_MOVE -> new Payload.DisputeMove(d.hash("job id"), d.hash("left"), d.hash("right"));
            case PayloadTag.PROVE_STEP -> new Payload.ProveStep(d.hash("job id"), d.hash("previous value"),
                    d.list("previous path", MAX_LIST, x -> x.hash("sibling")), d.bytes("witness", MAX_BYTES_FIELD));
            case PayloadTag.AUDIT_REPORT -> new Payload.AuditReport(d.hash("job id"), d.bytes("output", MAX_BYTES_FIELD),
                    d.bytes("evidence", MAX_BYTES_FIELD));
            case PayloadTag.SUBMIT_FAILURE -> new Payload.SubmitFailure(d.hash("job id"),
                    FailureReason.fromCode(d.u8("failure reason")),
                    d.string("failure message", Payload.SubmitFailure.MAX_MESSAGE_BYTES), d.bytes("evidence", MAX_BYTES_FIELD));
            case PayloadTag.SET_CAPACITY -> new Payload.SetCapacity(d.u31("capacity"));
            case PayloadTag.VALIDATOR_BOND -> new Payload.ValidatorBond(d.u64("amount"),
                    d.string("peer address", ValidatorInfo.MAX_ADDRESS), d.string("API URL", ValidatorInfo.MAX_ADDRESS));
            case PayloadTag.VALIDATOR_LEAVE -> new Payload.ValidatorLeave();
            case PayloadTag.SET_NODE_ENDPOINT -> new Payload.SetNodeEndpoint(d.string("node endpoint", ValidatorInfo.MAX_ADDRESS));
            case PayloadTag.REPORT_EQUIVOCATION -> new Payload.ReportEquivocation(SignedVote.decode(d), SignedVote.decode(d));
            default -> throw new DecodingException("unknown transaction type tag " + tag);
        };
    }
}
