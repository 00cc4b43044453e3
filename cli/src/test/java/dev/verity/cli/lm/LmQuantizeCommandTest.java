package dev.verity.cli.lm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.cli.VerityCli;
import dev.verity.core.Sha256;
import dev.verity.inference.program.Program;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity lm quantize} on the shipped model, calibrated on two windows of a few lines of text. */
class LmQuantizeCommandTest {
    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            String[] full = new String[args.length + 2];
            full[0] = "lm";
            full[1] = "quantize";
            System.arraycopy(args, 0, full, 2, args.length);
            int code = VerityCli.commandLine(o, e).execute(full);
            o.flush();
            e.flush();
            return new Run(code, out.toString(), err.toString());
        }
    }

    @Test
    void writesTheSameStepProgramTwiceAndSaysWhatItIs(@TempDir Path dir) throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Files.writeString(corpus.resolve("train.txt"), ("In the beginning God created the heaven and the earth. It is a truth "
                + "universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.\n")
                .repeat(12));
        Path first = dir.resolve("out/first.program");
        Path second = dir.resolve("second.program");

        Run r = run("--corpus", corpus.toString(), "--windows", "2", "--out", first.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        byte[] bytes = Files.readAllBytes(first);
        assertThat(doc.get("sha256").asText()).isEqualTo(Sha256.digest(bytes).hex());
        assertThat(doc.get("bytes").asLong()).isEqualTo(bytes.length);
        assertThat(doc.get("windows").asInt()).isEqualTo(2);
        assertThat(doc.get("sliceElements").asInt()).isEqualTo(16384);
        assertThat(doc.get("ops").asInt()).isEqualTo(85);
        assertThat(doc.get("steps").asInt()).as("one per op, four for the tied head").isEqualTo(88);
        var step = DecoderQuantizer.stepOf(Program.decode(bytes));
        assertThat(step.vocabSize()).isEqualTo(2048);
        assertThat(step.contextLength()).isEqualTo(128);

        Run again = run("--corpus", corpus.toString(), "--windows", "2", "--out", second.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(second)).isEqualTo(bytes);
        assertThat(again.err()).contains("quantized 2 calibration windows of 128 tokens");
        assertThat(again.out()).contains("steps:").contains("sha256:").contains(Sha256.digest(bytes).hex());
    }

    @Test
    void saysWhatIsMissing(@TempDir Path dir) throws Exception {
        Run noCorpus = run("--corpus", dir.toString(), "--out", dir.resolve("p").toString());
        assertThat(noCorpus.exitCode()).isEqualTo(2);
        assertThat(noCorpus.err()).contains("train.txt does not exist").contains("verity lm corpus");

        Files.writeString(dir.resolve("train.txt"), "too short");
        Run shortText = run("--corpus", dir.toString(), "--out", dir.resolve("p").toString());
        assertThat(shortText.exitCode()).isEqualTo(2);
        assertThat(shortText.err()).contains("cannot cut 32 windows of 128 tokens");

        Run noModel = run("--corpus", dir.toString(), "--model", dir.resolve("absent.onnx").toString(), "--out",
                dir.resolve("p").toString());
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).contains("no model file");
        assertThat(dir.resolve("p")).doesNotExist();
    }
}
