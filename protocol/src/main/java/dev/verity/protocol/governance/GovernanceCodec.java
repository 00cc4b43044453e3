package dev.verity.protocol.governance;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import java.util.List;

/**
 * Canonical encodings of governance proposals and of the TEE values they carry (see
 * docs/PROTOCOL.md). A proposal's approvals sign
 * {@code "verity-governance-v1" || string chainId || u64 proposal || action}.
 */
public final class GovernanceCodec {
    public static final int MAX_COLLATERAL_BYTES = 1 << 20;
    public static final int MAX_TEXT = 1024;
    private static final byte[] DOMAIN = Bytes.utf8("verity-governance-v1");

    private GovernanceCodec() {}

    public static byte[] signingBytes(String chainId, long proposal, GovernanceAction action) {
        Encoder e = new Encoder(256);
        e.fixed(DOMAIN).string(chainId).u64(proposal);
        writeAction(e, action);
        return e.toByteArray();
    }

    public static void writeAction(Encoder e, GovernanceAction a) {
        switch (a) {
            case GovernanceAction.AddCollateral c -> writeCollateral(e.u8(GovernanceTag.ADD_COLLATERAL), c.collateral());
            case GovernanceAction.RemoveCollateral r -> e.u8(GovernanceTag.REMOVE_COLLATERAL).hash(r.id()).string(r.reason());
            case GovernanceAction.ApproveMeasurement m -> {
                e.u8(GovernanceTag.APPROVE_MEASUREMENT);
                type(e, m.type());
                e.fixed(m.measurement().bytes()).string(m.label());
            }
            case GovernanceAction.Revoke r -> {
                writeTarget(e.u8(GovernanceTag.REVOKE), r.target());
                e.string(r.reason());
            }
            case GovernanceAction.Reinstate r -> writeTarget(e.u8(GovernanceTag.REINSTATE), r.target());
            case GovernanceAction.SetMinimumTcb s -> {
                e.u8(GovernanceTag.SET_MINIMUM_TCB);
                type(e, s.type());
                writeTcb(e, s.minimum());
                e.string(s.reason());
            }
            case GovernanceAction.ReplaceCouncil r -> writeCouncil(e.u8(GovernanceTag.REPLACE_COUNCIL), r.council());
            case GovernanceAction.SetVerificationParams v -> e.u8(GovernanceTag.SET_VERIFICATION_PARAMS)
                    .u64(v.challengeWindowBlocks()).u64(v.moveDeadlineBlocks()).u64(v.challengerBond())
                    .u64(v.disputeSlashBps()).u64(v.winnerShareBps()).u64(v.auditProbabilityBps());
        }
    }

    public static GovernanceAction readAction(Decoder d) {
        int tag = d.u8("governance action tag");
        try {
            return switch (tag) {
                case GovernanceTag.ADD_COLLATERAL -> new GovernanceAction.AddCollateral(readCollateral(d));
                case GovernanceTag.REMOVE_COLLATERAL ->
                        new GovernanceAction.RemoveCollateral(d.hash("collateral id"), d.string("reason", MAX_TEXT));
                case GovernanceTag.APPROVE_MEASUREMENT ->
                        new GovernanceAction.ApproveMeasurement(type(d), measurement(d), d.string("label", MAX_TEXT));
                case GovernanceTag.REVOKE -> new GovernanceAction.Revoke(readTarget(d), d.string("reason", MAX_TEXT));
                case GovernanceTag.REINSTATE -> new GovernanceAction.Reinstate(readTarget(d));
                case GovernanceTag.SET_MINIMUM_TCB ->
                        new GovernanceAction.SetMinimumTcb(type(d), readTcb(d), d.string("reason", MAX_TEXT));
                case GovernanceTag.REPLACE_COUNCIL -> new GovernanceAction.ReplaceCouncil(readCouncil(d));
                case GovernanceTag.SET_VERIFICATION_PARAMS -> new GovernanceAction.SetVerificationParams(
                        d.u64("challenge window blocks"), d.u64("move deadline blocks"), d.u64("challenger bond"),
                        d.u64("dispute slash bps"), d.u64("winner share bps"), d.u64("audit probability bps"));
                default -> throw new DecodingException("unknown governance action tag " + tag);
            };
        } catch (IllegalArgumentException e) {
            throw new DecodingException("invalid governance action: " + e.getMessage());
        }
    }

    public static void writeTarget(Encoder e, RevocationTarget t) {
        switch (t) {
            case RevocationTarget.Vendor v -> type(e.u8(GovernanceTag.TARGET_VENDOR), v.type());
            case RevocationTarget.Chip c -> {
                type(e.u8(GovernanceTag.TARGET_CHIP), c.type());
                e.bytes(c.chipId());
            }
            case RevocationTarget.MeasurementTarget m -> {
                type(e.u8(GovernanceTag.TARGET_MEASUREMENT), m.type());
                e.fixed(m.measurement().bytes());
            }
        }
    }

    public static RevocationTarget readTarget(Decoder d) {
        int tag = d.u8("revocation target tag");
        return switch (tag) {
            case GovernanceTag.TARGET_VENDOR -> new RevocationTarget.Vendor(type(d));
            case GovernanceTag.TARGET_CHIP -> new RevocationTarget.Chip(type(d), d.bytes("chip id", 64));
            case GovernanceTag.TARGET_MEASUREMENT -> new RevocationTarget.MeasurementTarget(type(d), measurement(d));
            default -> throw new DecodingException("unknown revocation target tag " + tag);
        };
    }

    public static void writeCollateral(Encoder e, Collateral c) {
        type(e, c.type());
        e.u8(c.kind().code()).bytes(c.data());
    }

    public static Collateral readCollateral(Decoder d) {
        TeeType t = type(d);
        CollateralKind kind = CollateralKind.fromCode(d.u8("collateral kind"));
        return new Collateral(t, kind, d.bytes("collateral", MAX_COLLATERAL_BYTES));
    }

    public static void writeTcb(Encoder e, TcbVersion v) {
        e.list(v.components(), (x, c) -> x.u8(c));
    }

    public static TcbVersion readTcb(Decoder d) {
        return new TcbVersion(d.list("TCB components", TcbVersion.MAX_COMPONENTS, x -> x.u8("TCB component")));
    }

    public static void writeCouncil(Encoder e, Council c) {
        e.list(c.members(), Encoder::publicKey).u32(c.threshold());
    }

    public static Council readCouncil(Decoder d) {
        List<dev.verity.core.PublicKey> members = d.list("council members", Council.MAX_MEMBERS, x -> x.publicKey("member"));
        long threshold = d.u32("threshold");
        String problem = Council.problem(members, (int) Math.min(threshold, Integer.MAX_VALUE));
        if (problem != null) {
            throw new DecodingException("invalid council: " + problem);
        }
        return new Council(members, (int) threshold);
    }

    public static void type(Encoder e, TeeType t) {
        e.u8(t.code());
    }

    public static TeeType type(Decoder d) {
        return TeeType.fromCode(d.u8("TEE type"));
    }

    public static Measurement measurement(Decoder d) {
        return new Measurement(d.fixed(Measurement.LENGTH, "measurement"));
    }
}
