package dev.verity.validator.chain;

import dev.verity.ledger.state.StateBackend;
import dev.verity.validator.storage.ChainStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The wire form of a state snapshot ({@code GET /v1/snapshot}): {@code "VSNAP" 1}, the chain id (u16 length, UTF-8),
 * the height (u64), the head block (u32 length, bytes), the log position (u32 length, bytes; 0 for none), then each
 * state row as {@code 1, key (u16 length), value (u32 length)} in key order, then {@code 0}. Nothing in it is trusted:
 * the receiver checks the block against a finality certificate and the rows against the block's state root.
 */
public final class SnapshotStream {
    private static final byte[] MAGIC = {'V', 'S', 'N', 'A', 'P', 1};
    static final int MAX_KEY = 1024;
    static final int MAX_VALUE = 64 << 20;
    static final int MAX_BLOCK = 256 << 20;
    static final long MAX_ROWS = 50_000_000L;

    /** A snapshot as read, not yet checked. */
    public record Received(String chainId, long height, byte[] blockBytes, byte[] applied, List<StateBackend.Row> rows) {}

    private SnapshotStream() {}

    /** Writes {@code store}'s snapshot to {@code out}. */
    public static void write(ChainStore store, String chainId, OutputStream raw) throws IOException {
        DataOutputStream out = new DataOutputStream(raw);
        store.exportSnapshot(new ChainStore.SnapshotWriter() {
            @Override
            public void head(ChainStore.SnapshotHead head) throws IOException {
                out.write(MAGIC);
                byte[] chain = chainId.getBytes(StandardCharsets.UTF_8);
                out.writeShort(chain.length);
                out.write(chain);
                out.writeLong(head.height());
                out.writeInt(head.blockBytes().length);
                out.write(head.blockBytes());
                byte[] applied = head.applied() == null ? new byte[0] : head.applied();
                out.writeInt(applied.length);
                out.write(applied);
            }

            @Override
            public void row(byte[] key, byte[] value) throws IOException {
                out.writeByte(1);
                out.writeShort(key.length);
                out.write(key);
                out.writeInt(value.length);
                out.write(value);
            }
        });
        out.writeByte(0);
        out.flush();
    }

    /** Reads a snapshot, refusing what is malformed or out of bounds with the reason. */
    public static Received read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a Verity state snapshot (version 1): it does not start with VSNAP 1");
            }
            String chainId = new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
            long height = in.readLong();
            byte[] block = bounded(in, in.readInt(), MAX_BLOCK, "the head block");
            byte[] applied = bounded(in, in.readInt(), 64, "the log position");
            List<StateBackend.Row> rows = new ArrayList<>();
            byte[] previous = null;
            while (true) {
                int marker = in.readUnsignedByte();
                if (marker == 0) {
                    break;
                }
                if (marker != 1) {
                    throw new IOException("row " + rows.size() + " opens with " + marker + ", not 1 (a row) or 0 (the end)");
                }
                if (rows.size() >= MAX_ROWS) {
                    throw new IOException("more than " + MAX_ROWS + " rows");
                }
                byte[] key = bounded(in, in.readUnsignedShort(), MAX_KEY, "a row's key");
                byte[] value = bounded(in, in.readInt(), MAX_VALUE, "a row's value");
                if (key.length == 0 || previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                    throw new IOException("row " + rows.size() + " is empty or out of key order");
                }
                previous = key;
                rows.add(new StateBackend.Row(key, value));
            }
            if (in.read() != -1) {
                throw new IOException("bytes follow the end of the snapshot");
            }
            return new Received(chainId, height, block, applied.length == 0 ? null : applied, rows);
        } catch (EOFException e) {
            throw new IOException("the snapshot ends early (truncated)", e);
        }
    }

    private static byte[] bounded(DataInputStream in, int length, int max, String what) throws IOException {
        if (length < 0 || length > max) {
            throw new IOException(what + " claims " + length + " bytes; at most " + max);
        }
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new EOFException();
        }
        return b;
    }
}
