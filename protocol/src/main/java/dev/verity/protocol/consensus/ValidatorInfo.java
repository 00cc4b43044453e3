package dev.verity.protocol.consensus;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.PublicKey;

/**
 * One validator of the set: its signing key, its bonded stake (base units; its weight in finality), where its peers
 * reach its replication endpoint ({@code host:port}) and where clients reach its API ({@code http://host:port}). The
 * addresses are on chain so that a joining validator's peers can add it to the replicated log without other
 * configuration.
 */
public record ValidatorInfo(PublicKey key, long stake, String peerAddress, String apiUrl) {
    public static final int MAX_ADDRESS = 256;

    public ValidatorInfo {
        if (key == null) {
            throw new IllegalArgumentException("a validator needs a key");
        }
        if (stake <= 0) {
            throw new IllegalArgumentException("validator " + key.hex() + " has stake " + stake + "; a validator's stake is positive");
        }
        peerAddress = checkAddress(peerAddress, "peer address");
        apiUrl = checkAddress(apiUrl, "API URL");
    }

    private static String checkAddress(String value, String what) {
        String v = value == null ? "" : value;
        if (v.length() > MAX_ADDRESS) {
            throw new IllegalArgumentException("a validator's " + what + " is at most " + MAX_ADDRESS + " characters, got " + v.length());
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("a validator's " + what + " holds a space or a character outside printable ASCII at "
                        + i + ": '" + v + "'");
            }
        }
        return v;
    }

    public ValidatorInfo withStake(long newStake) {
        return new ValidatorInfo(key, newStake, peerAddress, apiUrl);
    }

    public void encode(Encoder e) {
        e.publicKey(key).u64(stake).string(peerAddress).string(apiUrl);
    }

    public static ValidatorInfo decode(Decoder d) {
        return new ValidatorInfo(d.publicKey("validator key"), d.u64("validator stake"), d.string("peer address", MAX_ADDRESS),
                d.string("API URL", MAX_ADDRESS));
    }
}
