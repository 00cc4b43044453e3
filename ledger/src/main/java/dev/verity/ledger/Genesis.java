package dev.verity.ledger;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import java.util.List;

/**
 * The chain's starting point. Its hash stands in for block 0: block 1's previous hash.
 * {@code devPlatformKeys} are the development enclave's trusted platform keys and
 * {@code approvedMeasurements} the approved builds of the node software.
 */
public record Genesis(String chainId, long timestampMillis, Params params, List<Allocation> allocations,
                      List<PublicKey> validators, List<PublicKey> devPlatformKeys, List<ApprovedMeasurement> approvedMeasurements) {

    public record Allocation(PublicKey account, long balance) {}

    public record ApprovedMeasurement(Hash measurement, String label) {}

    public Genesis {
        allocations = List.copyOf(allocations);
        validators = List.copyOf(validators);
        devPlatformKeys = List.copyOf(devPlatformKeys);
        approvedMeasurements = List.copyOf(approvedMeasurements);
    }

    public byte[] encode() {
        Encoder e = new Encoder(512);
        e.string(chainId).u64(timestampMillis);
        params.encode(e);
        e.list(allocations, (x, a) -> x.publicKey(a.account()).u64(a.balance()));
        e.list(validators, Encoder::publicKey);
        e.list(devPlatformKeys, Encoder::publicKey);
        e.list(approvedMeasurements, (x, m) -> x.hash(m.measurement()).string(m.label()));
        return e.toByteArray();
    }

    public static Genesis decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Genesis g = new Genesis(d.string("chain id", 64), d.u64("timestamp"), Params.decode(d),
                d.list("allocations", 1 << 16, x -> new Allocation(x.publicKey("account"), x.u64("balance"))),
                d.list("validators", 1024, x -> x.publicKey("validator")),
                d.list("platform keys", 1024, x -> x.publicKey("platform key")),
                d.list("measurements", 1024, x -> new ApprovedMeasurement(x.hash("measurement"), x.string("label", 256))));
        d.end("genesis");
        return g;
    }

    public Hash hash() {
        return Sha256.digest(encode());
    }
}
