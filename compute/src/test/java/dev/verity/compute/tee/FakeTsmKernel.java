package dev.verity.compute.tee;

import dev.verity.proofs.attestation.SevSnpReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Plays the kernel's part of configfs-tsm on a plain temporary directory: it watches the report root for new
 * entry directories, gives each the read-only attributes a fresh configfs entry has ({@code generation} 0,
 * {@code provider}, {@code privlevel_floor}), and once 64 bytes of {@code inblob} are written, answers like the
 * {@code sev_guest} or {@code tdx_guest} provider: {@code outblob} holding the report data where the format puts
 * it, {@code auxblob} (the certificate table for SEV-SNP), then {@code generation} counting the writes
 * ({@code inblob}, plus {@code privlevel} when written). Every file appears atomically (written elsewhere, then
 * moved in), so a reader never sees half of one.
 */
final class FakeTsmKernel implements AutoCloseable {
    /** The SEV-SNP report's MEASUREMENT / the TDX quote's MRTD in the fake evidence. */
    static final byte[] MEASUREMENT = new byte[48];

    static {
        Arrays.fill(MEASUREMENT, (byte) 0x5a);
    }

    private final Path root;
    private final Path scratch;
    private final String provider;
    private final byte[] auxblob;
    private final Thread thread;
    private final Map<Path, Boolean> answered = new HashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private final List<Path> entriesSeen = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Extra writes another process makes to every entry after this one's request (a concurrent writer). */
    volatile int foreignWrites;
    /** Answer with an empty outblob (a provider that produced nothing). */
    volatile boolean emptyOutblob;
    /** When set, the sev_guest provider's report comes from this (report data, VMPL) signer instead of the unsigned layout. */
    volatile java.util.function.BiFunction<byte[], Integer, byte[]> snpSigner;

    /**
     * @param root the report directory to serve (created when missing)
     * @param scratch a directory outside {@code root} on the same file system, for writing files before moving them
     * @param provider "sev_guest" or "tdx_guest"
     * @param auxblob what {@code auxblob} holds, or null for no {@code auxblob} file
     */
    FakeTsmKernel(Path root, Path scratch, String provider, byte[] auxblob) throws IOException {
        this.root = Files.createDirectories(root);
        this.scratch = Files.createDirectories(scratch);
        this.provider = provider;
        this.auxblob = auxblob == null ? null : auxblob.clone();
        this.thread = new Thread(this::serve, "fake-tsm-kernel");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The entry directories this kernel saw created. */
    List<Path> entriesSeen() {
        return List.copyOf(entriesSeen);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(5_000);
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("the fake kernel failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void serve() {
        while (!closed) {
            try {
                List<Path> entries;
                try (Stream<Path> s = Files.list(root)) {
                    entries = s.filter(Files::isDirectory).toList();
                }
                for (Path entry : entries) {
                    if (!answered.containsKey(entry)) {
                        answered.put(entry, false);
                        entriesSeen.add(entry);
                        // what a fresh configfs entry shows
                        publish(entry, "provider", (provider + "\n").getBytes(StandardCharsets.US_ASCII));
                        publish(entry, "privlevel_floor", "0\n".getBytes(StandardCharsets.US_ASCII));
                        publish(entry, "generation", "0\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    if (!answered.get(entry)) {
                        answer(entry);
                    }
                }
                answered.keySet().removeIf(p -> !Files.exists(p));
            } catch (NoSuchFileException e) {
                // the client removed an entry while this looked at it
            } catch (IOException | RuntimeException e) {
                if (!closed && Files.exists(root)) {
                    failures.add(e);
                    return;
                }
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private void answer(Path entry) throws IOException {
        Path inblob = entry.resolve("inblob");
        if (!Files.isRegularFile(inblob) || Files.size(inblob) != ConfigFsTsm.REPORT_DATA_SIZE) {
            return;
        }
        byte[] reportData = Files.readAllBytes(inblob);
        if (reportData.length != ConfigFsTsm.REPORT_DATA_SIZE) {
            return; // still being written
        }
        Path privlevelFile = entry.resolve("privlevel");
        int privlevel = 0;
        long writes = 1;
        if (Files.isRegularFile(privlevelFile)) {
            privlevel = Integer.parseInt(Files.readString(privlevelFile).strip());
            writes++;
        }
        answered.put(entry, true);
        byte[] outblob = emptyOutblob ? new byte[0]
                : provider.equals(TsmEvidence.SEV_GUEST) ? (snpSigner != null ? snpSigner.apply(reportData, privlevel) : snpReport(reportData, privlevel)) : tdxQuote(reportData);
        publish(entry, "outblob", outblob);
        if (auxblob != null) {
            publish(entry, "auxblob", auxblob);
        }
        publish(entry, "generation", ((writes + foreignWrites) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a file elsewhere and moves it into place, so it appears whole. */
    private void publish(Path entry, String attribute, byte[] content) throws IOException {
        Path tmp = scratch.resolve("blob-" + counter.incrementAndGet());
        Files.write(tmp, content);
        try {
            Files.move(tmp, entry.resolve(attribute), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(tmp); // the entry is gone
        }
    }

    /** A version-2 SEV-SNP attestation report layout (unsigned) with the report data, VMPL and measurement set. */
    static byte[] snpReport(byte[] reportData, int vmpl) {
        ByteBuffer b = ByteBuffer.allocate(SevSnpReport.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SevSnpReport.OFF_VERSION, 2);
        b.putInt(SevSnpReport.OFF_VMPL, vmpl);
        b.putInt(SevSnpReport.OFF_SIGNATURE_ALGO, SevSnpReport.SIG_ALGO_ECDSA_P384_SHA384);
        b.put(SevSnpReport.OFF_REPORT_DATA, reportData);
        b.put(SevSnpReport.OFF_MEASUREMENT, MEASUREMENT);
        return b.array();
    }

    /** Offsets in a TDX v4 quote: the 48-byte header, then the TD report body (MRTD at 136, REPORTDATA at 520). */
    static final int TDX_MRTD = 48 + 136;
    static final int TDX_REPORT_DATA = 48 + 520;

    /** A TDX quote v4 layout (header and TD report body, no signature data) with the report data and MRTD set. */
    static byte[] tdxQuote(byte[] reportData) {
        ByteBuffer b = ByteBuffer.allocate(48 + 584 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 4); // version
        b.putShort(2, (short) 2); // attestation key type: ECDSA P-256
        b.putInt(4, 0x81); // TEE type: TDX
        b.put(TDX_MRTD, MEASUREMENT);
        b.put(TDX_REPORT_DATA, reportData);
        return b.array();
    }
}
