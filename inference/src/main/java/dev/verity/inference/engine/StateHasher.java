package dev.verity.inference.engine;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Computes state hashes (see {@link State}): each tensor's content is streamed into SHA-256 without building its
 * encoding in memory, and its content hash cached on its buffer, which a state never writes again, so a step rehashes
 * only the tensors it changed, and a tensor renamed (a cache output fed back as the next token's cache input) is never
 * rehashed whole.
 */
final class StateHasher {
    /** Domain-separation tag, the first field of every tensor encoding. */
    static final String TAG = "verity.inference.tensor.v2";
    /** Domain-separation tag of a tensor's content hash. */
    static final String CONTENT_TAG = "verity.inference.tensor.content.v1";

    private static final byte[] TAG_BYTES = new Encoder(32).string(TAG).toByteArray();
    private static final byte[] CONTENT_TAG_BYTES = new Encoder(48).string(CONTENT_TAG).toByteArray();

    private StateHasher() {}

    static Hash hash(SortedMap<String, Buf> tensors) {
        List<Hash> leaves = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Buf> e : tensors.entrySet()) {
            leaves.add(leaf(e.getKey(), e.getValue()));
        }
        return Merkle.root(leaves);
    }

    /** The leaf of tensor {@code name}, from the buffer's cached content hash when it has one. */
    static Hash leaf(String name, Buf buf) {
        return leaf(name, content(buf));
    }

    /** {@code Merkle.leaf(string TAG || string name || content)}: a tensor's leaf from its name and content hash. */
    static Hash leaf(String name, Hash content) {
        Encoder e = new Encoder(96);
        e.fixed(TAG_BYTES).string(name).hash(content);
        return Merkle.leaf(e.toByteArray());
    }

    /** The content hash of a buffer (independent of any name), cached: a buffer in a state never changes. */
    static Hash content(Buf buf) {
        Hash cached = buf.content;
        if (cached != null) {
            return cached;
        }
        Hash h = compute(buf);
        buf.content = h;
        return h;
    }

    private static Hash compute(Buf buf) {
        MessageDigest md = Sha256.newDigest();
        md.update(CONTENT_TAG_BYTES);
        Encoder h = new Encoder(64);
        h.u8(buf.dtype.code());
        h.u32(buf.shape.length);
        for (int d : buf.shape) {
            h.u32(d);
        }
        md.update(h.toByteArray());
        switch (buf.dtype) {
            case INT8 -> md.update(buf.b, 0, buf.size);
            case INT16 -> {
                byte[] chunk = chunk(2 * buf.size);
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
                byte[] chunk = chunk(4 * buf.size);
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
        return Sha256.finish(md);
    }

    /** A staging buffer big enough for {@code bytes}, at most 8 KiB. */
    private static byte[] chunk(int bytes) {
        return new byte[Math.min(8192, Math.max(4, bytes))];
    }
}
