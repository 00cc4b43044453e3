package dev.verity.ledger.event;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;

/**
 * Something the ledger did. {@code job}, {@code node} and {@code account} are null where they do
 * not apply; {@code amount} is in base units (0 where there is none); {@code reason} says why in
 * words. {@code mode} is the verification mode of the job an event is about where that matters to
 * an account (submission, assignment, settlement, payments and penalties), so revenue per mode can be
 * rebuilt from events alone; null elsewhere.
 */
public record LedgerEvent(EventType type, Hash job, PublicKey node, PublicKey account, long amount, String reason,
                          VerificationMode mode) {
    private static final int NO_MODE = 0xFF;

    public static LedgerEvent of(EventType type, Hash job, PublicKey node, PublicKey account, long amount, String reason) {
        return new LedgerEvent(type, job, node, account, amount, reason, null);
    }

    /** This event, tagged with the verification mode of its job. */
    public LedgerEvent withMode(VerificationMode m) {
        return new LedgerEvent(type, job, node, account, amount, reason, m);
    }

    public byte[] encode() {
        Encoder e = new Encoder(256);
        encode(e);
        return e.toByteArray();
    }

    /** Appends this event's encoding to {@code e}. */
    public void encode(Encoder e) {
        e.u8(type.code());
        e.bool(job != null);
        if (job != null) {
            e.hash(job);
        }
        e.bool(node != null);
        if (node != null) {
            e.publicKey(node);
        }
        e.bool(account != null);
        if (account != null) {
            e.publicKey(account);
        }
        e.u64(amount).string(reason);
        e.u8(mode == null ? NO_MODE : mode.code());
    }

    public static LedgerEvent decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        EventType type = EventType.fromCode(d.u8("event type"));
        Hash job = d.bool("job present") ? d.hash("job") : null;
        PublicKey node = d.bool("node present") ? d.publicKey("node") : null;
        PublicKey account = d.bool("account present") ? d.publicKey("account") : null;
        long amount = d.u64("amount");
        String reason = d.string("reason", 4096);
        int m = d.u8("mode");
        VerificationMode mode = m == NO_MODE ? null : VerificationMode.fromCode(m);
        d.end("event");
        return new LedgerEvent(type, job, node, account, amount, reason, mode);
    }
}
