package dev.verity.ledger.rules;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.state.NodeRecord;
import java.util.List;

/**
 * Stake-weighted choice of one node, seeded from chain data:
 * {@code seed = SHA-256("verity-assign-v1" || previousBlockHash || jobId || u32 attempt)};
 * the first 8 bytes, unsigned, modulo the total stake pick a point on the candidates' stakes laid
 * end to end in key order. No node can predict or steer it before the previous block is final.
 */
public final class NodeSelection {
    private static final byte[] DOMAIN = Bytes.utf8("verity-assign-v1");

    private NodeSelection() {}

    public static NodeRecord pick(List<NodeRecord> candidates, Hash previousBlockHash, Hash jobId, int attempt) {
        long total = 0;
        for (NodeRecord n : candidates) {
            total = Math.addExact(total, n.stake());
        }
        if (total <= 0) {
            throw new IllegalArgumentException("no stake among candidates");
        }
        Hash seed = Sha256.digest(new Encoder(80).fixed(DOMAIN).hash(previousBlockHash).hash(jobId).u32(attempt).toByteArray());
        long point = Long.remainderUnsigned(seed.prefixLong(), total);
        for (NodeRecord n : candidates) {
            if (point < n.stake()) {
                return n;
            }
            point -= n.stake();
        }
        throw new IllegalStateException("unreachable: point beyond total stake");
    }
}
