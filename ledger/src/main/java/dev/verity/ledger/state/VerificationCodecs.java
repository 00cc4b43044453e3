package dev.verity.ledger.state;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;

/** Canonical encodings of the tables of provable results: programs, claims, disputes and their timers. */
final class VerificationCodecs {
    private VerificationCodecs() {}

    static final Codec<ProgramRecord> PROGRAM = new Codec<>() {
        public void write(Encoder e, ProgramRecord p) {
            e.hash(p.model()).hash(p.root()).u64(p.leafCount()).u64(p.stepCount()).u64(p.registeredAt());
        }

        public ProgramRecord read(Decoder d) {
            return new ProgramRecord(d.hash("model"), d.hash("program root"), d.u64("leaf count"), d.u64("step count"),
                    d.u64("registered at"));
        }
    };

    static final Codec<ResultClaim> CLAIM = new Codec<>() {
        public void write(Encoder e, ResultClaim c) {
            e.hash(c.job()).publicKey(c.node()).hash(c.root()).u8(c.phase().code()).u64(c.postedAt()).u64(c.phaseEnds())
                    .u64(c.windowEnds());
            Codecs.optionalKey(e, c.auditor());
            e.u32(c.auditAttempts());
        }

        public ResultClaim read(Decoder d) {
            return new ResultClaim(d.hash("job"), d.publicKey("node"), d.hash("root"),
                    ClaimPhase.fromCode(d.u8("claim phase")), d.u64("posted at"),
                    d.u64("phase ends"), d.u64("window ends"), Codecs.optionalKey(d), (int) d.u32("audit attempts"));
        }
    };

    static final Codec<DisputeRecord> DISPUTE = new Codec<>() {
        public void write(Encoder e, DisputeRecord r) {
            e.hash(r.job()).u8(r.kind().code()).publicKey(r.defender()).publicKey(r.challenger()).hash(r.defenderRoot())
                    .hash(r.challengerRoot()).bytes(r.challengerOutput()).u64(r.bond()).u64(r.traceSize())
                    .u8(r.phase().code()).u64(r.lo()).u64(r.hi()).hash(r.defenderNode()).hash(r.challengerNode())
                    .u64(r.agreedLo());
            Codecs.optionalHash(e, r.agreedNode());
            move(e, r.defenderMove());
            move(e, r.challengerMove());
            e.u64(r.deadline()).u32(r.round()).u32(r.defenderMoves()).u32(r.challengerMoves()).u64(r.openedAt());
        }

        public DisputeRecord read(Decoder d) {
            return new DisputeRecord(d.hash("job"), DisputeKind.fromCode(d.u8("dispute kind")),
                    d.publicKey("defender"), d.publicKey("challenger"), d.hash("defender root"), d.hash("challenger root"),
                    d.bytes("challenger output", 1 << 24), d.u64("bond"), d.u64("trace size"),
                    DisputePhase.fromCode(d.u8("dispute phase")), d.u64("lo"), d.u64("hi"),
                    d.hash("defender node"), d.hash("challenger node"), d.u64("agreed lo"), Codecs.optionalHash(d), move(d),
                    move(d), d.u64("deadline"), (int) d.u32("round"), (int) d.u32("defender moves"),
                    (int) d.u32("challenger moves"), d.u64("opened at"));
        }
    };

    static final Codec<TimerKey> TIMER = new Codec<>() {
        public void write(Encoder e, TimerKey k) { e.u64(k.height()).hash(k.job()); }
        public TimerKey read(Decoder d) { return new TimerKey(d.u64("height"), d.hash("job")); }
    };

    private static void move(Encoder e, BisectionMove m) {
        e.bool(m != null);
        if (m != null) {
            e.hash(m.left()).hash(m.right());
        }
    }

    private static BisectionMove move(Decoder d) {
        if (!d.bool("move present")) {
            return null;
        }
        Hash left = d.hash("left");
        return new BisectionMove(left, d.hash("right"));
    }
}
