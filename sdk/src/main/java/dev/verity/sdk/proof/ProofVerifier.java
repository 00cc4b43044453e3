package dev.verity.sdk.proof;

import dev.verity.core.Bytes;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PublicKey;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.state.StateProof;
import dev.verity.protocol.state.StateTable;
import dev.verity.sdk.api.EventProofView;
import dev.verity.sdk.api.HeaderView;
import dev.verity.sdk.api.StateProofView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks the proofs the API serves, offline: no network, only the protocol's own definitions (the header encoding,
 * the state's table ids, the trie and Merkle proofs). Each check, in order: the fields are well formed
 * ({@link ProofCheck#FORMAT}); the proof is about what was asked ({@link ProofCheck#SUBJECT}); the header hashes to
 * the claimed block hash ({@link ProofCheck#BLOCK_HASH}); the proof leads to the header's state root
 * ({@link ProofCheck#STATE_PROOF}) or events root ({@link ProofCheck#EVENT_PROOF}). The first that fails throws a
 * {@link ProofException} naming it. A proof binds a row or event to a block hash; whether that block is the chain's
 * is for the caller to decide against a block hash it trusts.
 */
public final class ProofVerifier {
    private ProofVerifier() {}

    public static VerifiedRow account(StateProofView proof, PublicKey account) {
        return state(proof, StateTable.ACCOUNTS.rowKey(account));
    }

    public static VerifiedRow node(StateProofView proof, PublicKey node) {
        return state(proof, StateTable.NODES.rowKey(node));
    }

    public static VerifiedRow model(StateProofView proof, Hash model) {
        return state(proof, StateTable.MODELS.rowKey(model));
    }

    /** A live job's row, or its absence (a finished job has left the live state and proves absent). */
    public static VerifiedRow job(StateProofView proof, Hash job) {
        return state(proof, StateTable.JOBS.rowKey(job));
    }

    /** The row at {@code expectedKey} ({@link StateTable#rowKey}), present or absent, against the proof's header. */
    public static VerifiedRow state(StateProofView proof, byte[] expectedKey) {
        if (proof == null) {
            throw fail(ProofCheck.FORMAT, "no state proof given");
        }
        BlockHeader header = header(proof.header());
        Hash blockHash = hash(proof.blockHash(), "blockHash");
        byte[] key = hex(proof.key(), "key");
        byte[] value = proof.value() == null ? null : hex(proof.value(), "value");
        TrieProof trieProof;
        try {
            trieProof = TrieProof.decode(hex(proof.proof(), "proof"));
        } catch (DecodingException e) {
            throw fail(ProofCheck.FORMAT, "the trie proof does not decode: " + e.getMessage());
        }
        if (!Arrays.equals(key, expectedKey)) {
            throw fail(ProofCheck.SUBJECT, "the proof is for state key " + Bytes.hex(key) + ", not the one asked for, "
                    + Bytes.hex(expectedKey));
        }
        blockHash(header, blockHash);
        String problem = new StateProof(header.stateRoot(), key, value, trieProof).problem();
        if (problem != null) {
            throw fail(ProofCheck.STATE_PROOF, "the state proof does not hold against state root " + header.stateRoot().hex()
                    + " of block " + header.height() + ": " + problem);
        }
        return new VerifiedRow(blockHash, header, key, value);
    }

    /** Event {@code index} of the block at {@code height}, against that block's events root. */
    public static VerifiedEvent event(EventProofView proof, long height, int index) {
        if (proof == null) {
            throw fail(ProofCheck.FORMAT, "no event proof given");
        }
        BlockHeader header = header(proof.header());
        Hash blockHash = hash(proof.blockHash(), "blockHash");
        byte[] event = hex(proof.event(), "event");
        if (proof.path() == null) {
            throw fail(ProofCheck.FORMAT, "the event proof has no path");
        }
        List<Hash> path = new ArrayList<>(proof.path().size());
        for (int i = 0; i < proof.path().size(); i++) {
            path.add(hash(proof.path().get(i), "path[" + i + "]"));
        }
        if (proof.height() != height || proof.index() != index || header.height() != height) {
            throw fail(ProofCheck.SUBJECT, "the proof is for event " + proof.index() + " of block " + proof.height()
                    + " (header height " + header.height() + "), not event " + index + " of block " + height);
        }
        blockHash(header, blockHash);
        if (!Merkle.verify(header.eventsRoot(), proof.eventCount(), index, Merkle.leaf(event), path)) {
            throw fail(ProofCheck.EVENT_PROOF, "the path of " + path.size() + " hashes does not lead from event " + index + " of "
                    + proof.eventCount() + " to events root " + header.eventsRoot().hex() + " of block " + height);
        }
        return new VerifiedEvent(blockHash, header, index, event);
    }

    private static void blockHash(BlockHeader header, Hash claimed) {
        Hash actual = header.hash();
        if (!actual.equals(claimed)) {
            throw fail(ProofCheck.BLOCK_HASH, "the header of block " + header.height() + " hashes to " + actual.hex()
                    + ", not to the block hash given, " + claimed.hex());
        }
    }

    private static BlockHeader header(HeaderView view) {
        if (view == null) {
            throw fail(ProofCheck.FORMAT, "the proof has no block header");
        }
        try {
            return view.toHeader();
        } catch (IllegalArgumentException e) {
            throw fail(ProofCheck.FORMAT, e.getMessage());
        }
    }

    private static Hash hash(String hex, String field) {
        byte[] b = hex(hex, field);
        if (b.length != Hash.LENGTH) {
            throw fail(ProofCheck.FORMAT, field + " is " + b.length + " bytes, not a 32-byte hash");
        }
        return Hash.wrap(b);
    }

    private static byte[] hex(String hex, String field) {
        if (hex == null) {
            throw fail(ProofCheck.FORMAT, "the proof has no " + field);
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw fail(ProofCheck.FORMAT, field + " is not hex: " + e.getMessage());
        }
    }

    private static ProofException fail(ProofCheck check, String message) {
        return new ProofException(check, message);
    }
}
