package dev.verity.validator.chain;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.sdk.api.EventView;
import dev.verity.validator.storage.EventWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * How events are stored: {@code height u64, index u32, timestamp u64, event}, indexed under the
 * job, node and account they concern (subject = kind byte || id).
 */
public final class StoredEvents {
    public static final int JOB = 1;
    public static final int NODE = 2;
    public static final int ACCOUNT = 3;

    private StoredEvents() {}

    public static byte[] subject(int kind, byte[] id) {
        byte[] s = new byte[id.length + 1];
        s[0] = (byte) kind;
        System.arraycopy(id, 0, s, 1, id.length);
        return s;
    }

    static EventWrite write(long height, int index, long timestamp, LedgerEvent ev) {
        byte[] bytes = new Encoder(200).u64(height).u32(index).u64(timestamp).fixed(ev.encode()).toByteArray();
        return new EventWrite(bytes, subjects(ev));
    }

    /** The subjects a stored event is listed under, read back from its bytes (for pruning its index rows). */
    static List<byte[]> subjects(byte[] stored) {
        return subjects(event(stored));
    }

    /** The ledger event a stored event holds. */
    static LedgerEvent event(byte[] stored) {
        Decoder d = new Decoder(stored);
        d.u64("height");
        d.u32("index");
        d.u64("timestamp");
        return LedgerEvent.decode(d.fixed(d.remaining(), "event"));
    }

    private static List<byte[]> subjects(LedgerEvent ev) {
        List<byte[]> subjects = new ArrayList<>(3);
        if (ev.job() != null) {
            subjects.add(subject(JOB, ev.job().bytes()));
        }
        if (ev.node() != null) {
            subjects.add(subject(NODE, ev.node().bytes()));
        }
        if (ev.account() != null) {
            subjects.add(subject(ACCOUNT, ev.account().bytes()));
        }
        return subjects;
    }

    /** The encoded event inside a stored one: the bytes its block's events root has a leaf for. */
    static byte[] eventBytes(byte[] stored) {
        Decoder d = new Decoder(stored);
        d.u64("height");
        d.u32("index");
        d.u64("timestamp");
        return d.fixed(d.remaining(), "event");
    }

    public static EventView view(byte[] stored) {
        Decoder d = new Decoder(stored);
        long height = d.u64("height");
        int index = (int) d.u32("index");
        long ts = d.u64("timestamp");
        LedgerEvent ev = LedgerEvent.decode(d.fixed(d.remaining(), "event"));
        return view(height, index, ts, ev);
    }

    static EventView view(long height, int index, long ts, LedgerEvent ev) {
        return new EventView(height, index, ts, ev.type().name(), hex(ev.job()), hex(ev.node()), hex(ev.account()),
                ev.amount(), ev.reason(), ev.mode() == null ? null : ev.mode().name());
    }

    private static String hex(Hash h) {
        return h == null ? null : h.hex();
    }

    private static String hex(PublicKey k) {
        return k == null ? null : k.hex();
    }
}
