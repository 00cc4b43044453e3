package dev.verity.core;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Reads the canonical encoding written by {@link Encoder}; every malformation is a {@link DecodingException}. */
public final class Decoder {
    private final byte[] buf;
    private int pos;

    public Decoder(byte[] buf) {
        this.buf = buf;
    }

    private void need(int n, String what) {
        if (n < 0 || buf.length - pos < n) {
            throw new DecodingException("truncated input: " + what + " needs " + n + " bytes at offset " + pos
                    + ", only " + (buf.length - pos) + " left");
        }
    }

    public int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    public boolean bool(String what) {
        int v = u8(what);
        if (v > 1) {
            throw new DecodingException(what + ": a boolean is 0 or 1, got " + v);
        }
        return v == 1;
    }

    public long u32(String what) {
        need(4, what);
        long v = ((buf[pos] & 0xFFL) << 24) | ((buf[pos + 1] & 0xFFL) << 16) | ((buf[pos + 2] & 0xFFL) << 8) | (buf[pos + 3] & 0xFFL);
        pos += 4;
        return v;
    }

    /** A u32 that must fit a non-negative {@code int} (a count, a size, an index). */
    public int u31(String what) {
        long v = u32(what);
        if (v > Integer.MAX_VALUE) {
            throw new DecodingException(what + " " + v + " is out of range (above 2^31-1)");
        }
        return (int) v;
    }

    public long u64(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        if (v < 0) {
            throw new DecodingException(what + ": value exceeds the 63-bit range");
        }
        return v;
    }

    public byte[] fixed(int n, String what) {
        need(n, what);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public byte[] bytes(String what, int maxLength) {
        long n = u32(what + " length");
        if (n > maxLength) {
            throw new DecodingException(what + " is " + n + " bytes, more than the limit of " + maxLength);
        }
        return fixed((int) n, what);
    }

    public String string(String what, int maxLength) {
        byte[] b = bytes(what, maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodingException(what + " is not valid UTF-8");
        }
    }

    public Hash hash(String what) {
        return Hash.trusted(fixed(Hash.LENGTH, what));
    }

    public PublicKey publicKey(String what) {
        return PublicKey.wrap(fixed(PublicKey.LENGTH, what));
    }

    public Signature signature(String what) {
        return Signature.trusted(fixed(Signature.LENGTH, what));
    }

    public <T> List<T> list(String what, int maxItems, Function<Decoder, T> item) {
        long n = u32(what + " count");
        if (n > maxItems) {
            throw new DecodingException(what + " has " + n + " items, more than the limit of " + maxItems);
        }
        List<T> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            out.add(item.apply(this));
        }
        return List.copyOf(out);
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return buf.length - pos;
    }

    /** Canonical encodings have nothing after the value. */
    public void end(String what) {
        if (pos != buf.length) {
            throw new DecodingException(what + " has " + (buf.length - pos) + " unexpected trailing bytes");
        }
    }
}
