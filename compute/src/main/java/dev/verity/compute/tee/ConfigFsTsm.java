package dev.verity.compute.tee;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Attestation evidence from Linux's configfs-tsm report interface ({@code Documentation/ABI/testing/configfs-tsm}
 * in the kernel; Linux 6.7 and later, {@code CONFIG_TSM_REPORTS}), which gives AMD SEV-SNP guests
 * ({@code sev_guest}) and Intel TDX guests ({@code tdx_guest}) one way to ask the platform for a signed report.
 *
 * <p>One {@link #report} call: create a uniquely named entry under the root
 * ({@code /sys/kernel/config/tsm/report}), optionally write {@code privlevel}, write the 64 bytes of report data
 * to {@code inblob}, check that {@code generation} counts exactly these writes, read {@code outblob} (the SEV-SNP
 * report or the TDX quote), {@code auxblob} (for SEV-SNP the certificate table, see {@link SnpCertTable}; absent
 * or empty otherwise) and {@code provider}, check {@code generation} again, and remove the entry, also when
 * something failed. A generation other than the number of this call's writes means another writer used the
 * entry, and the evidence is refused: the report might not hold this call's report data.
 *
 * <p><b>Tested only against an emulation</b>: the tests run this code against a temporary directory laid out like
 * the interface, with a thread playing the kernel's part (it answers a written {@code inblob} with
 * {@code outblob}, {@code auxblob}, {@code provider} and a new {@code generation}). It has not run on
 * confidential-VM hardware. Two allowances exist for that emulation and cost nothing on a real configfs: the
 * generation is polled until it reaches the expected count (the kernel counts a write before the write returns,
 * so the first read already shows it), and when removing the entry finds a non-empty plain directory, its files
 * are deleted first (configfs removes an entry's attributes with the entry).
 */
public final class ConfigFsTsm {
    /** Where the kernel mounts the report interface. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm/report");
    /** Bytes of report data: SEV-SNP REPORT_DATA and TDX REPORTDATA are 64 bytes. */
    public static final int REPORT_DATA_SIZE = 64;
    /** The largest privilege level (SEV-SNP VMPL) the interface accepts. */
    public static final int MAX_PRIVLEVEL = 3;
    /** Blobs larger than this are refused (the kernel's own limit is far lower). */
    static final int MAX_BLOB = 16 << 20;
    /** How long to wait for the generation to count the writes by default. */
    public static final Duration DEFAULT_GENERATION_WAIT = Duration.ofSeconds(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Duration generationWait;

    /** The interface at {@link #DEFAULT_ROOT}. */
    public ConfigFsTsm() {
        this(DEFAULT_ROOT);
    }

    /** The interface at {@code root} (a {@code tsm/report} directory). */
    public ConfigFsTsm(Path root) {
        this(root, DEFAULT_GENERATION_WAIT);
    }

    /**
     * The interface at {@code root}, waiting at most {@code generationWait} for the generation to count this
     * call's writes.
     */
    public ConfigFsTsm(Path root, Duration generationWait) {
        this.root = Objects.requireNonNull(root, "root");
        this.generationWait = Objects.requireNonNull(generationWait, "generationWait");
    }

    public Path root() {
        return root;
    }

    /** Whether the report interface is there (this is a confidential VM whose kernel offers it). */
    public boolean available() {
        return Files.isDirectory(root);
    }

    /** A report binding {@code reportData} (64 bytes), at the default privilege level. */
    public TsmEvidence report(byte[] reportData) throws IOException {
        return report(reportData, null);
    }

    /**
     * A report binding {@code reportData} (64 bytes).
     *
     * @param privlevel the privilege level to report at (SEV-SNP VMPL, 0 to 3), or null to leave the default
     * @throws IllegalArgumentException when the report data is not 64 bytes or the privilege level is out of range
     * @throws TsmException when the interface is missing, another writer used the entry, the report is empty, or
     *     the interface misbehaves
     * @throws IOException when reading or writing an attribute fails
     */
    public TsmEvidence report(byte[] reportData, Integer privlevel) throws IOException {
        Objects.requireNonNull(reportData, "reportData");
        if (reportData.length != REPORT_DATA_SIZE) {
            throw new IllegalArgumentException("report data must be " + REPORT_DATA_SIZE + " bytes, got " + reportData.length);
        }
        if (privlevel != null && (privlevel < 0 || privlevel > MAX_PRIVLEVEL)) {
            throw new IllegalArgumentException("privlevel must be 0 to " + MAX_PRIVLEVEL + ", got " + privlevel);
        }
        if (!Files.isDirectory(root)) {
            throw new TsmException("no configfs-tsm report interface at " + root + ": this is not a confidential VM "
                    + "(AMD SEV-SNP or Intel TDX guest), or its kernel lacks CONFIG_TSM_REPORTS (Linux 6.7+), or "
                    + "configfs is not mounted at /sys/kernel/config");
        }
        Path entry = createEntry();
        TsmEvidence evidence = null;
        try {
            evidence = generate(entry, reportData, privlevel);
        } catch (IOException | RuntimeException e) {
            try {
                remove(entry);
            } catch (IOException | RuntimeException removal) {
                e.addSuppressed(removal);
            }
            throw e;
        }
        remove(entry);
        return evidence;
    }

    private TsmEvidence generate(Path entry, byte[] reportData, Integer privlevel) throws IOException {
        long writes = 0;
        if (privlevel != null) {
            write(entry, "privlevel", (privlevel + "\n").getBytes(StandardCharsets.US_ASCII));
            writes++;
        }
        write(entry, "inblob", reportData);
        writes++;
        long generation = awaitGeneration(entry, writes);
        byte[] outblob = read(entry, "outblob");
        if (outblob.length == 0) {
            throw new TsmException("the TSM returned an empty outblob in " + entry + ": no report was produced");
        }
        Path aux = entry.resolve("auxblob");
        byte[] auxblob = Files.exists(aux) ? read(entry, "auxblob") : new byte[0];
        Path providerFile = entry.resolve("provider");
        if (!Files.exists(providerFile)) {
            throw new TsmException("no provider attribute in " + entry + ": " + root
                    + " is not a configfs-tsm report directory");
        }
        String provider = new String(read(entry, "provider"), StandardCharsets.US_ASCII).strip();
        long after = readGeneration(entry);
        if (after != generation) {
            throw concurrentWriter(entry, after, generation);
        }
        return new TsmEvidence(provider, outblob, auxblob, generation);
    }

    /** Waits until the entry's generation counts {@code writes}; more means another writer was at work. */
    private long awaitGeneration(Path entry, long writes) throws IOException {
        long deadline = System.nanoTime() + generationWait.toNanos();
        long seen = -1;
        while (true) {
            Path file = entry.resolve("generation");
            if (Files.exists(file)) {
                seen = readGeneration(entry);
                if (seen == writes) {
                    return seen;
                }
                if (seen > writes) {
                    throw concurrentWriter(entry, seen, writes);
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                if (seen < 0) {
                    throw new TsmException("no generation attribute in " + entry + ": " + root
                            + " is not a configfs-tsm report directory");
                }
                throw new TsmException("the generation of " + entry + " stayed at " + seen + " after " + writes
                        + " write(s): the TSM did not take the report request");
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private TsmException concurrentWriter(Path entry, long seen, long expected) {
        return new TsmException("another writer changed " + entry + " (generation " + seen + ", expected " + expected
                + "): the report may not hold this request's data; refusing it");
    }

    private long readGeneration(Path entry) throws IOException {
        String text = new String(read(entry, "generation"), StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new TsmException("the generation attribute of " + entry + " is not a number: '" + text + "'");
        }
    }

    private Path createEntry() throws IOException {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        Path entry = root.resolve("verity-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(id));
        try {
            return Files.createDirectory(entry);
        } catch (AccessDeniedException e) {
            throw new TsmException("cannot create a report entry in " + root
                    + ": permission denied (the configfs-tsm interface needs root)", e);
        } catch (FileAlreadyExistsException e) {
            throw new TsmException("report entry " + entry + " already exists", e);
        }
    }

    private static void write(Path entry, String attribute, byte[] data) throws IOException {
        try {
            Files.write(entry.resolve(attribute), data);
        } catch (IOException e) {
            throw new TsmException("writing " + attribute + " of " + entry + " failed: " + e, e);
        }
    }

    private static byte[] read(Path entry, String attribute) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(entry.resolve(attribute))) {
            b = in.readNBytes(MAX_BLOB + 1);
        } catch (IOException e) {
            // EFBIG: the report exceeds the kernel's limits for this provider
            throw new TsmException("reading " + attribute + " of " + entry + " failed: " + e, e);
        }
        if (b.length > MAX_BLOB) {
            throw new TsmException(attribute + " of " + entry + " is larger than " + MAX_BLOB + " bytes");
        }
        return b;
    }

    /** Removes the entry: rmdir on configfs; on a plain directory (the emulation), its files first. */
    private static void remove(Path entry) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(entry);
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt >= 5) {
                    throw new TsmException("cannot remove report entry " + entry + ": it stays non-empty", e);
                }
                List<Path> files;
                try (Stream<Path> s = Files.list(entry)) {
                    files = s.toList();
                } catch (NoSuchFileException gone) {
                    return;
                }
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new TsmException("cannot remove report entry " + entry + ": " + e, e);
            }
        }
    }

    /** The configfs-tsm interface is missing or did not give a usable report. */
    public static final class TsmException extends IOException {
        private static final long serialVersionUID = 1L;

        public TsmException(String message) {
            super(message);
        }

        public TsmException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
