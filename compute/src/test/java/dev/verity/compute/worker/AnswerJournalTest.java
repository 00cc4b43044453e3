package dev.verity.compute.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The answer journal: entries written whole, read back byte for byte, deleted; torn or corrupt files ignored. */
class AnswerJournalTest {
    private static final PrivateKey NODE = PrivateKey.deterministic("journal-node");

    @TempDir
    Path dir;

    private static SignedTransaction answer(Hash job, String output, long nonce) {
        return SignedTransaction.sign(new TransactionBody("verity-test", NODE.publicKey(), nonce,
                new Payload.SubmitResult(job, Bytes.utf8(output), new byte[0])), NODE);
    }

    private static Hash job(String name) {
        return Sha256.digest(Bytes.utf8(name));
    }

    @Test
    void anEntryIsReadBackAsTheExactBytesWrittenAndDeleted() throws Exception {
        AnswerJournal journal = new AnswerJournal(dir.resolve("answers"));
        Hash a = job("a");
        Hash b = job("b");
        SignedTransaction txA = answer(a, "echo a", 7);
        SignedTransaction txB = answer(b, "echo b", 8);
        journal.write(a, "a@12/NONE", txA);
        journal.write(b, "b@13/NONE", txB);

        AnswerJournal reopened = new AnswerJournal(dir.resolve("answers"));
        AnswerJournal.Entry e = reopened.read(a);
        assertThat(e.jobId()).isEqualTo(a);
        assertThat(e.assignment()).isEqualTo("a@12/NONE");
        assertThat(e.transaction().encoded()).isEqualTo(txA.encoded());
        assertThat(e.transaction().hash()).isEqualTo(txA.hash());
        assertThat(reopened.entries()).extracting(AnswerJournal.Entry::jobId).containsExactlyInAnyOrder(a, b);

        // a new answer for the same job replaces the old one
        SignedTransaction resigned = answer(a, "echo a", 9);
        reopened.write(a, "a@12/NONE", resigned);
        assertThat(reopened.read(a).transaction().encoded()).isEqualTo(resigned.encoded());

        reopened.delete(a);
        reopened.delete(a); // twice is fine
        assertThat(reopened.read(a)).isNull();
        assertThat(reopened.entries()).extracting(AnswerJournal.Entry::jobId).containsExactly(b);
        try (var files = Files.list(dir.resolve("answers"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(b.hex() + ".answer");
        }
    }

    @Test
    void tornTemporaryFilesAndCorruptEntriesAreIgnored() throws Exception {
        Path folder = dir.resolve("answers");
        AnswerJournal journal = new AnswerJournal(folder);
        Hash a = job("a");
        Hash b = job("b");
        SignedTransaction txA = answer(a, "echo a", 1);
        journal.write(a, "a@1/NONE", txA);
        byte[] whole = Files.readAllBytes(folder.resolve(a.hex() + ".answer"));

        // a write killed before its rename leaves only a temporary file: not an entry, and removed at the next open
        Path torn = folder.resolve(b.hex() + ".answer.42.tmp");
        Files.write(torn, java.util.Arrays.copyOf(whole, whole.length / 2));
        // an entry cut short or flipped (not something the journal writes, but a disk can) is ignored too
        Hash c = job("c");
        Files.write(folder.resolve(c.hex() + ".answer"), java.util.Arrays.copyOf(whole, whole.length - 3));
        Hash d = job("d");
        byte[] flipped = whole.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.write(folder.resolve(d.hex() + ".answer"), flipped);
        Files.write(folder.resolve("not-a-job.answer"), new byte[] {1, 2, 3});

        assertThat(journal.read(b)).isNull();
        assertThat(journal.read(c)).isNull();
        assertThat(journal.read(d)).isNull();
        List<AnswerJournal.Entry> entries = journal.entries();
        assertThat(entries).extracting(AnswerJournal.Entry::jobId).containsExactly(a);

        new AnswerJournal(folder);
        assertThat(torn).doesNotExist();
        assertThat(new AnswerJournal(folder).read(a).transaction().encoded()).isEqualTo(txA.encoded());
    }

    @Test
    void aWriteLeavesNoTemporaryFileBehind() throws Exception {
        Path folder = dir.resolve("deep/er/answers");
        AnswerJournal journal = new AnswerJournal(folder);
        for (int i = 0; i < 5; i++) {
            Hash j = job("job " + i);
            journal.write(j, "x", answer(j, "out " + i, i));
        }
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
        }
        assertThat(journal.entries()).hasSize(5);
    }
}
