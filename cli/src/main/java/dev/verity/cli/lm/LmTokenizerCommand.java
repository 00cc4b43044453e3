package dev.verity.cli.lm;

import dev.verity.cli.BaseCommand;
import dev.verity.cli.CliException;
import dev.verity.modelhub.lm.corpus.LanguageModelCorpus;
import dev.verity.modelhub.lm.tokenizer.BpeEncoder;
import dev.verity.modelhub.lm.tokenizer.BpeTrainer;
import dev.verity.modelhub.lm.tokenizer.BpeVocabulary;
import dev.verity.modelhub.lm.tokenizer.SpecialTokens;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.modelhub.lm.tokenizer.TokenizerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity lm tokenizer}: trains the byte-level BPE tokenizer and writes it as a Hugging Face tokenizer.json. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = {"Train a byte-level BPE tokenizer (GPT-2 style) on the corpus's train.txt and write it as a "
                + "Hugging Face tokenizer.json. Ids 0, 1, 2 are <|endoftext|>, <|im_start|>, <|im_end|>; then the 256 "
                + "bytes; then the merges. The same corpus always gives the same file.", "",
            "The written file is then loaded with the Hugging Face tokenizers library, and when the corpus has "
                    + "heldout.txt, that text is encoded by the library and by the trainer's own encoder: they must "
                    + "agree, and the tokens per byte are reported.", "",
            "JSON: {\"out\", \"vocabularySize\", \"merges\", \"trainingMillis\", \"heldOutBytes\", \"heldOutTokens\", "
                    + "\"tokensPerByte\"}"})
public final class LmTokenizerCommand extends BaseCommand {
    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "The corpus directory ('verity lm corpus --out DIR').")
    Path corpus;

    @Option(names = "--vocab", paramLabel = "N", defaultValue = "" + BpeTrainer.DEFAULT_VOCABULARY_SIZE,
            description = "Vocabulary size, special and byte tokens included (default: ${DEFAULT-VALUE}).")
    int vocabularySize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The tokenizer.json to write.")
    Path outFile;

    @Override
    protected int execute() throws IOException {
        Path train = corpus.resolve(LanguageModelCorpus.TRAIN_FILE);
        if (!Files.isRegularFile(train)) {
            throw usage("no " + LanguageModelCorpus.TRAIN_FILE + " in " + corpus + " (write the corpus with 'verity lm corpus --out "
                    + corpus + "')");
        }
        out().note("training on " + train + " ...");
        long start = System.nanoTime();
        BpeVocabulary vocabulary = BpeTrainer.train(Files.readString(train, StandardCharsets.UTF_8), vocabularySize, SpecialTokens.ALL);
        long trainingMillis = (System.nanoTime() - start) / 1_000_000;
        if (outFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(outFile.toAbsolutePath().getParent());
        }
        Files.writeString(outFile, TokenizerJson.write(vocabulary), StandardCharsets.UTF_8);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("out", outFile.toAbsolutePath().normalize().toString());
        result.put("vocabularySize", vocabulary.size());
        result.put("merges", vocabulary.merges().size());
        result.put("trainingMillis", trainingMillis);
        try (TokenizerFile loaded = TokenizerFile.load(outFile)) {
            if (loaded.vocabularySize() != vocabulary.size()) {
                throw new CliException("TOKENIZER_MISMATCH", "the tokenizers library sees " + loaded.vocabularySize()
                        + " tokens in " + outFile + ", the trainer wrote " + vocabulary.size());
            }
            Path heldOut = corpus.resolve(LanguageModelCorpus.HELD_OUT_FILE);
            if (Files.isRegularFile(heldOut)) {
                String text = Files.readString(heldOut, StandardCharsets.UTF_8);
                int[] ids = loaded.encode(text);
                if (!Arrays.equals(ids, new BpeEncoder(vocabulary).encode(text))) {
                    throw new CliException("TOKENIZER_MISMATCH", "the tokenizers library and the trainer's encoder "
                            + "tokenize " + heldOut + " differently");
                }
                long bytes = text.getBytes(StandardCharsets.UTF_8).length;
                result.put("heldOutBytes", bytes);
                result.put("heldOutTokens", ids.length);
                result.put("tokensPerByte", perByte(ids.length, bytes));
            }
        }
        if (out().json()) {
            out().printJson(result);
        } else {
            out().fields(result);
        }
        return 0;
    }

    /** tokens / bytes with four decimals, in integer arithmetic. */
    static String perByte(long tokens, long bytes) {
        long tenThousandths = (tokens * 10_000 + bytes / 2) / bytes;
        return tenThousandths / 10_000 + "." + String.format("%04d", tenThousandths % 10_000);
    }
}
