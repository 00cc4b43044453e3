package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.Amounts;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
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

    /** A day as YYYY-MM-DD. */
    static final class Day implements ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31");
            }
        }
    }

    /** A time zone: a region (Europe/Paris), an offset (+02:00) or UTC. */
    static final class Zone implements ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return ZoneId.of(value.strip());
            } catch (DateTimeException e) {
                throw new TypeConversionException("'" + value + "' is not a time zone; give a region like Europe/Paris, "
                        + "an offset like +02:00, or UTC");
            }
        }
    }
}
