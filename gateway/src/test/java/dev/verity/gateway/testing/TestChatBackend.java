package dev.verity.gateway.testing;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.gateway.backend.ChatBackend;
import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.backend.JobStarted;
import dev.verity.gateway.backend.ServedModel;
import dev.verity.gateway.backend.SettlementStatus;
import dev.verity.gateway.backend.TokenListener;
import dev.verity.gateway.template.ChatMlTemplate;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process {@link ChatBackend} that exists to test the gateway's HTTP layer only: no chain, no node, no model.
 * Each served model has a {@link Script} that plays the network's part: it hears the generation request, streams
 * token ids and returns an outcome, or fails as the network can. {@link #answering} plays an honest node that
 * obeys the request's stop sequences and token limits, as the ledger checks them.
 */
public final class TestChatBackend implements ChatBackend {
    public static final int CONTEXT_LENGTH = 512;
    public static final int MAX_NEW_TOKENS = 256;
    public static final long SETTLED_HEIGHT = 42;
    public static final PublicKey NODE = PublicKey.wrap(filled(0x4E));
    public static final ByteLevelTestTokenizer TOKENIZER = new ByteLevelTestTokenizer();

    /** What the network does with one request on a model. */
    @FunctionalInterface
    public interface Script {
        GenerationOutcome run(GenerationRequest request, TokenListener listener) throws InterruptedException;
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<ServedModel> models = new CopyOnWriteArrayList<>();
    private final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();

    /** Serves {@code id} (ChatML, the byte-level tokenizer, the default limits) with {@code script}; returns this. */
    public TestChatBackend serve(String id, Script script) {
        return serve(new ServedModel(id, 1_700_000_000L, "verity-test", CONTEXT_LENGTH, MAX_NEW_TOKENS, TOKENIZER,
                new ChatMlTemplate()), script);
    }

    public TestChatBackend serve(ServedModel model, Script script) {
        models.add(model);
        scripts.put(model.id(), script);
        return this;
    }

    /** Every request generated so far, in order. */
    public List<GenerationRequest> requests() {
        return List.copyOf(requests);
    }

    public GenerationRequest lastRequest() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public List<ServedModel> models() {
        return List.copyOf(models);
    }

    @Override
    public GenerationOutcome generate(String modelId, GenerationRequest request, TokenListener listener)
            throws InterruptedException {
        requests.add(request);
        Script script = scripts.get(modelId);
        if (script == null) {
            throw new IllegalStateException("the test backend serves no model " + modelId);
        }
        return script.run(request, listener);
    }

    // ------------------------------------------------------------------ scripts

    /**
     * An honest node whose model would write {@code reply}, then {@code <|im_end|>}, then {@code <|endoftext|>}: it
     * stops at the request's stop sequences (kept in the result) or its token limit, and at end of text (left out).
     */
    public static Script answering(String reply) {
        return (request, listener) -> {
            GenerationResult result = honestResult(request, wouldWrite(reply));
            Hash job = jobId(request);
            listener.onJobStarted(new JobStarted(job, VerificationMode.TEE, NODE));
            for (int id : result.tokens()) {
                listener.onToken(id);
            }
            return settled(job, result);
        };
    }

    /** The tokens a model that answers {@code reply} would write, stop sequences aside. */
    public static int[] wouldWrite(String reply) {
        int[] text = TOKENIZER.encode(reply);
        int[] all = java.util.Arrays.copyOf(text, text.length + 2);
        all[text.length] = ByteLevelTestTokenizer.IM_END;
        all[text.length + 1] = ByteLevelTestTokenizer.END_OF_TEXT;
        return all;
    }

    /** What an honest node posts for {@code request} when its model would write {@code written}. */
    public static GenerationResult honestResult(GenerationRequest request, int[] written) {
        int room = Math.min(request.maxTokens(), CONTEXT_LENGTH - request.promptLength());
        List<Integer> out = new ArrayList<>();
        for (int id : written) {
            if (id == ByteLevelTestTokenizer.END_OF_TEXT) {
                return new GenerationResult(toArray(out), FinishReason.END_OF_TEXT);
            }
            out.add(id);
            if (endsWithStop(out, request.stopSequences())) {
                return new GenerationResult(toArray(out), FinishReason.STOP_SEQUENCE);
            }
            if (out.size() == room) {
                return new GenerationResult(toArray(out), FinishReason.LENGTH);
            }
        }
        return new GenerationResult(toArray(out), FinishReason.END_OF_TEXT);
    }

    /** A TEE job settled at {@link #SETTLED_HEIGHT}. */
    public static GenerationOutcome settled(Hash job, GenerationResult result) {
        return new GenerationOutcome(result, job, VerificationMode.TEE, NODE, SettlementStatus.SETTLED,
                OptionalLong.of(SETTLED_HEIGHT), "http://127.0.0.1:8645/v1/jobs/" + job.hex() + "/receipt",
                "test backend: nothing was verified");
    }

    /** A job id that depends on the request, as a real one depends on its transaction. */
    public static Hash jobId(GenerationRequest request) {
        return Hash.of(request.encode());
    }

    public static String text(int[] ids) {
        return TOKENIZER.decode(ids);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean endsWithStop(List<Integer> out, List<int[]> stops) {
        for (int[] stop : stops) {
            if (stop.length <= out.size()) {
                boolean match = true;
                for (int i = 0; i < stop.length && match; i++) {
                    match = out.get(out.size() - stop.length + i) == stop[i];
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) b);
        return bytes;
    }
}
