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
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceCodec;
import java.util.List;

/**
 * The chain's starting point. Its hash stands in for block 0: block 1's previous hash.
 * {@code council} governs the chain from then on; {@code collateral} holds the TEE roots (and
 * vendor collateral) the chain trusts, {@code approvedMeasurements} the approved builds of the node
 * software per TEE type, and {@code minimumTcbs} the lowest TCB version accepted per TEE type.
 *
 * <p>{@code validators} is the first validator set: each validator's key, its bonded validator stake and its
 * addresses. That stake is created at genesis, as the allocations are, and counts in the supply from then on
 * ({@link dev.verity.ledger.state.Supply#validatorStakes}); it is in no account's balance.
 */
public record Genesis(String chainId, long timestampMillis, Params params, List<Allocation> allocations,
                      List<ValidatorInfo> validators, Council council, List<Collateral> collateral,
                      List<ApprovedMeasurement> approvedMeasurements, List<MinimumTcb> minimumTcbs) {

    /** The validator stake {@link #validator(PublicKey)} gives a genesis validator: 1 000 VRT. */
    public static final long DEFAULT_VALIDATOR_STAKE = 1_000 * Params.BASE_UNITS_PER_TOKEN;

    public record Allocation(PublicKey account, long balance) {}

    /** A genesis validator with {@link #DEFAULT_VALIDATOR_STAKE} and no addresses (a single-validator chain). */
    public static ValidatorInfo validator(PublicKey key) {
        return new ValidatorInfo(key, DEFAULT_VALIDATOR_STAKE, "", "");
    }

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
        e.list(validators, (x, v) -> v.encode(x));
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
                d.list("validators", ValidatorSet.MAX_MEMBERS, ValidatorInfo::decode),
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
