package dev.verity.compute.worker;

import dev.verity.protocol.VerificationMode;

/**
 * Which engine runs a model package. Provable modes always take the bit-exact integer engine; the
 * trusted modes ({@code NONE}, {@code TEE}) take ONNX Runtime unless the operator chooses the
 * integer engine for everything (a CPU node that wants every answer reproducible).
 */
public enum EnginePolicy {
    FAST_WHERE_TRUSTED,
    INTEGER_ALWAYS;

    public boolean useIntegerEngine(VerificationMode mode) {
        return this == INTEGER_ALWAYS || (mode != VerificationMode.NONE && mode != VerificationMode.TEE);
    }
}
