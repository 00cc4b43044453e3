package dev.verity.proofs.attestation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A strict, small JSON reader for vendor collateral (Intel's TCB info and QE identity). Every value
 * keeps the byte offsets it spans in the input, so a signature can be checked over the exact bytes
 * the vendor signed instead of a re-serialization.
 *
 * <p>Strict on purpose: integers only (no fractions or exponents: the deterministic core has no
 * floating point), ASCII only, no duplicate keys (two parsers could pick different ones), bounded
 * nesting, nothing after the top-level value but whitespace.
 */
final class Json {
    private static final int MAX_DEPTH = 32;

    private Json() {}

    /** A JSON value spanning bytes {@code [start, end)} of the input. */
    sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
        int start();

        int end();
    }

    record Member(String key, Value value) {}

    record Arr(List<Value> items, int start, int end) implements Value {}

    record Str(String value, int start, int end) implements Value {}

    record Num(long value, int start, int end) implements Value {}

    record Bool(boolean value, int start, int end) implements Value {}

    record Null(int start, int end) implements Value {}

    /** An object; its members in document order. The typed getters throw with the field's name. */
    record Obj(List<Member> members, int start, int end) implements Value {
        Value get(String key) {
            for (Member m : members) {
                if (m.key().equals(key)) {
                    return m.value();
                }
            }
            return null;
        }

        boolean has(String key) {
            return get(key) != null;
        }

        private Value required(String key) {
            Value v = get(key);
            if (v == null) {
                throw new IllegalArgumentException("the field \"" + key + "\" is missing");
            }
            return v;
        }

        String string(String key) {
            if (required(key) instanceof Str s) {
                return s.value();
            }
            throw new IllegalArgumentException("the field \"" + key + "\" is not a string");
        }

        long integer(String key) {
            if (required(key) instanceof Num n) {
                return n.value();
            }
            throw new IllegalArgumentException("the field \"" + key + "\" is not an integer");
        }

        /** An integer in {@code [0, max]}. */
        int integer(String key, int max) {
            long v = integer(key);
            if (v < 0 || v > max) {
                throw new IllegalArgumentException("the field \"" + key + "\" is " + v + ", outside 0.." + max);
            }
            return (int) v;
        }

        Obj object(String key) {
            if (required(key) instanceof Obj o) {
                return o;
            }
            throw new IllegalArgumentException("the field \"" + key + "\" is not an object");
        }

        List<Value> array(String key) {
            if (required(key) instanceof Arr a) {
                return a.items();
            }
            throw new IllegalArgumentException("the field \"" + key + "\" is not an array");
        }

        /** A hex string of exactly {@code length} bytes (either case). */
        byte[] hex(String key, int length) {
            String s = string(key);
            if (s.length() != 2 * length) {
                throw new IllegalArgumentException("the field \"" + key + "\" is not " + length + " bytes of hex");
            }
            try {
                return HexFormat.of().parseHex(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the field \"" + key + "\" is not hex");
            }
        }

        /** A UTC time written {@code YYYY-MM-DDThh:mm:ssZ}, as seconds since the epoch. */
        long time(String key) {
            String s = string(key);
            if (!s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")) {
                throw new IllegalArgumentException("the field \"" + key + "\" is not a UTC time like 2023-06-18T08:42:58Z");
            }
            int year = Integer.parseInt(s.substring(0, 4));
            int month = Integer.parseInt(s.substring(5, 7));
            int day = Integer.parseInt(s.substring(8, 10));
            int hour = Integer.parseInt(s.substring(11, 13));
            int minute = Integer.parseInt(s.substring(14, 16));
            int second = Integer.parseInt(s.substring(17, 19));
            if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
                throw new IllegalArgumentException("the field \"" + key + "\" is not a valid time: " + s);
            }
            return SevSnpVerifier.daysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
        }
    }

    /**
     * Parses a whole document.
     *
     * @throws IllegalArgumentException with the offset of the first problem
     */
    static Value parse(byte[] utf8) {
        Parser p = new Parser(utf8);
        p.skipWhitespace();
        Value v = p.value(0);
        p.skipWhitespace();
        if (p.pos != utf8.length) {
            throw p.error("unexpected data after the JSON value");
        }
        return v;
    }

    private static final class Parser {
        private final byte[] b;
        private int pos;

        Parser(byte[] b) {
            this.b = b;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at byte " + pos);
        }

        void skipWhitespace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
                pos++;
            }
        }

        int peek() {
            if (pos >= b.length) {
                throw error("unexpected end of JSON");
            }
            return b[pos] & 0xFF;
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        Value value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("JSON nested too deeply");
            }
            int c = peek();
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> {
                    int start = pos;
                    String s = string();
                    yield new Str(s, start, pos);
                }
                case 't' -> literal("true", new Bool(true, pos, pos + 4));
                case 'f' -> literal("false", new Bool(false, pos, pos + 5));
                case 'n' -> literal("null", new Null(pos, pos + 4));
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character");
                }
            };
        }

        Value literal(String word, Value v) {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < w.length; i++) {
                if (pos + i >= b.length || b[pos + i] != w[i]) {
                    throw error("bad literal");
                }
            }
            pos += w.length;
            return v;
        }

        Obj object(int depth) {
            int start = pos;
            expect('{');
            List<Member> members = new ArrayList<>();
            TreeSet<String> keys = new TreeSet<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return new Obj(List.copyOf(members), start, pos);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a key");
                }
                String key = string();
                if (!keys.add(key)) {
                    throw error("duplicate key \"" + key + "\"");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                members.add(new Member(key, value(depth + 1)));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return new Obj(List.copyOf(members), start, pos);
            }
        }

        Arr array(int depth) {
            int start = pos;
            expect('[');
            List<Value> items = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return new Arr(List.copyOf(items), start, pos);
            }
            while (true) {
                skipWhitespace();
                items.add(value(depth + 1));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return new Arr(List.copyOf(items), start, pos);
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                int c = peek();
                pos++;
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20 || c >= 0x7F) {
                    pos--;
                    throw error("control or non-ASCII character in a string");
                }
                if (c != '\\') {
                    sb.append((char) c);
                    continue;
                }
                int e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> sb.append((char) e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > b.length) {
                            throw error("truncated \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(b[pos + i] & 0xFF, 16);
                            if (d < 0) {
                                throw error("bad \\u escape");
                            }
                            cp = cp * 16 + d;
                        }
                        pos += 4;
                        sb.append((char) cp);
                    }
                    default -> {
                        pos--;
                        throw error("bad escape");
                    }
                }
            }
        }

        Num number() {
            int start = pos;
            boolean negative = false;
            if (peek() == '-') {
                negative = true;
                pos++;
            }
            int digitsStart = pos;
            long v = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                if (pos - digitsStart >= 18) {
                    throw error("integer too large");
                }
                v = v * 10 + (b[pos] - '0');
                pos++;
            }
            int digits = pos - digitsStart;
            if (digits == 0) {
                throw error("expected a digit");
            }
            if (digits > 1 && b[digitsStart] == '0') {
                throw error("leading zero in a number");
            }
            if (pos < b.length && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
                throw error("only integers are accepted");
            }
            return new Num(negative ? -v : v, start, pos);
        }
    }
}
