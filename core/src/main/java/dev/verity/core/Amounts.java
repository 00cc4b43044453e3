package dev.verity.core;

/**
 * Integer arithmetic on amounts in base units. Every operation is overflow-checked: an
 * overflow is a rejected transaction, never a wrapped balance.
 */
public final class Amounts {
    private Amounts() {}

    public static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new AmountOverflowException(a + " + " + b + " overflows a 64-bit amount");
        }
    }

    public static long subtract(long a, long b) {
        try {
            return Math.subtractExact(a, b);
        } catch (ArithmeticException e) {
            throw new AmountOverflowException(a + " - " + b + " overflows a 64-bit amount");
        }
    }

    public static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new AmountOverflowException(a + " * " + b + " overflows a 64-bit amount");
        }
    }

    /** {@code amount * basisPoints / 10_000}, rounded down, computed without overflow for any amount. */
    public static long basisPoints(long amount, long basisPoints) {
        if (basisPoints < 0 || basisPoints > 10_000) {
            throw new IllegalArgumentException("basis points must be within 0..10000, got " + basisPoints);
        }
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative, got " + amount);
        }
        // amount = q * 10000 + r, so amount * bp / 10000 = q * bp + r * bp / 10000 exactly, without overflow.
        return (amount / 10_000) * basisPoints + (amount % 10_000) * basisPoints / 10_000;
    }

    public static final class AmountOverflowException extends ArithmeticException {
        public AmountOverflowException(String message) {
            super(message);
        }
    }
}
