package dev.verity.inference.engine;

import dev.verity.core.Hash;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of named live tensors: the program inputs before the first step, and after each
 * step the tensors still needed (see {@link IntegerEngine}).
 *
 * <h2>State hash</h2>
 *
 * {@link #hash()} is the root of core's {@code Merkle} tree over one leaf per tensor, so that a dispute
 * can prove a single tensor of a state without the others:
 *
 * <pre>
 *   hash    = Merkle.root(leaf(t1), ..., leaf(tk))  tensors by name in ascending {@code String.compareTo}
 *                                                   order (UTF-16 code units; byte order for ASCII names)
 *   leaf(t) = Merkle.leaf(string "verity.inference.tensor.v2" || string name || content(t))
 *           = SHA-256(0x00 || ...)
 *   content(t) = SHA-256(string "verity.inference.tensor.content.v1"
 *                        || u8 dtype code                1 = INT8, 2 = INT16, 3 = INT32
 *                        || u32 rank, u32 per dimension  row-major shape
 *                        || raw elements                 row-major, two's complement, big-endian, 1/2/4 bytes
 *                                                        each (no length prefix: the count follows from the shape))
 *   in core {@code Encoder} conventions (big-endian, strings as u32 byte length then UTF-8).
 * </pre>
 *
 * The content hash does not depend on the name, so a witness can prove a tensor under another name (a cache output
 * fed back as the next token's cache input) from its 32-byte content hash alone.
 *
 * {@code Merkle.root} pairs neighbours level by level with inner = SHA-256(0x01 || left || right),
 * carries an odd last node up unchanged, and gives SHA-256 of the empty string for a state with no
 * tensors. {@link #tensorLeaf} computes one leaf. A tensor that a sliced op has only partly computed is
 * included with the elements not yet computed equal to zero.
 */
public final class State {
    private final TreeMap<String, Buf> tensors;
    private Hash hash;

    State(TreeMap<String, Buf> tensors) {
        this.tensors = tensors;
    }

    /** A state holding copies of the given tensors (for instance one received from another machine). */
    public static State of(SortedMap<String, Tensor> tensors) {
        TreeMap<String, Buf> m = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            m.put(e.getKey(), Buf.of(e.getValue()));
        }
        return new State(m);
    }

    /** Names of the tensors, sorted. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public int size() {
        return tensors.size();
    }

    /** A copy of one tensor. */
    public Tensor tensor(String name) {
        Buf b = tensors.get(name);
        if (b == null) {
            throw new IllegalArgumentException("the state has no tensor '" + name + "'");
        }
        return b.toTensor();
    }

    /** Copies of all tensors, by name. */
    public SortedMap<String, Tensor> tensors() {
        TreeMap<String, Tensor> m = new TreeMap<>();
        for (Map.Entry<String, Buf> e : tensors.entrySet()) {
            m.put(e.getKey(), e.getValue().toTensor());
        }
        return m;
    }

    /** The leaf of one tensor in a state hash (see the class comment), for proving it alone. */
    public static Hash tensorLeaf(String name, Tensor t) {
        Op.checkName(name);
        return StateHasher.leaf(name, Buf.of(t));
    }

    /** The leaf of a tensor named {@code name} whose content hash is {@code content}. */
    public static Hash tensorLeaf(String name, Hash content) {
        Op.checkName(name);
        return StateHasher.leaf(name, content);
    }

    /** The content hash of one tensor (see the class comment): its leaf without the name. */
    public static Hash tensorContent(Tensor t) {
        return StateHasher.content(Buf.of(t));
    }

    /** The content hash of this state's tensor {@code name}, cached. */
    public Hash content(String name) {
        Buf b = tensors.get(name);
        if (b == null) {
            throw new IllegalArgumentException("the state has no tensor '" + name + "'");
        }
        return StateHasher.content(b);
    }

    /** The leaf of this state's tensor {@code name} ({@link #tensorLeaf} of it, cached). */
    public Hash leaf(String name) {
        Buf b = tensors.get(name);
        if (b == null) {
            throw new IllegalArgumentException("the state has no tensor '" + name + "'");
        }
        return StateHasher.leaf(name, b);
    }

    /** The state hash (see the class comment). */
    public Hash hash() {
        Hash h = hash;
        if (h == null) {
            h = StateHasher.hash(tensors);
            hash = h;
        }
        return h;
    }

    Buf buf(String name) {
        return tensors.get(name);
    }

    @Override
    public String toString() {
        return "State" + tensors.keySet();
    }
}
