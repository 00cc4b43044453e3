package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.VerificationMode;
import dev.verity.sdk.Amounts;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters: a bad value is bad usage (exit code 2) with a message that says what is expected. */
final class Converters {
    private Converters() {}

    /** A token amount ("1.5", "1000", "0.25 VRT") to base units. */
    static final class Tokens implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Amounts.parseTokens(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An account or node id: an Ed25519 public key in 64 hex characters. */
    static final class Key implements ITypeConverter<PublicKey> {
        @Override
        public PublicKey convert(String value) {
            try {
                return PublicKey.fromHex(value.strip());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not an account id (64 hex characters of a public key)");
            }
        }
    }

    /** A model or job id: a SHA-256 hash in 64 hex characters. */
    static final class Sha implements ITypeConverter<Hash> {
        @Override
        public Hash convert(String value) {
            try {
                return Hash.fromHex(value.strip().toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not an id (64 hex characters of a SHA-256 hash)");
            }
        }
    }

    /** A verification mode: NONE, TEE, ... (any case). */
    static final class Mode implements ITypeConverter<VerificationMode> {
        @Override
        public VerificationMode convert(String value) {
            try {
                return VerificationMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
