package dev.verity.proofs.trace;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import java.util.List;

/**
 * The evidence of an {@code OPTIMISTIC} or {@code SAMPLED} result, of a challenge and of an audit report:
 * the root of the trace tree ({@link TraceTree}) and the top-down path of its last leaf, the output
 * hash, which binds the posted output bytes to the committed trace.
 *
 * <pre>  claim = root:32  u32 count  count x sibling:32</pre>
 */
public record TraceClaim(Hash root, List<Hash> outputPath) {
    /** Far more than any trace of 2^32 values needs. */
    public static final int MAX_PATH = 40;

    public TraceClaim {
        outputPath = List.copyOf(outputPath);
    }

    /** The claim of a tree: its root and the path of its last value. */
    public static TraceClaim of(TraceTree tree) {
        return new TraceClaim(tree.root(), tree.path(0, tree.size(), tree.size() - 1));
    }

    public byte[] encode() {
        Encoder e = new Encoder(36 + 32 * outputPath.size());
        e.hash(root).list(outputPath, Encoder::hash);
        return e.toByteArray();
    }

    public static TraceClaim decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        TraceClaim c = new TraceClaim(d.hash("trace root"), d.list("output path", MAX_PATH, x -> x.hash("sibling")));
        d.end("trace claim");
        return c;
    }

    /**
     * Whether the output with hash {@code outputHash} is the last of {@code traceSize} values under this root, for the result of
     * {@code job} posted by {@code resultNode}.
     */
    public boolean bindsOutput(Hash job, PublicKey resultNode, long traceSize, Hash outputHash) {
        Hash leaf = TraceTree.leaf(job, resultNode, traceSize - 1, outputHash);
        Hash computed = TraceTree.nodeFromPath(0, traceSize, traceSize - 1, leaf, outputPath);
        return root.equals(computed);
    }
}
