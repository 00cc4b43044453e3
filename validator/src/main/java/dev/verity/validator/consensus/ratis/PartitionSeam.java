package dev.verity.validator.consensus.ratis;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * <b>Test seam</b>: a network partition inside Ratis' transport, for the fault tests that run validators as separate
 * processes. With {@code -Dverity.test.partitionFile=FILE}, this validator refuses the Raft requests (votes, appends,
 * snapshots) of every peer whose id ({@link ValidatorPeer#idOf}) is a line of FILE, as if the network between them were
 * cut; an empty or missing file heals it. Writing each side's file cuts both directions. It uses Ratis' own injection
 * points ({@link CodeInjectionForTesting}), which its test suite uses to block request handling. Unset, as in
 * production, nothing is installed.
 */
final class PartitionSeam implements CodeInjectionForTesting.Code {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionSeam.class);
    static final String PROPERTY = "verity.test.partitionFile";
    private static final String[] POINTS = {"REQUEST_VOTE", "APPEND_ENTRIES", "INSTALL_SNAPSHOT"};

    private final Path file;
    private long checkedAt;
    private long modified = -1;
    private Set<String> cut = Set.of();

    private PartitionSeam(Path file) {
        this.file = file;
    }

    /** Installs the seam when the system property names a file. */
    static void installIfSet() {
        String f = System.getProperty(PROPERTY);
        if (f == null || f.isBlank()) {
            return;
        }
        PartitionSeam seam = new PartitionSeam(Path.of(f));
        try {
            Class<?> server = Class.forName("org.apache.ratis.server.impl.RaftServerImpl");
            for (String point : POINTS) {
                Field field = server.getDeclaredField(point);
                field.setAccessible(true);
                CodeInjectionForTesting.put((String) field.get(null), seam);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("-D" + PROPERTY + ": cannot install the partition seam in this Ratis version", e);
        }
        LOG.warn("TEST SEAM -D{}={}: Raft requests from the peers listed there are refused", PROPERTY, f);
    }

    @Override
    public boolean execute(Object localId, Object remoteId, Object... args) {
        if (remoteId != null && cutOff().contains(remoteId.toString())) {
            throw new IllegalStateException("partitioned from " + remoteId + " (test seam " + file + ")");
        }
        return false;
    }

    private synchronized Set<String> cutOff() {
        long now = System.nanoTime();
        if (now - checkedAt < 100_000_000L && checkedAt != 0) {
            return cut;
        }
        checkedAt = now;
        try {
            long m = Files.getLastModifiedTime(file).toMillis();
            if (m != modified) {
                modified = m;
                Set<String> next = new HashSet<>();
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        next.add(line.strip());
                    }
                }
                cut = Set.copyOf(next);
                LOG.warn("TEST SEAM: now cut off from {}", cut);
            }
        } catch (NoSuchFileException e) {
            cut = Set.of();
            modified = -1;
        } catch (IOException e) {
            LOG.warn("TEST SEAM: cannot read {}: {}", file, e.toString());
        }
        return cut;
    }
}
