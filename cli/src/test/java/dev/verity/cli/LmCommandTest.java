package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity lm ...} on small inputs; the real corpus needs the Debian packages (see modelhub's lm/README.md). */
class LmCommandTest {
    @TempDir
    Path tmp;

    private Path corpus() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("corpus"));
        Files.writeString(dir.resolve("train.txt"), """
                In the beginning God created the heaven and the earth.
                And the earth was without form, and void; and darkness was upon the face of the deep.

                It is a truth universally acknowledged, that a single man in possession of a good fortune,
                must be in want of a wife.
                """);
        Files.writeString(dir.resolve("heldout.txt"), "And God said, Let there be light: and there was light.\n");
        return dir;
    }

    @Test
    void lmAloneListsItsSteps() {
        CliRun.Result r = CliRun.run("lm");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("corpus").contains("tokenizer");
    }

    @Test
    void tokenizerTrainsWritesAndChecksTheFile() throws Exception {
        Path corpus = corpus();
        Path out = tmp.resolve("out/tokenizer.json");
        CliRun.Result r = CliRun.run("lm", "tokenizer", "--corpus", corpus.toString(), "--vocab", "300",
                "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("vocabularySize").asInt()).isEqualTo(300);
        assertThat(doc.get("merges").asInt()).isEqualTo(41);
        assertThat(doc.get("heldOutBytes").asLong()).isEqualTo(55);
        assertThat(doc.get("heldOutTokens").asLong()).isPositive().isLessThan(55);
        try (TokenizerFile tokenizer = TokenizerFile.load(out)) {
            assertThat(tokenizer.vocabularySize()).isEqualTo(300);
            assertThat(tokenizer.decode(tokenizer.encode("the earth"))).isEqualTo("the earth");
        }

        Path again = tmp.resolve("again.json");
        assertThat(CliRun.run("lm", "tokenizer", "--corpus", corpus.toString(), "--vocab", "300",
                "--out", again.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(out));
    }

    @Test
    void tokenizerExplainsAMissingCorpusAndATooSmallVocabulary() throws Exception {
        CliRun.Result missing = CliRun.run("lm", "tokenizer", "--corpus", tmp.toString(), "--out", tmp.resolve("t.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no train.txt in " + tmp).contains("verity lm corpus");

        CliRun.Result small = CliRun.run("lm", "tokenizer", "--corpus", corpus().toString(), "--vocab", "100",
                "--out", tmp.resolve("t.json").toString());
        assertThat(small.exitCode()).isEqualTo(2);
        assertThat(small.err()).contains("below the 259 tokens");
    }

    @Test
    void corpusExplainsMissingOrBrokenPackages() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun.Result none = CliRun.run("lm", "corpus", "--out", tmp.resolve("c").toString(), "--debs", empty.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no bible-kjv-text_*.deb in " + empty).contains("apt-get download bible-kjv-text");

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("bible-kjv-text_4.38_all.deb"), "not a deb");
        Files.writeString(broken.resolve("r-cran-janeaustenr_1.0.0-1_all.deb"), "not a deb");
        CliRun.Result bad = CliRun.run("lm", "corpus", "--out", tmp.resolve("c").toString(), "--debs", broken.toString());
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(1);
        assertThat(bad.err()).contains("dpkg-deb");
    }
}
