package dev.verity.validator.api;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import io.javalin.http.Context;
import java.util.HexFormat;

/** Parses path and query parameters, answering 400 BAD_REQUEST with the parameter's name when one is malformed. */
final class RequestParams {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private RequestParams() {}

    /** A query parameter, or null when it is absent or empty. */
    static String query(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static Hash pathHash(Context ctx, String name, String what) {
        return hash(ctx.pathParam(name), "path parameter '" + name + "'", what);
    }

    static PublicKey pathKey(Context ctx, String name, String what) {
        return key(ctx.pathParam(name), "path parameter '" + name + "'", what);
    }

    static Hash queryHash(Context ctx, String name, String what) {
        String v = query(ctx, name);
        return v == null ? null : hash(v, "query parameter '" + name + "'", what);
    }

    static PublicKey queryKey(Context ctx, String name, String what) {
        String v = query(ctx, name);
        return v == null ? null : key(v, "query parameter '" + name + "'", what);
    }

    /** A non-negative whole number, or {@code defaultValue} when absent. */
    static Long queryLong(Context ctx, String name, Long defaultValue) {
        String v = query(ctx, name);
        if (v == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be a whole number >= 0, got '" + shorten(v) + "'");
        }
    }

    /** A whole number of at least {@code min} in the path, described as {@code what} when it is not one. */
    static long pathLong(Context ctx, String name, long min, String what) {
        String v = ctx.pathParam(name);
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("path parameter '" + name + "' must be " + what + " (a whole number >= " + min
                    + "), got '" + shorten(v) + "'");
        }
    }

    /** {@code limit}: 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}. */
    static int limit(Context ctx) {
        String v = query(ctx, "limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT + ", got '"
                    + shorten(v) + "'");
        }
    }

    static Hash hash(String v, String param, String what) {
        if (!isHex(v, 64)) {
            throw ApiException.badRequest(param + " must be " + what + ": 64 hex characters, got '" + shorten(v) + "'");
        }
        return Hash.fromHex(v.toLowerCase());
    }

    static PublicKey key(String v, String param, String what) {
        if (!isHex(v, 64)) {
            throw ApiException.badRequest(param + " must be " + what + ": a public key of 64 hex characters, got '" + shorten(v) + "'");
        }
        return PublicKey.fromHex(v.toLowerCase());
    }

    private static boolean isHex(String v, int length) {
        if (v == null || v.length() != length) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.digit(v.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static String shorten(String v) {
        if (v == null) {
            return "";
        }
        String s = v.length() > 80 ? v.substring(0, 80) + "..." : v;
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
