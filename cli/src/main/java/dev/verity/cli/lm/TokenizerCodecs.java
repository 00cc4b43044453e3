package dev.verity.cli.lm;

import dev.verity.modelhub.lm.train.TextCodec;
import java.nio.file.Path;

/** The Hugging Face tokenizer file as a {@link TextCodec}. */
final class TokenizerCodecs {
    private TokenizerCodecs() {}

    static TextCodec load(Path tokenizerJson) {
        throw new IllegalArgumentException("the Hugging Face tokenizer is not available in this build yet; use --byte-level "
                + "for development");
    }
}
