package dev.verity.core;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Canonical binary encoding: big-endian fixed-width integers, length-prefixed byte strings
 * (u32 length), UTF-8 strings as byte strings, lists as a u32 count followed by the items.
 * One value has exactly one encoding, so hashes of encodings are well defined.
 */
public final class Encoder {
    private byte[] buf;
    private int size;
    /** The buffer itself was returned by {@link #toByteArray}: it must never be written again. */
    private boolean handedOut;

    public Encoder() {
        this(64);
    }

    public Encoder(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        int need = size + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    public Encoder u8(int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public Encoder bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public Encoder u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    /** A 64-bit integer; amounts, heights and nonces are never negative, so this refuses negatives. */
    public Encoder u64(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("u64 must not be negative: " + v);
        }
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** Raw bytes of a length both sides know (hashes, keys, signatures). */
    public Encoder fixed(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    public Encoder bytes(byte[] b) {
        u32(b.length);
        return fixed(b);
    }

    public Encoder string(String s) {
        return bytes(Bytes.utf8(s));
    }

    public Encoder hash(Hash h) {
        ensure(Hash.LENGTH);
        h.copyTo(buf, size);
        size += Hash.LENGTH;
        return this;
    }

    public Encoder publicKey(PublicKey k) {
        return fixed(k.bytes());
    }

    public Encoder signature(Signature s) {
        return fixed(s.rawBytes());
    }

    public <T> Encoder list(List<T> items, BiConsumer<Encoder, T> item) {
        u32(items.size());
        for (T t : items) {
            item.accept(this, t);
        }
        return this;
    }

    public int size() {
        return size;
    }

    /** Forgets what was written, keeping the buffer, so one encoder serves many short encodings in a row. */
    public Encoder reset() {
        if (handedOut) {
            buf = new byte[buf.length];
            handedOut = false;
        }
        size = 0;
        return this;
    }

    /** Feeds the bytes written so far to {@code md}, without copying them out. */
    public void digestInto(MessageDigest md) {
        md.update(buf, 0, size);
    }

    /** The bytes written so far. An exactly full buffer is handed out as is: a later write grows into a new one, and
     * {@link #reset} starts a new one. */
    public byte[] toByteArray() {
        if (size == buf.length) {
            handedOut = true;
            return buf;
        }
        return Arrays.copyOf(buf, size);
    }
}
