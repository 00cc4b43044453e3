package dev.verity.cli.lm;

import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.modelhub.lm.train.TextCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Hugging Face {@code tokenizer.json}, loaded through the tokenizers library, as the trainer's {@link TextCodec}. */
final class TokenizerCodec implements TextCodec, AutoCloseable {
    private final TokenizerFile tokenizer;
    private final String description;

    private TokenizerCodec(TokenizerFile tokenizer, String description) {
        this.tokenizer = tokenizer;
        this.description = description;
    }

    static TokenizerCodec load(Path file) throws IOException {
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        TokenizerFile tokenizer = TokenizerFile.load(file);
        return new TokenizerCodec(tokenizer, String.format("byte-level BPE, %d tokens, `%s` (SHA-256 %s…), "
                + "loaded with the Hugging Face tokenizers library", tokenizer.vocabularySize(), file.getFileName(),
                sha256.substring(0, 16)));
    }

    @Override
    public int[] encode(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public String decode(int[] tokens) {
        return tokenizer.decode(tokens);
    }

    @Override
    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
