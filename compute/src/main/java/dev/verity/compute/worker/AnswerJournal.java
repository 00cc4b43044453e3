package dev.verity.compute.worker;

import dev.verity.core.Hash;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute worker's answers computed but not yet accepted by the chain, one small file per job
 * ({@code <job id>.answer}) in one folder, so that an answer survives the process being killed between computing it and
 * the chain including it. An entry holds the job's assignment (an answer belongs to one assignment of a job) and the
 * signed answer transaction exactly as it is sent.
 *
 * <p>An entry is written to a temporary file, forced to disk, renamed atomically over its final name, and the folder
 * is forced too: a reader sees the whole previous entry or the whole new one, never a torn one. Temporary files left by
 * a write the process did not finish are ignored and removed; an entry whose checksum does not match is ignored.
 */
public final class AnswerJournal {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerJournal.class);
    private static final String SUFFIX = ".answer";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int MAGIC = 0x56414a31; // "VAJ1"
    private static final int MAX_TRANSACTION = 16 << 20;

    /** One journaled answer: the assignment it answers and the signed transaction as sent. */
    public record Entry(Hash jobId, String assignment, SignedTransaction transaction) {}

    private final Path dir;

    /** A journal in {@code dir}, created if missing; temporary files of unfinished writes are removed. */
    public AnswerJournal(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
                for (Path p : s) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the answer journal " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Durably records {@code tx} as the answer to {@code assignment} of {@code jobId}, replacing any earlier entry. */
    public void write(Hash jobId, String assignment, SignedTransaction tx) {
        byte[] bytes = encode(assignment, tx.encoded());
        Path target = file(jobId);
        Path temp = dir.resolve(jobId.hex() + SUFFIX + "." + Thread.currentThread().threadId() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDir();
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next start removes it
            }
            throw new UncheckedIOException("cannot journal the answer to job " + jobId.hex() + " in " + dir, e);
        }
    }

    /** The entry for {@code jobId}, or null when there is none (or it cannot be read). */
    public Entry read(Hash jobId) {
        Path p = file(jobId);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("cannot read the journaled answer {}: {}", p, e.getMessage());
            return null;
        }
        try {
            return decode(jobId, bytes);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the unreadable journaled answer {}: {}", p, e.getMessage());
            return null;
        }
    }

    /** Every readable entry, in job id order. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                Hash id;
                try {
                    id = Hash.fromHex(name.substring(0, name.length() - SUFFIX.length()));
                } catch (RuntimeException e) {
                    continue;
                }
                Entry entry = read(id);
                if (entry != null) {
                    out.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the answer journal " + dir, e);
        }
        out.sort((a, b) -> a.jobId().compareTo(b.jobId()));
        return out;
    }

    /** Forgets the answer to {@code jobId} (the chain included it, refused it for good, or the job is not ours). */
    public void delete(Hash jobId) {
        try {
            if (Files.deleteIfExists(file(jobId))) {
                forceDir();
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the journaled answer to job {}: {}", jobId.hex(), e.getMessage());
        }
    }

    private Path file(Hash jobId) {
        return dir.resolve(jobId.hex() + SUFFIX);
    }

    private void forceDir() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open a folder; the rename is still atomic there
        }
    }

    private static byte[] encode(String assignment, byte[] tx) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(tx.length + 128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeUTF(assignment);
            out.writeInt(tx.length);
            out.write(tx);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Entry decode(Hash jobId, byte[] bytes) throws IOException {
        if (bytes.length < 8) {
            throw new IOException("too short");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        if (in.readInt() != MAGIC) {
            throw new IOException("not an answer journal entry");
        }
        String assignment = in.readUTF();
        int length = in.readInt();
        if (length < 0 || length > MAX_TRANSACTION) {
            throw new IOException("bad length " + length);
        }
        byte[] tx = in.readNBytes(length);
        if (tx.length != length || in.available() != 8 || in.readLong() != crc.getValue()) {
            throw new IOException("torn or corrupt entry");
        }
        return new Entry(jobId, assignment, TransactionCodec.decode(tx));
    }
}
