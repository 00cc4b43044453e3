package dev.verity.receipt;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.core.trie.MemoryTrieStore;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.state.StateProof;
import dev.verity.protocol.state.StateTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A small chain built the way the ledger builds one, for receipts made of real parts: real keys, headers whose state
 * root is the root of a real {@link MerkleTrie} holding the validator-set row (and a few other rows), events encoded by
 * the ledger with their events root, and certificates signed by the validators.
 */
final class TestChain {
    static final String CHAIN = "verity-receipt-test";
    static final long STAKE = 100;
    static final Hash JOB = Sha256.digest(Bytes.utf8("the job"));
    static final Hash OTHER_JOB = Sha256.digest(Bytes.utf8("another job"));

    final String chainId;
    private final MemoryTrieStore store = new MemoryTrieStore();
    private final List<BlockHeader> headers = new ArrayList<>();
    private final List<List<byte[]>> blockEvents = new ArrayList<>();
    private ValidatorSet stateSet;
    private Hash previous;
    private final List<StateProof> setProofs = new ArrayList<>();

    TestChain(String chainId, ValidatorSet genesis) {
        this.chainId = chainId;
        this.previous = Sha256.digest(Bytes.utf8("genesis of " + chainId));
        write(ValidatorSet.STATE_KEY, genesis.encode());
        write(StateTable.ACCOUNTS.rowKey(key("treasury").publicKey()), Bytes.utf8("an account row"));
        this.stateSet = genesis;
    }

    static PrivateKey key(String label) {
        return PrivateKey.deterministic(label);
    }

    /** A set of validators of equal stake. */
    static ValidatorSet set(PrivateKey... keys) {
        List<ValidatorInfo> members = new ArrayList<>();
        for (PrivateKey k : keys) {
            String host = k.publicKey().hex().substring(0, 8);
            members.add(new ValidatorInfo(k.publicKey(), STAKE, host + ".example:9870", "http://" + host + ".example:8645"));
        }
        return ValidatorSet.of(members);
    }

    /** Events naming {@code job}, of the given types, with a transfer (no job) and an event of another job between them. */
    static List<byte[]> jobEvents(Hash job, EventType... types) {
        List<byte[]> out = new ArrayList<>();
        out.add(LedgerEvent.of(EventType.TRANSFER, null, null, key("client").publicKey(), 5, "a transfer").encode());
        for (EventType t : types) {
            out.add(LedgerEvent.of(t, job, key("node").publicKey(), key("client").publicKey(), 7, t.name().toLowerCase())
                    .encode());
            out.add(LedgerEvent.of(EventType.JOB_SUBMITTED, OTHER_JOB, null, key("other client").publicKey(), 9, "").encode());
        }
        return out;
    }

    /** Appends a block emitting {@code events}; with {@code newSet}, its state holds that validator set afterwards. */
    BlockHeader block(List<byte[]> events, ValidatorSet newSet) {
        long height = headers.size() + 1;
        write(StateTable.GLOBALS.rowKey(e -> e.u64(height)), Bytes.utf8("block " + height));
        if (newSet != null) {
            write(ValidatorSet.STATE_KEY, newSet.encode());
            stateSet = newSet;
        }
        List<Hash> leaves = events.stream().map(Merkle::leaf).toList();
        BlockHeader h = new BlockHeader(chainId, height, previous, 1_700_000_000_000L + height * 1000,
                Sha256.digest(Bytes.utf8("transactions " + height)), MerkleTrie.root(store), Merkle.root(leaves),
                key("producer").publicKey());
        setProofs.add(new StateProof(h.stateRoot(), ValidatorSet.STATE_KEY, stateSet.encode(),
                MerkleTrie.prove(store, Sha256.digest(ValidatorSet.STATE_KEY))));
        headers.add(h);
        blockEvents.add(List.copyOf(events));
        previous = h.hash();
        return h;
    }

    BlockHeader block(List<byte[]> events) {
        return block(events, null);
    }

    /** A block without events of the job (a transfer). */
    BlockHeader emptyBlock() {
        return block(List.of(LedgerEvent.of(EventType.TRANSFER, null, null, key("client").publicKey(), 1, "").encode()));
    }

    List<byte[]> events(long height) {
        return blockEvents.get((int) height - 1);
    }

    BlockHeader header(long height) {
        return headers.get((int) height - 1);
    }

    /** The proof of the validator-set row against the state root of the block at {@code height}. */
    StateProof setProof(long height) {
        return setProofs.get((int) height - 1);
    }

    /** The certificate of {@code header} by {@code signers}, naming {@code set} as the signing set. */
    static FinalityCertificate certify(BlockHeader header, ValidatorSet set, PrivateKey... signers) {
        FinalityVote vote = new FinalityVote(header.chainId(), header.height(), header.hash(), header.stateRoot(), set.hash());
        return FinalityCertificate.of(vote, Arrays.stream(signers).map(k -> SignedVote.sign(vote, k)).toList());
    }

    /** The block at {@code height} certified by {@code signers} of {@code set}, with the events of {@code job} in it. */
    CertifiedBlock certified(long height, Hash job, ValidatorSet set, PrivateKey... signers) {
        BlockHeader h = header(height);
        return CertifiedBlock.of(h, certify(h, set, signers), events(height), job);
    }

    private void write(byte[] storageKey, byte[] value) {
        TreeMap<Hash, Hash> change = new TreeMap<>();
        change.put(Sha256.digest(storageKey), Sha256.digest(value));
        store.apply(MerkleTrie.update(store, change));
    }
}
