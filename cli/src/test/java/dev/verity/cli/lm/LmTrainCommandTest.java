package dev.verity.cli.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.train.DecoderCheckpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.verity.cli.VerityCli;

class LmTrainCommandTest {
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            String[] full = new String[args.length + 2];
            full[0] = "lm";
            full[1] = "train";
            System.arraycopy(args, 0, full, 2, args.length);
            int code = VerityCli.commandLine(o, e).execute(full);
            o.flush();
            e.flush();
            return new Run(code, out.toString(), err.toString());
        }
    }

    @Test
    void trainsATinyModelAndWritesTheModelCheckpointAndReport(@TempDir Path dir) throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Files.writeString(corpus.resolve("train.txt"), "In the beginning God created the heaven and the earth. ".repeat(40));
        Files.writeString(corpus.resolve("heldout.txt"), "And God said, Let there be light: and there was light. ".repeat(8));
        Path out = dir.resolve("out");

        Run r = run("--corpus", corpus.toString(), "--tokenizer", "unused.json", "--byte-level", "--out", out.toString(),
                "--steps", "4", "--batch", "2", "--context", "16", "--layers", "1", "--heads", "2", "--width", "16", "--mlp",
                "32", "--vocab", "256", "--threads", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("heldOutPerplexity").contains("bigramPerplexity");
        assertThat(r.err()).contains("step 4").contains("held-out");
        DecoderWeights weights = DecoderCheckpoint.read(out.resolve("decoder.ckpt"));
        assertThat(weights.config().contextLength()).isEqualTo(16);
        assertThat(Files.size(out.resolve("model.onnx"))).isGreaterThan(4L * weights.config().parameterCount());
        String report = Files.readString(out.resolve("TRAINING.md"));
        assertThat(report).contains("verity lm train --corpus").contains("bigram baseline").contains("**small**")
                .contains("*greedy:*").contains("*top-p 0.9, seed 7:*");
    }

    /** The shipped tokenizer, through the Hugging Face library, on a corpus of a few lines. */
    @Test
    void trainsWithTheTokenizerFile(@TempDir Path dir) throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Files.writeString(corpus.resolve("train.txt"), "It is a truth universally acknowledged, that a single man. ".repeat(30));
        Files.writeString(corpus.resolve("heldout.txt"), "My dear Mr. Bennet, said his lady to him one day. ".repeat(6));
        Path tokenizer = dir.resolve("tokenizer.json");
        try (var in = LmTrainCommandTest.class.getResourceAsStream("/lm/tokenizer.json")) {
            Files.copy(in, tokenizer);
        }
        Run r = run("--corpus", corpus.toString(), "--tokenizer", tokenizer.toString(), "--out", dir.resolve("out").toString(),
                "--steps", "2", "--batch", "2", "--context", "16", "--layers", "1", "--heads", "2", "--width", "16", "--mlp",
                "32", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("out").resolve("TRAINING.md"))).contains("byte-level BPE, 2048 tokens");
    }

    @Test
    void saysWhatIsMissingFromTheCorpus(@TempDir Path dir) {
        Run r = run("--corpus", dir.toString(), "--tokenizer", "t.json", "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no train.txt in " + dir + " (write the corpus with 'verity lm corpus --out");
    }
}
