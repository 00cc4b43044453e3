package dev.verity.economics.earnings;

import dev.verity.protocol.VerificationMode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A count or an amount (base units) per verification mode. */
public record ByMode(long none, long tee, long optimistic, long sampled, long zk) {
    public static final ByMode ZERO = new ByMode(0, 0, 0, 0, 0);

    public long get(VerificationMode mode) {
        return switch (mode) {
            case NONE -> none;
            case TEE -> tee;
            case OPTIMISTIC -> optimistic;
            case SAMPLED -> sampled;
            case ZK -> zk;
        };
    }

    /** This with {@code amount} added to {@code mode}. */
    public ByMode plus(VerificationMode mode, long amount) {
        return new ByMode(
                mode == VerificationMode.NONE ? Math.addExact(none, amount) : none,
                mode == VerificationMode.TEE ? Math.addExact(tee, amount) : tee,
                mode == VerificationMode.OPTIMISTIC ? Math.addExact(optimistic, amount) : optimistic,
                mode == VerificationMode.SAMPLED ? Math.addExact(sampled, amount) : sampled,
                mode == VerificationMode.ZK ? Math.addExact(zk, amount) : zk);
    }

    public ByMode plus(ByMode o) {
        return new ByMode(Math.addExact(none, o.none), Math.addExact(tee, o.tee), Math.addExact(optimistic, o.optimistic),
                Math.addExact(sampled, o.sampled), Math.addExact(zk, o.zk));
    }

    public long total() {
        return Math.addExact(Math.addExact(Math.addExact(none, tee), Math.addExact(optimistic, sampled)), zk);
    }

    /** Mode name to value, in the order of {@link VerificationMode}. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (VerificationMode mode : VerificationMode.values()) {
            m.put(mode.name(), get(mode));
        }
        return m;
    }
}
