package dev.verity.protocol.consensus;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.PublicKey;
import java.util.Optional;

/**
 * One validator of the set: its signing key, its bonded stake (base units; its weight in finality), where its peers
 * reach its replication endpoint ({@code host:port}) and where clients reach its API ({@code http://host:port}). The
 * addresses are on chain so that a joining validator's peers can add it to the replicated log without other
 * configuration.
 */
public record ValidatorInfo(PublicKey key, long stake, String peerAddress, String apiUrl) {
    public static final int MAX_ADDRESS = 256;

    public ValidatorInfo {
        if (key == null) {
            throw new IllegalArgumentException("a validator needs a key");
        }
        if (stake <= 0) {
            throw new IllegalArgumentException("validator " + key.hex() + " has stake " + stake + "; a validator's stake is positive");
        }
        peerAddress = checkAddress(peerAddress, "peer address");
        apiUrl = checkAddress(apiUrl, "API URL");
    }

    private static String checkAddress(String value, String what) {
        String v = value == null ? "" : value;
        if (v.length() > MAX_ADDRESS) {
            throw new IllegalArgumentException("the " + what + " is at most " + MAX_ADDRESS + " characters, got " + v.length());
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("the " + what + " holds a space or a character outside printable ASCII at "
                        + i + ": '" + v + "'");
            }
        }
        return v;
    }

    /**
     * Why {@code address} is not a peer address a validator may join with, or empty when it is one: {@code host:port},
     * the host a DNS name or IPv4 address (letters, digits, dots and hyphens) or an IPv6 address in brackets, the port
     * 1 to 65535 in decimal without leading zeros.
     */
    public static Optional<String> peerAddressProblem(String address) {
        Optional<String> basic = basicProblem(address, "peer address");
        if (basic.isPresent()) {
            return basic;
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return Optional.of("the peer address '" + address + "' has no port; write host:port");
        }
        Optional<String> host = hostProblem(address.substring(0, colon), "peer address '" + address + "'");
        return host.isPresent() ? host : portProblem(address.substring(colon + 1), "peer address '" + address + "'");
    }

    /**
     * Why {@code url} is not an API URL a validator may join with, or empty when it is one:
     * {@code http://} or {@code https://}, a host as in {@link #peerAddressProblem}, an optional {@code :port}, and an
     * optional path from {@code /} without query or fragment; no user information.
     */
    public static Optional<String> apiUrlProblem(String url) {
        return urlProblem(url, "API URL");
    }

    /**
     * Why {@code url} is not a base URL of the form {@link #apiUrlProblem} takes, or empty when it is one; the messages
     * call it {@code what} (a node's announced stream endpoint is checked by the same rules).
     */
    public static Optional<String> urlProblem(String url, String what) {
        Optional<String> basic = basicProblem(url, what);
        if (basic.isPresent()) {
            return basic;
        }
        String rest;
        if (url.startsWith("http://")) {
            rest = url.substring("http://".length());
        } else if (url.startsWith("https://")) {
            rest = url.substring("https://".length());
        } else {
            return Optional.of("the " + what + " '" + url + "' does not start with http:// or https://");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        String named = what + " '" + url + "'";
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            return Optional.of("the " + named + " has a query or fragment; give the base URL only");
        }
        if (authority.indexOf('@') >= 0) {
            return Optional.of("the " + named + " holds user information ('@'); give host and port only");
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            Optional<String> host = hostProblem(authority.substring(0, colon), named);
            return host.isPresent() ? host : portProblem(authority.substring(colon + 1), named);
        }
        return hostProblem(authority, named);
    }

    private static Optional<String> basicProblem(String value, String what) {
        if (value == null || value.isEmpty()) {
            return Optional.of("the " + what + " is empty");
        }
        try {
            checkAddress(value, what);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<String> hostProblem(String host, String what) {
        if (host.isEmpty()) {
            return Optional.of("the " + what + " has no host");
        }
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 4) {
                return Optional.of("the " + what + " has an IPv6 host without its closing bracket");
            }
            for (int i = 1; i < host.length() - 1; i++) {
                char c = host.charAt(i);
                if (!(c == ':' || c == '.' || isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                    return Optional.of("the " + what + " has an IPv6 host with '" + c + "' in it");
                }
            }
            return Optional.empty();
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c == '.' || c == '-' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return Optional.of("the " + what + " has a host with '" + c + "' in it; a host holds letters, digits, dots and hyphens");
            }
        }
        if (host.startsWith(".") || host.startsWith("-") || host.endsWith("-") || host.contains("..")) {
            return Optional.of("the " + what + " has a malformed host '" + host + "'");
        }
        return Optional.empty();
    }

    private static Optional<String> portProblem(String port, String what) {
        if (port.isEmpty() || port.length() > 5 || port.charAt(0) == '0') {
            return Optional.of("the " + what + " has port '" + port + "'; a port is 1 to 65535");
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (!isDigit(c)) {
                return Optional.of("the " + what + " has port '" + port + "'; a port is 1 to 65535");
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65_535 ? Optional.empty() : Optional.of("the " + what + " has port " + value + "; a port is 1 to 65535");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    public ValidatorInfo withStake(long newStake) {
        return new ValidatorInfo(key, newStake, peerAddress, apiUrl);
    }

    public void encode(Encoder e) {
        e.publicKey(key).u64(stake).string(peerAddress).string(apiUrl);
    }

    public static ValidatorInfo decode(Decoder d) {
        return new ValidatorInfo(d.publicKey("validator key"), d.u64("validator stake"), d.string("peer address", MAX_ADDRESS),
                d.string("API URL", MAX_ADDRESS));
    }
}
