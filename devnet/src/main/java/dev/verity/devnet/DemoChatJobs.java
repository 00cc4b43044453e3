package dev.verity.devnet;

import dev.verity.compute.model.BundledModels;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.modelhub.lm.ShippedLanguageModel;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Chat jobs the demo sends straight through the SDK (the gateway's question is {@link DemoChat}): a prompt of the shipped
 * tokenizer, and how to read and re-check what the chain settled.
 */
final class DemoChatJobs {
    /** The prompt of the provable chat jobs; a completion, as the model was trained on plain text. */
    static final String PROMPT = "Mr. Darcy was";
    static final int MAX_TOKENS = 16;

    private DemoChatJobs() {}

    /** The request: the prompt's tokens, sampled at temperature 0.7 with seed {@code seed}. */
    static GenerationRequest request(long seed) {
        return new GenerationRequest(encode(PROMPT), MAX_TOKENS, 700, 950, List.of(), seed);
    }

    /** Submits a chat job in {@code mode} with {@code fallbacks}. */
    static Hash submit(Devnet net, VerificationMode mode, List<VerificationMode> fallbacks, long seed) {
        return net.clientWallet().submitJob(net.chatModel(), request(seed).encode(), mode, fallbacks,
                Params.BASE_UNITS_PER_TOKEN, 50);
    }

    /** Whether the settled output is what the integer engine gives here for the job (null when nothing settled). */
    static Boolean reproduced(Devnet net, Hash job, byte[] input, String settledHash) {
        if (settledHash == null) {
            return null;
        }
        byte[] mine = net.chatProgram().trace(job, input, null, dev.verity.inference.generate.TokenListener.NONE).output();
        return Sha256.digest(mine).hex().equals(settledHash);
    }

    /** The prompt followed by the settled continuation, as text. */
    static String answer(byte[] output) {
        if (output == null) {
            return null;
        }
        try (TokenizerFile t = tokenizer()) {
            return PROMPT + t.decode(GenerationResult.decode(output).tokens());
        }
    }

    private static int[] encode(String text) {
        try (TokenizerFile t = tokenizer()) {
            return t.encode(text);
        }
    }

    private static TokenizerFile tokenizer() {
        try {
            return TokenizerFile.load(new ByteArrayInputStream(ShippedLanguageModel.tokenizer()), BundledModels.TOKENIZER_COMPANION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
