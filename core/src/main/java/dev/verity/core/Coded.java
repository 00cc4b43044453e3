package dev.verity.core;

/**
 * A value with an explicit, stable code in consensus bytes. Enums that reach encodings implement it
 * instead of relying on their declaration order, so reordering or inserting a constant never changes bytes.
 */
public interface Coded {
    int code();

    /** The constant of {@code values} whose code is {@code code}; a {@link DecodingException} naming {@code what} if none. */
    static <E extends Coded> E fromCode(E[] values, int code, String what) {
        for (E v : values) {
            if (v.code() == code) {
                return v;
            }
        }
        throw new DecodingException("unknown " + what + " code " + code);
    }
}
