package dev.verity.core.trie;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A proof of a key path's value, or of its absence, against a {@link MerkleTrie} root; checked without a store.
 *
 * <p>{@code siblings} are the hashes beside the key's path, from the root's children down: sibling {@code i} is
 * the child at depth {@code i + 1} that the path does not take. The path ends at depth {@code siblings.size()}
 * (at most 256) at the {@code terminal}: an {@link Empty} position, or a {@link Leaf}, which is the queried key
 * (present, with its value hash) or another key sharing the first {@code siblings.size()} bits (the queried key is
 * absent). Verification hashes the terminal (empty: 32 zero bytes; leaf: {@code SHA-256(0x00 || keyPath ||
 * valueHash)}) and climbs to the root, taking at depth {@code i} the queried key's bit {@code i} for the side:
 * {@code h = bit == 0 ? SHA-256(0x01 || h || sibling) : SHA-256(0x01 || sibling || h)}; the result must equal the
 * root.
 *
 * <h2>Encoding (canonical: one proof, one byte string)</h2>
 * <pre>
 *   version      u8            1
 *   count        u16 BE        number of siblings, 0..256
 *   empty map    ceil(count/8) bit i (most significant bit of byte 0 first) is 1 iff sibling i is empty
 *                              (32 zero bytes); unused low bits of the last byte are 0
 *   siblings     32 bytes each the non-empty siblings in order (none of them all zero)
 *   terminal     u8            0 = empty position, 1 = leaf
 *   leaf only    32 + 32       keyPath, valueHash
 * </pre>
 * Nothing may follow. Any other input is a {@link DecodingException}.
 */
public record TrieProof(List<Hash> siblings, Terminal terminal) {
    public static final int VERSION = 1;
    private static final int EMPTY_TAG = 0;
    private static final int LEAF_TAG = 1;

    /** Where the path ends. */
    public sealed interface Terminal permits Empty, Leaf {}

    /** The path ends at an empty position. */
    public record Empty() implements Terminal {}

    /** The path ends at a leaf: the queried key, or another key with the same first {@code siblings.size()} bits. */
    public record Leaf(Hash keyPath, Hash valueHash) implements Terminal {
        public Leaf {
            Objects.requireNonNull(keyPath, "keyPath");
            Objects.requireNonNull(valueHash, "valueHash");
        }
    }

    public TrieProof {
        siblings = List.copyOf(siblings);
        Objects.requireNonNull(terminal, "terminal");
        if (siblings.size() > MerkleTrie.KEY_BITS) {
            throw new IllegalArgumentException("a proof has at most " + MerkleTrie.KEY_BITS + " siblings, got " + siblings.size());
        }
    }

    /** Whether this proves that {@code keyPath} holds {@code valueHash} under {@code root}. */
    public boolean provesPresent(Hash root, Hash keyPath, Hash valueHash) {
        return check(root, keyPath) == null && terminal instanceof Leaf l && l.keyPath.equals(keyPath)
                && l.valueHash.equals(valueHash);
    }

    /** Whether this proves that {@code keyPath} holds nothing under {@code root}. */
    public boolean provesAbsent(Hash root, Hash keyPath) {
        return check(root, keyPath) == null && !(terminal instanceof Leaf l && l.keyPath.equals(keyPath));
    }

    /**
     * The value hash of {@code keyPath} under {@code root}, or empty if this proves it absent.
     *
     * @throws InvalidProofException if the proof does not lead to {@code root} for this key path
     */
    public Optional<Hash> value(Hash root, Hash keyPath) {
        String problem = check(root, keyPath);
        if (problem != null) {
            throw new InvalidProofException(problem);
        }
        return terminal instanceof Leaf l && l.keyPath.equals(keyPath) ? Optional.of(l.valueHash) : Optional.empty();
    }

