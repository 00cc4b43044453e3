package dev.verity.testkit;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.Genesis;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.protocol.Params;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.governance.Council;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds a test chain's genesis: funded accounts, validators, a council (the first validator's key unless named), and
 * optional TEE collateral and measurements. Defaults: {@link #TIME}, {@link Params#defaults()}.
 */
public final class TestGenesis {
    /** 2026-01-01T00:00:00Z, the genesis time of most test chains. */
    public static final long TIME = 1_767_225_600_000L;
    /** One whole token in base units. */
    public static final long VRT = Params.BASE_UNITS_PER_TOKEN;

    private final String chainId;
    private long timestampMillis = TIME;
    private Params params = Params.defaults();
    private final List<Genesis.Allocation> allocations = new ArrayList<>();
    private final List<ValidatorInfo> validators = new ArrayList<>();
    private PublicKey governor;
    private final List<Collateral> collateral = new ArrayList<>();
    private final List<Genesis.ApprovedMeasurement> measurements = new ArrayList<>();
    private final List<Genesis.MinimumTcb> minimumTcbs = new ArrayList<>();

    private TestGenesis(String chainId) {
        this.chainId = chainId;
    }

    public static TestGenesis chain(String chainId) {
        return new TestGenesis(chainId);
    }

    public TestGenesis at(long millis) {
        this.timestampMillis = millis;
        return this;
    }

    public TestGenesis params(Params params) {
        this.params = params;
        return this;
    }

    /** Changes the parameters set so far. */
    public TestGenesis params(UnaryOperator<Params> change) {
        this.params = change.apply(params);
        return this;
    }

    /** Gives {@code key}'s account {@code baseUnits}. */
    public TestGenesis fund(PublicKey key, long baseUnits) {
        allocations.add(new Genesis.Allocation(key, baseUnits));
        return this;
    }

    public TestGenesis fund(PrivateKey key, long baseUnits) {
        return fund(key.publicKey(), baseUnits);
    }

    /** A validator with {@link Genesis#DEFAULT_VALIDATOR_STAKE} (1 000 VRT of validator stake) and no addresses. */
    public TestGenesis validator(PublicKey key) {
        return validator(Genesis.validator(key));
    }

    /** A validator with its own stake and addresses. */
    public TestGenesis validator(ValidatorInfo validator) {
        validators.add(validator);
        return this;
    }

    public TestGenesis validator(PrivateKey key) {
        return validator(key.publicKey());
    }

    /** The single council member (default: the first validator). */
    public TestGenesis governor(PublicKey key) {
        this.governor = key;
        return this;
    }

    public TestGenesis governor(PrivateKey key) {
        return governor(key.publicKey());
    }

    public TestGenesis collateral(List<Collateral> roots) {
        collateral.addAll(roots);
        return this;
    }

    public TestGenesis measurement(Genesis.ApprovedMeasurement measurement) {
        measurements.add(measurement);
        return this;
    }

    public TestGenesis minimumTcb(Genesis.MinimumTcb minimum) {
        minimumTcbs.add(minimum);
        return this;
    }

    public Genesis build() {
        if (validators.isEmpty()) {
            throw new IllegalStateException("a genesis needs at least one validator");
        }
        PublicKey council = governor != null ? governor : validators.get(0).key();
        return new Genesis(chainId, timestampMillis, params, allocations, validators, Council.single(council), collateral,
                measurements, minimumTcbs);
    }
}
