package dev.verity.inference.engine;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.security.MessageDigest;
import java.util.Map;
import java.util.SortedMap;

/** Streams the canonical state encoding (see {@link State}) into SHA-256 without building it in memory. */
final class StateHasher {
    /** Domain-separation tag, the first field of every state encoding. */
    static final String TAG = "verity.inference.state.v1";

    private static final byte[] TAG_BYTES = new Encoder(32).string(TAG).toByteArray();

    private StateHasher() {}

    static Hash hash(SortedMap<String, Buf> tensors) {
        MessageDigest md = Sha256.newDigest();
        md.update(TAG_BYTES);
        md.update(new Encoder(4).u32(tensors.size()).toByteArray());
        byte[] chunk = null;
        for (Map.Entry<String, Buf> e : tensors.entrySet()) {
            Buf buf = e.getValue();
            Encoder h = new Encoder(64);
            h.string(e.getKey());
            h.u8(buf.dtype.code());
            h.u32(buf.shape.length);
            for (int d : buf.shape) {
                h.u32(d);
            }
            md.update(h.toByteArray());
            switch (buf.dtype) {
                case INT8 -> md.update(buf.b, 0, buf.size);
                case INT16 -> {
                    chunk = chunk(chunk, 2 * buf.size);
                    int pos = 0;
                    for (int k = 0; k < buf.size; k++) {
                        if (pos + 2 > chunk.length) {
                            md.update(chunk, 0, pos);
                            pos = 0;
                        }
                        short v = buf.s[k];
                        chunk[pos++] = (byte) (v >> 8);
                        chunk[pos++] = (byte) v;
                    }
                    md.update(chunk, 0, pos);
                }
                case INT32 -> {
                    chunk = chunk(chunk, 4 * buf.size);
                    int pos = 0;
                    for (int k = 0; k < buf.size; k++) {
                        if (pos + 4 > chunk.length) {
                            md.update(chunk, 0, pos);
                            pos = 0;
                        }
                        int v = buf.i[k];
                        chunk[pos++] = (byte) (v >> 24);
                        chunk[pos++] = (byte) (v >> 16);
                        chunk[pos++] = (byte) (v >> 8);
                        chunk[pos++] = (byte) v;
                    }
                    md.update(chunk, 0, pos);
                }
            }
        }
        return Sha256.finish(md);
    }

    /** A staging buffer big enough for {@code bytes} (at most 8 KiB), reusing {@code current} when it is. */
    private static byte[] chunk(byte[] current, int bytes) {
        int want = Math.min(8192, Math.max(4, bytes));
        return current != null && current.length >= want ? current : new byte[want];
    }
}
