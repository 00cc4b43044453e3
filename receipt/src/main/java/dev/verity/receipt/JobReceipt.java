package dev.verity.receipt;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.ValidatorSet;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a client holds to show, to anyone, what the chain did with its job: the job's events, each with its Merkle path
 * to the events root of its block's header, each header with the finality certificate of the validators that signed
 * it, and the validator-set changes that lead from a set the client trusts to the sets that signed those blocks.
 * {@link ReceiptVerifier} checks it alone, without a node.
 *
 * <h2>Encoding (canonical: one receipt, one byte string; docs/PROTOCOL.md "Receipts")</h2>
 * <pre>
 *   magic        5 bytes        ASCII "VRCPT"
 *   version      u8             1
 *   chainId      string         at most 64 bytes
 *   job          hash
 *   blocks       list           at most 1024, ascending heights, each:
 *     header       BlockHeader encoding
 *     certificate  FinalityCertificate encoding (vote, then the signers in key order)
 *     eventCount   u32          the block's number of events, 1 or more
 *     events       list         at most 1024, ascending indexes below eventCount, each:
 *       index        u32
 *       event        bytes      the encoded ledger event, at most 8192 bytes
 *       path         list&lt;hash&gt; at most 32
 *   setChanges   list           at most 1024, ascending heights, each:
 *     header       BlockHeader encoding
 *     certificate  FinalityCertificate encoding
 *     set          ValidatorSet encoding (the state row's value)
 *     proof        bytes        TrieProof encoding, at most 8292 bytes
 * </pre>
 * Nothing may follow. Every count and length is checked against its limit before anything is allocated for it.
 */
public record JobReceipt(String chainId, Hash jobId, List<CertifiedBlock> blocks, List<ValidatorSetChange> setChanges) {
    /** The first bytes of every receipt: ASCII {@code VRCPT}. */
    public static final byte[] MAGIC = Bytes.utf8("VRCPT");
    public static final int VERSION = 1;
    public static final int MAX_CHAIN_ID_BYTES = 64;
    public static final int MAX_BLOCKS = 1024;
    public static final int MAX_EVENTS_PER_BLOCK = 1024;
    /** An event is at most about 4.2 KB (its reason is at most 4096 bytes); this leaves room. */
    public static final int MAX_EVENT_BYTES = 8192;
    /** A tree of up to 2^31 - 1 leaves has paths of at most 31 hashes. */
    public static final int MAX_PATH = 32;
    public static final int MAX_SET_CHANGES = 1024;
    /** The longest trie proof encoding: version, count, a full empty-sibling map, 256 siblings, a leaf terminal. */
    public static final int MAX_TRIE_PROOF_BYTES = 1 + 2 + MerkleTrie.KEY_BITS / 8 + MerkleTrie.KEY_BITS * Hash.LENGTH + 1
            + 2 * Hash.LENGTH;

    public JobReceipt {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(jobId, "jobId");
        int chainIdBytes = Bytes.utf8(chainId).length;
        if (chainIdBytes < 1 || chainIdBytes > MAX_CHAIN_ID_BYTES) {
            throw new IllegalArgumentException("a receipt names a chain id of 1 to " + MAX_CHAIN_ID_BYTES + " bytes, got "
                    + chainIdBytes);
        }
        blocks = List.copyOf(blocks);
        setChanges = List.copyOf(setChanges);
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalArgumentException("a receipt holds at most " + MAX_BLOCKS + " blocks, got " + blocks.size());
        }
        if (setChanges.size() > MAX_SET_CHANGES) {
            throw new IllegalArgumentException("a receipt holds at most " + MAX_SET_CHANGES + " validator-set changes, got "
                    + setChanges.size());
        }
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i - 1).height() >= blocks.get(i).height()) {
                throw new IllegalArgumentException("a receipt lists its blocks once each, in height order; block "
                        + blocks.get(i).height() + " is out of order or repeated");
            }
        }
        for (int i = 1; i < setChanges.size(); i++) {
            if (setChanges.get(i - 1).height() >= setChanges.get(i).height()) {
                throw new IllegalArgumentException("a receipt lists its validator-set changes once each, in height order; the "
                        + "change at " + setChanges.get(i).height() + " is out of order or repeated");
            }
        }
    }

    /** How many of the job's events the receipt holds, over all its blocks. */
    public int eventCount() {
        int n = 0;
        for (CertifiedBlock b : blocks) {
            n += b.events().size();
        }
        return n;
    }

    public byte[] encode() {
        Encoder e = new Encoder(1024);
        e.fixed(MAGIC).u8(VERSION).string(chainId).hash(jobId);
        e.list(blocks, (x, b) -> {
            b.header().encode(x);
            b.certificate().encode(x);
            x.u32(b.eventCount());
            x.list(b.events(), (y, ev) -> y.u32(ev.index()).bytes(ev.event()).list(ev.path(), Encoder::hash));
        });
        e.list(setChanges, (x, c) -> {
            c.header().encode(x);
            c.certificate().encode(x);
            c.set().encode(x);
            x.bytes(c.proof().encode());
        });
        return e.toByteArray();
    }

    /**
     * The receipt these bytes encode.
     *
     * @throws DecodingException when they are not exactly one canonical receipt: another magic or version, a length or
     *                           count over its limit, a value out of range, blocks, events or changes out of order,
     *                           truncation, or trailing bytes
     */
    public static JobReceipt decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        byte[] magic = d.fixed(MAGIC.length, "receipt magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DecodingException("these bytes are not a Verity job receipt (they do not start with \"VRCPT\")");
        }
        int version = d.u8("receipt version");
        if (version != VERSION) {
            throw new DecodingException("receipt version " + version + " is not one this verifier reads (version " + VERSION + ")");
        }
        try {
            String chainId = d.string("chain id", MAX_CHAIN_ID_BYTES);
            Hash job = d.hash("job id");
            List<CertifiedBlock> blocks = d.list("blocks", MAX_BLOCKS, JobReceipt::decodeBlock);
            List<ValidatorSetChange> changes = d.list("validator-set changes", MAX_SET_CHANGES, JobReceipt::decodeSetChange);
            d.end("job receipt");
            return new JobReceipt(chainId, job, blocks, changes);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // A record's own rule (an order, a range, a sum) refused a decoded value.
            throw new DecodingException("the receipt holds an invalid value: " + e.getMessage());
        }
    }

    private static CertifiedBlock decodeBlock(Decoder d) {
        BlockHeader header = BlockHeader.decode(d);
        FinalityCertificate certificate = FinalityCertificate.decode(d);
        long eventCount = d.u32("event count");
        if (eventCount < 1 || eventCount > Integer.MAX_VALUE) {
            throw new DecodingException("block " + header.height() + "'s event count " + eventCount + " is out of range (1 to "
                    + Integer.MAX_VALUE + ")");
        }
        List<ReceiptEvent> events = d.list("events", MAX_EVENTS_PER_BLOCK, x -> new ReceiptEvent(x.u31("event index"),
                x.bytes("event", MAX_EVENT_BYTES), x.list("event path", MAX_PATH, y -> y.hash("path hash"))));
        return new CertifiedBlock(header, certificate, (int) eventCount, events);
    }

    private static ValidatorSetChange decodeSetChange(Decoder d) {
        BlockHeader header = BlockHeader.decode(d);
        FinalityCertificate certificate = FinalityCertificate.decode(d);
        ValidatorSet set = ValidatorSet.decode(d);
        TrieProof proof = TrieProof.decode(d.bytes("validator-set proof", MAX_TRIE_PROOF_BYTES));
        return new ValidatorSetChange(header, certificate, set, proof);
    }
}
