package dev.verity.ledger;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceCodec;
import java.util.List;

/**
 * The chain's starting point. Its hash stands in for block 0: block 1's previous hash.
 * {@code council} governs the chain from then on; {@code collateral} holds the TEE roots (and
 * vendor collateral) the chain trusts, {@code approvedMeasurements} the approved builds of the node
 * software per TEE type, and {@code minimumTcbs} the lowest TCB version accepted per TEE type.
 */
public record Genesis(String chainId, long timestampMillis, Params params, List<Allocation> allocations,
                      List<PublicKey> validators, Council council, List<Collateral> collateral,
                      List<ApprovedMeasurement> approvedMeasurements, List<MinimumTcb> minimumTcbs) {

    public record Allocation(PublicKey account, long balance) {}

    public record ApprovedMeasurement(TeeType type, Measurement measurement, String label) {}

    public record MinimumTcb(TeeType type, TcbVersion minimum) {}

    public Genesis {
        allocations = List.copyOf(allocations);
        validators = List.copyOf(validators);
        collateral = List.copyOf(collateral);
        approvedMeasurements = List.copyOf(approvedMeasurements);
        minimumTcbs = List.copyOf(minimumTcbs);
    }

    public byte[] encode() {
        Encoder e = new Encoder(4096);
        e.string(chainId).u64(timestampMillis);
        params.encode(e);
        e.list(allocations, (x, a) -> x.publicKey(a.account()).u64(a.balance()));
        e.list(validators, Encoder::publicKey);
        GovernanceCodec.writeCouncil(e, council);
        e.list(collateral, GovernanceCodec::writeCollateral);
        e.list(approvedMeasurements, (x, m) -> {
            GovernanceCodec.type(x, m.type());
            x.fixed(m.measurement().bytes()).string(m.label());
        });
        e.list(minimumTcbs, (x, m) -> {
            GovernanceCodec.type(x, m.type());
            GovernanceCodec.writeTcb(x, m.minimum());
        });
        return e.toByteArray();
    }

    public static Genesis decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Genesis g = new Genesis(d.string("chain id", 64), d.u64("timestamp"), Params.decode(d),
                d.list("allocations", 1 << 16, x -> new Allocation(x.publicKey("account"), x.u64("balance"))),
                d.list("validators", 1024, x -> x.publicKey("validator")),
                GovernanceCodec.readCouncil(d),
                d.list("collateral", 1024, GovernanceCodec::readCollateral),
                d.list("measurements", 1024, x -> new ApprovedMeasurement(GovernanceCodec.type(x),
                        GovernanceCodec.measurement(x), x.string("label", 256))),
                d.list("minimum TCBs", 16, x -> new MinimumTcb(GovernanceCodec.type(x), GovernanceCodec.readTcb(x))));
        d.end("genesis");
        return g;
    }

    public Hash hash() {
        return Sha256.digest(encode());
    }
}
