package dev.verity.ledger.evidence;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import java.util.ArrayList;
import java.util.List;

/**
 * What an enclave signs for a batch of {@code TEE} results: {@code "verity-tee-batch-v1" || root}, where root is the
 * {@link Merkle} root over the leaves {@code Merkle.leaf(statement.signingBytes())} of the batch's
 * {@link TeeResultStatement}s in order. One signature covers the batch; each result stays provable alone by the
 * signature, its statement and its Merkle path ({@link Merkle#path}).
 */
public record TeeBatchStatement(Hash root) {
    private static final byte[] DOMAIN = Bytes.utf8("verity-tee-batch-v1");

    public static TeeBatchStatement of(List<TeeResultStatement> statements) {
        List<Hash> leaves = new ArrayList<>(statements.size());
        for (TeeResultStatement s : statements) {
            leaves.add(Merkle.leaf(s.signingBytes()));
        }
        return new TeeBatchStatement(Merkle.root(leaves));
    }

    public byte[] signingBytes() {
        return new Encoder(DOMAIN.length + 32).fixed(DOMAIN).hash(root).toByteArray();
    }
}
