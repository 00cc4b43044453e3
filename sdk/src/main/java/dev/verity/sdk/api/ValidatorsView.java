package dev.verity.sdk.api;

import dev.verity.core.Bytes;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.TrustedValidators;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The active validator set as {@code GET /v1/validators} serves it, and the format of a trust file
 * ({@code verity validators --json > trust.json}): what a client checks job receipts against.
 *
 * @param chainId          the chain's id
 * @param height           the height of the block whose state holds the set (0: the genesis set); the set signs the
 *                         blocks after it
 * @param validatorSetHash the set's hash, hex: what finality votes name ({@link ValidatorSet#hash()})
 * @param validatorSet     the set's canonical encoding, hex ({@link ValidatorSet#encode()}): what a client trusts
 * @param validators       the same set, readable; it must agree with {@code validatorSet}
 */
public record ValidatorsView(String chainId, long height, String validatorSetHash, String validatorSet,
                             List<Member> validators) {

    /** One validator: its key (hex), stake (base units), replication address and API URL. */
    public record Member(String key, long stake, String peerAddress, String apiUrl) {
        static Member of(ValidatorInfo v) {
            return new Member(v.key().hex(), v.stake(), v.peerAddress(), v.apiUrl());
        }
    }

    /** {@code m} with its key in lower case and absent addresses empty, as the encoding holds them; null stays null. */
    private static Member normalized(Member m) {
        return m == null ? null : new Member(m.key() == null ? null : m.key().toLowerCase(Locale.ROOT), m.stake(),
                Objects.requireNonNullElse(m.peerAddress(), ""), Objects.requireNonNullElse(m.apiUrl(), ""));
    }

    public static ValidatorsView of(TrustedValidators t) {
        return new ValidatorsView(t.chainId(), t.fromHeight(), t.setHash().hex(), Bytes.hex(t.set().encode()),
                t.set().members().stream().map(Member::of).toList());
    }

    /**
     * The trusted validators this names, from {@code validatorSet}, once it has checked that {@code validatorSetHash}
     * is its hash and {@code validators} lists exactly its members.
     *
     * @throws IllegalArgumentException naming the first field that is missing, malformed or does not agree
     */
    public TrustedValidators toTrusted() {
        if (chainId == null || chainId.isEmpty()) {
            throw new IllegalArgumentException("no chainId");
        }
        if (height < 0) {
            throw new IllegalArgumentException("height is " + height + "; it is 0 (genesis) or more");
        }
        if (validatorSet == null) {
            throw new IllegalArgumentException("no validatorSet (the hex of the set's encoding)");
        }
        if (validatorSetHash == null) {
            throw new IllegalArgumentException("no validatorSetHash");
        }
        ValidatorSet set;
        try {
            set = ValidatorSet.decode(HexFormat.of().parseHex(validatorSet));
        } catch (DecodingException | IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("validatorSet is not the hex of a validator set's encoding: " + e.getMessage(), e);
        }
        Hash hash;
        try {
            hash = Hash.fromHex(validatorSetHash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("validatorSetHash is not a hash (64 hex characters): '" + validatorSetHash + "'", e);
        }
        if (!hash.equals(set.hash())) {
            throw new IllegalArgumentException("validatorSetHash " + hash.hex() + " is not the hash of validatorSet, "
                    + set.hash().hex());
        }
        if (validators == null) {
            throw new IllegalArgumentException("no validators list");
        }
        List<ValidatorInfo> members = set.members();
        if (validators.size() != members.size()) {
            throw new IllegalArgumentException("validators lists " + validators.size() + " validators, but validatorSet holds "
                    + members.size());
        }
        for (int i = 0; i < members.size(); i++) {
            Member expected = Member.of(members.get(i));
            Member listed = validators.get(i);
            if (!expected.equals(normalized(listed))) {
                throw new IllegalArgumentException("validators[" + i + "] " + listed + " differs from validatorSet's member "
                        + i + ", " + expected);
            }
        }
        return new TrustedValidators(chainId, set, height);
    }
}
