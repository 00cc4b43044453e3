package dev.verity.sdk.receipt;

import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.CertifiedBlock;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.TrustedValidators;
import java.util.List;

/**
 * A real, signed receipt for the SDK's and CLI's tests of fetching, parsing and printing: one block of three events
 * (the job's submission and settlement around a transfer), signed by three of four validators of equal stake.
 */
public final class SignedReceipts {
    public static final String CHAIN = "verity-sdk-receipts";
    public static final Hash JOB = Sha256.digest(Bytes.utf8("a receipted job"));
    public static final List<PrivateKey> KEYS = List.of(PrivateKey.deterministic("v1"), PrivateKey.deterministic("v2"),
            PrivateKey.deterministic("v3"), PrivateKey.deterministic("v4"));
    public static final ValidatorSet SET = ValidatorSet.of(KEYS.stream().map(k -> new ValidatorInfo(k.publicKey(), 250,
            "v" + k.publicKey().hex().substring(0, 4) + ".example:9870", "http://v" + k.publicKey().hex().substring(0, 4)
            + ".example:8645")).toList());
    public static final TrustedValidators TRUSTED = new TrustedValidators(CHAIN, SET, 0);
    /** The ledger's event type codes used here (ledger {@code EventType}). */
    public static final int TRANSFER = 0;
    public static final int JOB_SUBMITTED = 9;
    public static final int JOB_SETTLED = 13;

    private SignedReceipts() {}

    /** An event encoded as the ledger encodes it: type, job?, node?, account?, amount, reason, mode. */
    public static byte[] event(int type, Hash job, long amount, String reason) {
        Encoder e = new Encoder();
        e.u8(type).bool(job != null);
        if (job != null) {
            e.hash(job);
        }
        return e.bool(false).bool(false).u64(amount).string(reason).u8(0xFF).toByteArray();
    }

    public static List<byte[]> events() {
        return List.of(event(JOB_SUBMITTED, JOB, 1_000_000, ""), event(TRANSFER, null, 5, "a transfer"),
                event(JOB_SETTLED, JOB, 400_000, "settled"));
    }

    public static BlockHeader header(long height) {
        return new BlockHeader(CHAIN, height, Sha256.digest(Bytes.utf8("previous")), 1_700_000_000_000L,
                Sha256.digest(Bytes.utf8("transactions")), Sha256.digest(Bytes.utf8("state")),
                Merkle.root(events().stream().map(Merkle::leaf).toList()), KEYS.getFirst().publicKey());
    }

    /** The receipt of {@link #JOB} in block {@code height}, signed by the first {@code signers} validators. */
    public static JobReceipt receipt(long height, int signers) {
        BlockHeader h = header(height);
        FinalityVote vote = new FinalityVote(CHAIN, height, h.hash(), h.stateRoot(), SET.hash());
        FinalityCertificate c = FinalityCertificate.of(vote, KEYS.subList(0, signers).stream()
                .map(k -> SignedVote.sign(vote, k)).toList());
        return new JobReceipt(CHAIN, JOB, List.of(CertifiedBlock.of(h, c, events(), JOB)), List.of());
    }
}
