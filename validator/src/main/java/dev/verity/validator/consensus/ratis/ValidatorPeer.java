package dev.verity.validator.consensus.ratis;

import dev.verity.core.PublicKey;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A validator as a member of the replicated log: its key names it, {@code address} ({@code host:port}) reaches its log,
 * {@code apiUrl} (may be empty) its API, where a validator that fell behind fetches snapshots.
 */
public record ValidatorPeer(PublicKey key, String address, String apiUrl) {

    public ValidatorPeer(PublicKey key, String address) {
        this(key, address, "");
    }

    public ValidatorPeer {
        if (address == null || !address.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("a validator's peer address is host:port, got '" + address + "'");
        }
        apiUrl = apiUrl == null ? "" : apiUrl;
        if (!apiUrl.isEmpty() && !apiUrl.matches("https?://[^\\s]+")) {
            throw new IllegalArgumentException("a validator's API URL is http(s)://host:port, got '" + apiUrl + "'");
        }
    }

    /** Parses {@code KEYHEX=host:port[@apiUrl]}, as {@code --peer} takes it. */
    public static ValidatorPeer parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--peer takes KEY=HOST:PORT[@API-URL] (the validator's public key in hex), got '"
                    + spec + "'");
        }
        String rest = spec.substring(eq + 1).strip();
        int at = rest.indexOf('@');
        return new ValidatorPeer(PublicKey.fromHex(spec.substring(0, eq).strip()), at < 0 ? rest : rest.substring(0, at),
                at < 0 ? "" : rest.substring(at + 1));
    }

    /** The Raft peer id of a validator key: {@code v} and the key's first 16 hex digits. */
    public static RaftPeerId idOf(PublicKey key) {
        return RaftPeerId.valueOf("v" + key.hex().substring(0, 16));
    }

    RaftPeer toRaftPeer() {
        return RaftPeer.newBuilder().setId(idOf(key)).setAddress(address).build();
    }
}
