package dev.verity.receipt;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PublicKey;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.ValidatorSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a {@link JobReceipt} alone against the validators a client trusts: no node, no clock, no IO. The checks, in
 * order (the first that fails refuses the receipt, naming its {@link ReceiptCheck}):
 * <ol>
 *   <li>{@link ReceiptCheck#CHAIN}: the receipt, every header and every vote are of the trusted chain.</li>
 *   <li>{@link ReceiptCheck#EVENT_SUBJECT}: the receipt holds at least one event.</li>
 *   <li>{@link ReceiptCheck#HEADER}: every certificate's vote names its header: height, block hash (SHA-256 of the
 *       header's encoding) and state root; a block and a set change at one height have one header.</li>
 *   <li>Then, walking up the heights from the trusted set, which signs every height until a change replaces it:
 *     <ul>
 *       <li>{@link ReceiptCheck#SET_CHANGE}, for each change above the trusted height: its certificate checks against
 *           the set in force at its height, and its state proof shows its set in the validator-set row under its
 *           header's state root. Its set then signs the heights above it. (Changes at or below the trusted height are
 *           passed over: the trusted set is already the later one.)</li>
 *       <li>{@link ReceiptCheck#CERTIFICATE}, for each block: its certificate checks
 *           ({@link FinalityCertificate#check}) against the set in force at its height: the vote names that set's
 *           hash, every signer is a member whose signature verifies, and the signers hold more than two thirds of its
 *           stake.</li>
 *       <li>{@link ReceiptCheck#EVENT_PROOF}: each of the block's events has a Merkle path to the header's events
 *           root.</li>
 *       <li>{@link ReceiptCheck#EVENT_SUBJECT}: each of the block's events names the receipt's job.</li>
 *     </ul>
 *   </li>
 * </ol>
 * A block at or below the trusted height passes only when the trusted set itself signed it: a receipt cannot lead
 * back to an earlier set.
 *
 * <p>Why this is enough: an honest validator signs a vote only for a block it executed itself, naming the set that
 * signs that height. While the validators of each set in force hold less than a third of its stake dishonestly, a
 * certificate of more than two thirds holds an honest signature, so its block is the chain's, and so is the set its
 * state holds.
 */
public final class ReceiptVerifier {
    private ReceiptVerifier() {}

    /** Decodes and verifies: bytes that are not one canonical receipt are refused as {@link ReceiptCheck#FORMAT}. */
    public static ReceiptVerification verify(byte[] receipt, TrustedValidators trusted) {
        JobReceipt r;
        try {
            r = JobReceipt.decode(receipt);
        } catch (DecodingException e) {
            return ReceiptVerification.refused(ReceiptCheck.FORMAT, "the receipt does not decode: " + e.getMessage(),
                    trusted.chainId(), null);
        }
        return verify(r, trusted);
    }

    public static ReceiptVerification verify(JobReceipt receipt, TrustedValidators trusted) {
        try {
            return new Run(receipt, trusted).run();
        } catch (Refusal r) {
            return ReceiptVerification.refused(r.check, r.getMessage(), trusted.chainId(), receipt.jobId());
        }
    }

    /** One verification: the state of the walk up the heights. */
    private static final class Run {
        private final JobReceipt receipt;
        private final TrustedValidators trusted;
        private final List<ReceiptVerification.Block> blocks = new ArrayList<>();
        private final List<ReceiptVerification.Event> events = new ArrayList<>();
        private final List<ReceiptVerification.SetChange> changes = new ArrayList<>();
        private int skipped;
        private ValidatorSet current;
        /** The height after which {@link #current} signs: the trusted height, then each change's. */
        private long currentFrom;

        Run(JobReceipt receipt, TrustedValidators trusted) {
            this.receipt = receipt;
            this.trusted = trusted;
            this.current = trusted.set();
            this.currentFrom = trusted.fromHeight();
        }

        ReceiptVerification run() {
            chain();
            if (receipt.eventCount() == 0) {
                throw new Refusal(ReceiptCheck.EVENT_SUBJECT, "the receipt holds no event of job " + receipt.jobId().hex()
                        + ", so it proves nothing about it");
            }
            headers();
            List<ValidatorSetChange> setChanges = receipt.setChanges();
            int next = 0;
            for (CertifiedBlock b : receipt.blocks()) {
                while (next < setChanges.size() && setChanges.get(next).height() < b.height()) {
                    follow(setChanges.get(next++));
                }
                block(b);
            }
            while (next < setChanges.size()) {
                follow(setChanges.get(next++));
            }
            return new ReceiptVerification(null, null, trusted.chainId(), receipt.jobId(), blocks, events, changes, skipped);
        }

        private void chain() {
            String id = trusted.chainId();
            if (!receipt.chainId().equals(id)) {
                throw new Refusal(ReceiptCheck.CHAIN, "the receipt is for chain '" + receipt.chainId() + "', but the trusted "
                        + "validators are chain '" + id + "''s");
            }
            for (ValidatorSetChange c : receipt.setChanges()) {
                chain(c.header(), c.certificate(), "the validator-set change at height " + c.height());
            }
            for (CertifiedBlock b : receipt.blocks()) {
                chain(b.header(), b.certificate(), "block " + b.height());
            }
        }

        private void chain(BlockHeader header, FinalityCertificate certificate, String what) {
            String id = trusted.chainId();
            if (!header.chainId().equals(id)) {
                throw new Refusal(ReceiptCheck.CHAIN, "the header of " + what + " is from chain '" + header.chainId()
                        + "', not the trusted chain '" + id + "'");
            }
            if (!certificate.vote().chainId().equals(id)) {
                throw new Refusal(ReceiptCheck.CHAIN, "the certificate of " + what + " is signed for chain '"
                        + certificate.vote().chainId() + "', not the trusted chain '" + id + "'");
            }
        }

        private void headers() {
            Map<Long, Hash> byHeight = new HashMap<>();
            for (ValidatorSetChange c : receipt.setChanges()) {
                byHeight.put(c.height(), names(c.header(), c.certificate(), "the validator-set change at height " + c.height()));
            }
            for (CertifiedBlock b : receipt.blocks()) {
                Hash hash = names(b.header(), b.certificate(), "block " + b.height());
                Hash other = byHeight.get(b.height());
                if (other != null && !other.equals(hash)) {
                    throw new Refusal(ReceiptCheck.HEADER, "the receipt holds two different headers for height " + b.height()
                            + ": block " + hash.hex() + " and, in a validator-set change, block " + other.hex());
                }
            }
        }

        /** Checks that the certificate's vote names the header; returns the header's hash. */
        private static Hash names(BlockHeader header, FinalityCertificate certificate, String what) {
            FinalityVote vote = certificate.vote();
            Hash hash = header.hash();
            if (vote.height() != header.height()) {
                throw new Refusal(ReceiptCheck.HEADER, "the certificate of " + what + " is for height " + vote.height()
                        + ", not the header's " + header.height());
            }
            if (!vote.blockHash().equals(hash)) {
                throw new Refusal(ReceiptCheck.HEADER, "the certificate of " + what + " names block " + vote.blockHash().hex()
                        + ", but the header hashes to " + hash.hex());
            }
            if (!vote.stateRoot().equals(header.stateRoot())) {
                throw new Refusal(ReceiptCheck.HEADER, "the certificate of " + what + " names state root "
                        + vote.stateRoot().hex() + ", but the header holds " + header.stateRoot().hex());
            }
            return hash;
        }

        private void follow(ValidatorSetChange c) {
            long h = c.height();
            if (h <= trusted.fromHeight()) {
                skipped++;
                return;
            }
            Optional<String> problem = c.problemAfter(current);
            if (problem.isPresent()) {
                throw new Refusal(ReceiptCheck.SET_CHANGE, problem.get() + " (that set signs since height " + currentFrom + ")");
            }
            current = c.set();
            currentFrom = h;
            changes.add(new ReceiptVerification.SetChange(h, c.blockHash(), current.hash(), current.members().size(),
                    current.totalStake()));
        }

        private void block(CertifiedBlock b) {
            long h = b.height();
            Hash blockHash = b.blockHash();
            Optional<String> problem = b.certificate().check(current);
            if (problem.isPresent()) {
                boolean otherSet = !b.certificate().vote().validatorSetHash().equals(current.hash());
                String hint = otherSet && h <= trusted.fromHeight()
                        ? "; block " + h + " is at or below the trusted set's height " + trusted.fromHeight() + ", so only "
                                + "that set can vouch for it: verify with validators trusted from before it"
                        : "";
                throw new Refusal(ReceiptCheck.CERTIFICATE, problem.get() + hint);
            }
            if (b.events().isEmpty()) {
                throw new Refusal(ReceiptCheck.EVENT_SUBJECT, "block " + h + " of the receipt carries no event of the job");
            }
            Hash root = b.header().eventsRoot();
            for (ReceiptEvent e : b.events()) {
                if (!Merkle.verify(root, b.eventCount(), e.index(), e.leaf(), e.path())) {
                    throw new Refusal(ReceiptCheck.EVENT_PROOF, "the path of " + e.path().size() + " hashes does not lead from "
                            + "event " + e.index() + " of " + b.eventCount() + " to the events root " + root.hex() + " of block "
                            + h);
                }
            }
            List<ReceiptVerification.Event> found = new ArrayList<>(b.events().size());
            for (ReceiptEvent e : b.events()) {
                EventFields fields;
                try {
                    fields = e.fields();
                } catch (DecodingException x) {
                    throw new Refusal(ReceiptCheck.EVENT_SUBJECT, "event " + e.index() + " of block " + h
                            + " is not a ledger event: " + x.getMessage());
                }
                if (fields.job() == null) {
                    throw new Refusal(ReceiptCheck.EVENT_SUBJECT, "event " + e.index() + " of block " + h + " (type code "
                            + fields.typeCode() + ") names no job, so it is not an event of job " + receipt.jobId().hex());
                }
                if (!fields.job().equals(receipt.jobId())) {
                    throw new Refusal(ReceiptCheck.EVENT_SUBJECT, "event " + e.index() + " of block " + h + " is about job "
                            + fields.job().hex() + ", not the receipt's job " + receipt.jobId().hex());
                }
                found.add(new ReceiptVerification.Event(h, blockHash, e.index(), fields.typeCode(), e.event()));
            }
            List<PublicKey> signers = new ArrayList<>();
            long signed = 0;
            for (FinalityCertificate.Signer s : b.certificate().signers()) {
                signers.add(s.validator());
                signed += current.stakeOf(s.validator());
            }
            blocks.add(new ReceiptVerification.Block(h, blockHash, b.header(), current.hash(), signers, signed,
                    current.totalStake(), b.eventCount()));
            events.addAll(found);
        }
    }

    /** A failed check, ending the walk. */
    private static final class Refusal extends RuntimeException {
        final ReceiptCheck check;

        Refusal(ReceiptCheck check, String message) {
            super(message, null, false, false);
            this.check = check;
        }
    }
}
