package dev.verity.compute.model;

import dev.verity.inference.generate.GenerationParameters;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.service.model.ModelStore;
import java.nio.file.Path;
import java.util.Optional;

/** A language model's end token: the id of {@code <|endoftext|>} in the tokenizer stored beside it. */
public final class EndOfText {
    public static final String TOKEN = "<|endoftext|>";

    private EndOfText() {}

    /** The id of the tokenizer's {@code <|endoftext|>}; throws when the tokenizer has none. */
    public static int of(Path tokenizer, String model) {
        try (TokenizerFile t = TokenizerFile.load(tokenizer)) {
            Integer id = t.specialTokens().get(TOKEN);
            if (id == null) {
                throw new IllegalStateException("the tokenizer of language model " + model + " has no " + TOKEN + " token");
            }
            return id;
        }
    }

    /** The end token of model {@code hex} from its tokenizer companion, or {@link GenerationParameters#NO_END_TOKEN} without one. */
    public static int inStore(ModelStore store, String hex) {
        Optional<Path> tokenizer = store.companion(hex, BundledModels.TOKENIZER_COMPANION);
        return tokenizer.isEmpty() ? GenerationParameters.NO_END_TOKEN : of(tokenizer.get(), hex);
    }
}
