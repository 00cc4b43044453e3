package dev.verity.validator.chain;

import dev.verity.core.PrivateKey;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs this validator's finality votes and never two different ones for one height, across crashes: the vote is
 * written and fsynced to {@code last-vote} (atomically replaced, directory synced) before the signature leaves this
 * class. A vote for a height at or below the last one signed is refused, unless it is that same vote (a resend).
 */
public final class VoteSigner {
    private static final Logger LOG = LoggerFactory.getLogger(VoteSigner.class);
    public static final String FILE = "last-vote";

    private final Path file;
    private final PrivateKey key;
    private SignedVote last;

    public VoteSigner(Path dataDir, PrivateKey key) {
        this.file = dataDir.resolve(FILE);
        this.key = key;
        try {
            this.last = Files.exists(file) ? SignedVote.decode(Files.readAllBytes(file)) : null;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " (the last vote this validator signed) cannot be read: " + e.getMessage()
                    + ". Without it the validator could sign two roots at one height and be slashed; restore the file, or "
                    + "remove it only if this key never signed on this chain", e);
        }
    }

    /** The last vote signed, if any. */
    public synchronized Optional<SignedVote> last() {
        return Optional.ofNullable(last);
    }

    /**
     * The signed vote, durable before it is returned; empty when signing it could equivocate (an earlier or equal
     * height with a different vote was already signed).
     */
    public synchronized Optional<SignedVote> sign(FinalityVote vote) {
        if (last != null && vote.height() <= last.vote().height()) {
            if (last.vote().equals(vote)) {
                return Optional.of(last);
            }
            if (vote.height() == last.vote().height()) {
                LOG.error("REFUSED to sign a second vote at height {}: signed {} / {} already, asked {} / {}", vote.height(),
                        last.vote().blockHash().hex(), last.vote().stateRoot().hex(), vote.blockHash().hex(),
                        vote.stateRoot().hex());
            }
            return Optional.empty();
        }
        SignedVote signed = SignedVote.sign(vote, key);
        persist(signed);
        last = signed;
        return Optional.of(signed);
    }

    /**
     * <b>Test seam</b>: signs {@code vote} whatever was signed before, as a faulty or malicious validator would. Only the
     * equivocation test build calls it (see {@code ValidatorProcess#EQUIVOCATE_AT}).
     */
    public SignedVote signUnchecked(FinalityVote vote) {
        return SignedVote.sign(vote, key);
    }

    private void persist(SignedVote vote) {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(vote.encode());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the vote at height " + vote.vote().height() + " in " + tmp
                    + " before signing it: " + e.getMessage(), e);
        }
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the vote at height " + vote.vote().height() + " in " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
