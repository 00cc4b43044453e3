package dev.verity.service.metrics;

import java.util.Optional;

/**
 * One condition of {@code /readyz}: empty when it holds, else why the process should not be sent traffic. Must be
 * cheap and must not block (a probe calls it on every request).
 */
@FunctionalInterface
public interface ReadinessCheck {
    Optional<String> problem();

    /** A check that fails with {@code reason} while {@code failed} says so (a fail-stop flag, say). */
    static ReadinessCheck unless(java.util.function.BooleanSupplier failed, String reason) {
        return () -> failed.getAsBoolean() ? Optional.of(reason) : Optional.empty();
    }
}
