package dev.verity.devnet;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.consensus.ValidatorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the validators of a devnet of several validators listen: each one's replication port (Apache Ratis) and API
 * port on loopback. A new devnet picks free replication ports, and API ports {@code port}, {@code port + 1}, ... (free
 * ones when {@code port} is 0); its genesis lists them (each validator's peer address and API URL), and a restart reads
 * them back from that genesis, so the validators keep their addresses. A restart with a non-zero {@code port} serves
 * the APIs there (the {@code --peer} entries carry those URLs; the genesis keeps the first ones).
 */
record DevnetValidators(List<Member> members) {
    static final String HOST = "127.0.0.1";

    /** One validator: its key, its name (and that of its log and key file), its data directory, its ports. */
    record Member(int index, PrivateKey key, int raftPort, int apiPort) {
        String name() {
            return index == 0 ? "validator" : "validator-" + (index + 1);
        }

        Path dataDir(Path devnetDir) {
            return devnetDir.resolve(index == 0 ? "chain" : "chain-" + (index + 1));
        }

        String peerAddress() {
            return HOST + ":" + raftPort;
        }

        String apiUrl() {
            return "http://" + HOST + ":" + apiPort;
        }

        /** The {@code --peer} entry of this validator: {@code KEYHEX=HOST:RAFTPORT@API-URL}. */
        String peerSpec() {
            return key.publicKey().hex() + "=" + peerAddress() + "@" + apiUrl();
        }

        ValidatorInfo info() {
            return new ValidatorInfo(key.publicKey(), Genesis.DEFAULT_VALIDATOR_STAKE, peerAddress(), apiUrl());
        }
    }

    DevnetValidators {
        members = List.copyOf(members);
    }

    /**
     * The validators of the devnet whose genesis is {@code genesisFile}: read from it when it exists (it must list the
     * validators of {@code keys.validators()}, no more), else with ports chosen now.
     */
    static DevnetValidators plan(Path genesisFile, DevnetKeys keys, int port) {
        List<PrivateKey> vals = keys.validators();
        List<Member> members = new ArrayList<>();
        if (Files.exists(genesisFile)) {
            List<ValidatorInfo> listed = genesisValidators(genesisFile);
            requireCount(genesisFile.getParent(), listed.size(), vals.size());
            for (int i = 0; i < vals.size(); i++) {
                int index = i;
                PrivateKey key = vals.get(i);
                ValidatorInfo v = listed.stream().filter(l -> l.key().equals(key.publicKey())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the genesis in " + genesisFile + " does not list the "
                                + "validator of the key file " + DevnetKeys.validatorKeyFile(genesisFile.resolveSibling("keys"),
                                index) + " (" + key.publicKey().hex() + "); was a key file replaced?"));
                if (v.peerAddress().isEmpty() || v.apiUrl().isEmpty()) {
                    throw new IllegalStateException("the genesis in " + genesisFile + " gives validator " + (i + 1)
                            + " no peer address or API URL; it is not a devnet of several validators");
                }
                int api = port != 0 ? port + i : portOf(v.apiUrl());
                members.add(new Member(i, key, portOf(v.peerAddress()), api));
            }
            return new DevnetValidators(members);
        }
        int[] free = freePorts(port == 0 ? 2 * vals.size() : vals.size());
        for (int i = 0; i < vals.size(); i++) {
            int api = port != 0 ? port + i : free[vals.size() + i];
            members.add(new Member(i, vals.get(i), free[i], api));
        }
        return new DevnetValidators(members);
    }

    /**
     * Refuses to start a devnet with another number of validators than its genesis lists: the validator set is the
     * genesis's, and a devnet restarts as the same network.
     */
    static void requireCount(Path devnetDir, int inGenesis, int wanted) {
        if (inGenesis != wanted) {
            throw new IllegalStateException("the devnet in " + devnetDir + " was set up with " + inGenesis + " validator"
                    + (inGenesis == 1 ? "" : "s") + " (its genesis lists them), not " + wanted + ": start it with "
                    + inGenesis + " validator" + (inGenesis == 1 ? "" : "s") + " (--validators " + inGenesis
                    + "), or use a new data directory");
        }
    }

    /** The validators the genesis in {@code genesisFile} lists. */
    static List<ValidatorInfo> genesisValidators(Path genesisFile) {
        try {
            return Genesis.decode(Files.readAllBytes(genesisFile)).validators();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the devnet genesis " + genesisFile, e);
        }
    }

    List<ValidatorInfo> infos() {
        return members.stream().map(Member::info).toList();
    }

    List<String> apiUrls() {
        return members.stream().map(Member::apiUrl).toList();
    }

    /** Every validator's {@code --peer} entry. */
    List<String> peerArgs() {
        List<String> args = new ArrayList<>();
        for (Member m : members) {
            args.add("--peer");
            args.add(m.peerSpec());
        }
        return args;
    }

    private static int portOf(String address) {
        String a = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    /**
     * {@code n} distinct ports free now, below the range the system hands out for outgoing connections (where the
     * connections the validators open to each other while they start could take one first); ports the system picks
     * itself where that range leaves no room below it.
     */
    static int[] freePorts(int n) {
        int[] ephemeral = ephemeralRange();
        int lo = 20_000;
        int hi = ephemeral[0] - 1;
        if (hi - lo < 1_000) {
            return systemPorts(n);
        }
        int[] ports = new int[n];
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        int found = 0;
        for (int tries = 0; found < n && tries < 10_000; tries++) {
            int p = random.nextInt(lo, hi + 1);
            if (!taken.contains(p) && bindable(p)) {
                taken.add(p);
                ports[found++] = p;
            }
        }
        return found == n ? ports : systemPorts(n);
    }

    /** Whether {@code port} can be bound on every interface (the replicated log listens there) now. */
    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new java.net.InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The system's range of ports for outgoing connections (Linux), else the IANA dynamic range. */
    private static int[] ephemeralRange() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(range)) {
                String text;
                try (var in = Files.newInputStream(range)) { // read to the end: /proc states no size
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                }
                String[] parts = text.strip().split("\\s+");
                int low = Integer.parseInt(parts[0]);
                int high = Integer.parseInt(parts[1]);
                if (low >= 1_024 && low <= high && high <= 65_535) {
                    return new int[] {low, high};
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the usual range
        }
        return new int[] {49_152, 65_535};
    }

    /** {@code n} distinct loopback ports the system picks, free now (held open together, so they differ, then released). */
    private static int[] systemPorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free loopback ports for the devnet's validators: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // released anyway when the process ends
                }
            }
        }
    }
}
