package dev.verity.validator.consensus.ratis;

import dev.verity.core.PublicKey;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/** A validator as a member of the replicated log: its key names it, {@code address} ({@code host:port}) reaches it. */
public record ValidatorPeer(PublicKey key, String address) {

    public ValidatorPeer {
        if (address == null || !address.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("a validator's peer address is host:port, got '" + address + "'");
        }
    }

    /** Parses {@code KEYHEX=host:port}, as {@code --peer} takes it. */
    public static ValidatorPeer parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--peer takes KEY=HOST:PORT (the validator's public key in hex), got '" + spec + "'");
        }
        return new ValidatorPeer(PublicKey.fromHex(spec.substring(0, eq).strip()), spec.substring(eq + 1).strip());
    }

    /** The Raft peer id of a validator key: {@code v} and the key's first 16 hex digits. */
    public static RaftPeerId idOf(PublicKey key) {
        return RaftPeerId.valueOf("v" + key.hex().substring(0, 16));
    }

    RaftPeer toRaftPeer() {
        return RaftPeer.newBuilder().setId(idOf(key)).setAddress(address).build();
    }
}