    /** Why the proof fails for this root and key path, or null if it holds. */
    private String check(Hash root, Hash keyPath) {
        int n = siblings.size();
        if (n > MerkleTrie.KEY_BITS) {
            return "the proof has " + n + " siblings, more than " + MerkleTrie.KEY_BITS;
        }
        byte[] path = keyPath.bytes();
        MessageDigest md = Sha256.newDigest();
        byte[] node = new byte[Nodes.SIZE];
        byte[] h = new byte[Nodes.HASH];
        if (terminal instanceof Leaf l) {
            byte[] leafPath = l.keyPath.bytes();
            for (int i = 0; i < n; i++) {
                if (Nodes.bit(leafPath, 0, i) != Nodes.bit(path, 0, i)) {
                    return "the proof ends at the leaf of " + l.keyPath + ", which differs from the queried key path "
                            + keyPath + " at bit " + i + ", above its depth " + n;
                }
            }
            System.arraycopy(leafPath, 0, node, 1, Nodes.HASH);
            l.valueHash.copyTo(node, 1 + Nodes.HASH);
            Nodes.leafHash(md, node, h, 0);
        }
        node[0] = Nodes.INTERNAL;
        for (int i = n - 1; i >= 0; i--) {
            int side = Nodes.bit(path, 0, i);
            System.arraycopy(h, 0, node, 1 + side * Nodes.HASH, Nodes.HASH);
            siblings.get(i).copyTo(node, 1 + (1 - side) * Nodes.HASH);
            Nodes.internalHash(md, node, h, 0);
        }
        return Arrays.equals(h, root.bytes()) ? null
                : "the proof for " + keyPath + " leads to root " + Hash.wrap(h) + ", not " + root;
    }

    public byte[] encode() {
        int n = siblings.size();
        byte[] emptyMap = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (siblings.get(i).equals(Hash.ZERO)) {
                emptyMap[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        Encoder e = new Encoder(4 + emptyMap.length + n * Hash.LENGTH + 1 + 2 * Hash.LENGTH);
        e.u8(VERSION).u8(n >>> 8).u8(n & 0xFF).fixed(emptyMap);
        for (Hash s : siblings) {
            if (!s.equals(Hash.ZERO)) {
                e.hash(s);
            }
        }
        if (terminal instanceof Leaf l) {
            e.u8(LEAF_TAG).hash(l.keyPath).hash(l.valueHash);
        } else {
            e.u8(EMPTY_TAG);
        }
        return e.toByteArray();
    }

    public static TrieProof decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        int version = d.u8("trie proof version");
        if (version != VERSION) {
            throw new DecodingException("unknown trie proof version " + version + ", expected " + VERSION);
        }
        int n = d.u8("trie proof sibling count") << 8 | d.u8("trie proof sibling count");
        if (n > MerkleTrie.KEY_BITS) {
            throw new DecodingException("a trie proof has at most " + MerkleTrie.KEY_BITS + " siblings, this one claims " + n);
        }
        byte[] emptyMap = d.fixed((n + 7) / 8, "trie proof empty-sibling map");
        if (n % 8 != 0 && (emptyMap[emptyMap.length - 1] & (0xFF >>> (n % 8))) != 0) {
            throw new DecodingException("the trie proof's empty-sibling map has bits set beyond its " + n + " siblings");
        }
        List<Hash> siblings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if ((emptyMap[i / 8] & (0x80 >>> (i % 8))) != 0) {
                siblings.add(Hash.ZERO);
            } else {
                Hash s = d.hash("trie proof sibling " + i);
                if (s.equals(Hash.ZERO)) {
                    throw new DecodingException("trie proof sibling " + i + " is empty but not marked so in the map");
                }
                siblings.add(s);
            }
        }
        int tag = d.u8("trie proof terminal");
        Terminal terminal = switch (tag) {
            case EMPTY_TAG -> new Empty();
            case LEAF_TAG -> new Leaf(d.hash("trie proof leaf key path"), d.hash("trie proof leaf value hash"));
            default -> throw new DecodingException("unknown trie proof terminal " + tag + ", expected 0 (empty) or 1 (leaf)");
        };
        d.end("trie proof");
        return new TrieProof(siblings, terminal);
    }
}
