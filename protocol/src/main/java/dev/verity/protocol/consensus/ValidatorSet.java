package dev.verity.protocol.consensus;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.protocol.state.StateTable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The validators that sign blocks, in key order (one canonical encoding, so one hash). The ledger keeps the active set
 * in one state row ({@link #STATE_KEY}), so a state proof of that row against a certified state root shows a client
 * the set that signs the next blocks. A block is final when validators holding more than two thirds of the set's stake
 * have signed the same root ({@link #isQuorum}).
 */
public record ValidatorSet(List<ValidatorInfo> members) {
    public static final int MAX_MEMBERS = 256;
    private static final byte[] DOMAIN = Bytes.utf8("verity-validator-set-v1");
    /** The storage key of the state row that holds the active set. */
    public static final byte[] STATE_KEY = StateTable.VALIDATOR_SET.rowKey(e -> e.string("active"));

    public ValidatorSet {
        members = List.copyOf(members);
        if (members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a validator set holds at most " + MAX_MEMBERS + " validators, got " + members.size());
        }
        long total = 0;
        for (int i = 0; i < members.size(); i++) {
            if (i > 0 && members.get(i - 1).key().compareTo(members.get(i).key()) >= 0) {
                throw new IllegalArgumentException("a validator set lists its validators once each, in key order; "
                        + members.get(i).key().hex() + " is out of order or repeated");
            }
            total = Math.addExact(total, members.get(i).stake());
        }
    }

    /** The set of {@code validators} in canonical (key) order. */
    public static ValidatorSet of(List<ValidatorInfo> validators) {
        List<ValidatorInfo> sorted = new ArrayList<>(validators);
        sorted.sort(Comparator.comparing(ValidatorInfo::key));
        return new ValidatorSet(sorted);
    }

    public long totalStake() {
        long total = 0;
        for (ValidatorInfo v : members) {
            total += v.stake();
        }
        return total;
    }

    public Optional<ValidatorInfo> find(PublicKey key) {
        for (ValidatorInfo v : members) {
            if (v.key().equals(key)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public boolean contains(PublicKey key) {
        return find(key).isPresent();
    }

    /** The stake of {@code key} in this set; 0 when it is not a member. */
    public long stakeOf(PublicKey key) {
        return find(key).map(ValidatorInfo::stake).orElse(0L);
    }

    /** True when {@code signedStake} is more than two thirds of the set's stake (exact, in 128 bits). */
    public boolean isQuorum(long signedStake) {
        return BigInteger.valueOf(signedStake).multiply(BigInteger.valueOf(3))
                .compareTo(BigInteger.valueOf(totalStake()).multiply(BigInteger.TWO)) > 0;
    }

    /** This set with {@code v} added, or replacing the entry with its key. */
    public ValidatorSet with(ValidatorInfo v) {
        List<ValidatorInfo> next = new ArrayList<>(members.size() + 1);
        for (ValidatorInfo m : members) {
            if (!m.key().equals(v.key())) {
                next.add(m);
            }
        }
        next.add(v);
        return of(next);
    }

    /** This set without {@code key}. */
    public ValidatorSet without(PublicKey key) {
        List<ValidatorInfo> next = new ArrayList<>(members.size());
        for (ValidatorInfo m : members) {
            if (!m.key().equals(key)) {
                next.add(m);
            }
        }
        return new ValidatorSet(next);
    }

    public void encode(Encoder e) {
        e.list(members, (x, v) -> v.encode(x));
    }

    public byte[] encode() {
        Encoder e = new Encoder(64 + members.size() * 160);
        encode(e);
        return e.toByteArray();
    }

    public static ValidatorSet decode(Decoder d) {
        return new ValidatorSet(d.list("validators", MAX_MEMBERS, ValidatorInfo::decode));
    }

    public static ValidatorSet decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        ValidatorSet s = decode(d);
        d.end("validator set");
        return s;
    }

    /** What a finality vote names: SHA-256 of a domain tag and the canonical encoding. */
    public Hash hash() {
        return Sha256.digest(Bytes.concat(DOMAIN, encode()));
    }
}
