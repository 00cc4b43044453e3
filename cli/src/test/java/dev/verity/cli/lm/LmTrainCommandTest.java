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
import picocli.CommandLine;

class LmTrainCommandTest {
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LmTrainCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
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
        assertThat(r.out()).contains("held-out loss").contains("bigram");
        DecoderWeights weights = DecoderCheckpoint.read(out.resolve("decoder.ckpt"));
        assertThat(weights.config().contextLength()).isEqualTo(16);
        assertThat(Files.size(out.resolve("model.onnx"))).isGreaterThan(4L * weights.config().parameterCount());
        String report = Files.readString(out.resolve("TRAINING.md"));
        assertThat(report).contains("verity lm train --corpus").contains("bigram baseline").contains("**small**")
                .contains("(greedy)").contains("(top-p 0.9, seed 7)");
    }

    @Test
    void saysWhatIsMissingFromTheCorpus(@TempDir Path dir) {
        Run r = run("--corpus", dir.toString(), "--tokenizer", "t.json", "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no train.txt in " + dir + " (write the corpus first)");
    }
}
