package dev.verity.compute.worker;

import dev.verity.compute.generate.GenerationRunner;
import dev.verity.compute.model.BundledModels;
import dev.verity.compute.model.Device;
import dev.verity.compute.model.EndOfText;
import dev.verity.compute.model.OnnxDecoder;
import dev.verity.compute.model.OnnxModelInspector;
import dev.verity.compute.model.SentenceEmbeddingRunner;
import dev.verity.compute.model.TensorSpec;
import dev.verity.core.Hash;
import dev.verity.service.model.ModelStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a worker can run, loaded from its local content-addressed store (the file's hash is
 * checked on load). A model package ({@code <id>.vpkg}) runs with ONNX Runtime or the integer
 * engine as the {@link EnginePolicy} says; an ONNX file with a tokenizer companion runs with ONNX Runtime, as a
 * language model when it has the decoder layout with a key/value cache, else as a sentence-embedding model.
 */
public final class ModelRunners implements AutoCloseable {

    private final ModelStore store;
    private final Map<Hash, ModelRunner> loaded = new ConcurrentHashMap<>();
    private final EnginePolicy policy;
    private final Device device;

    public ModelRunners(ModelStore store) {
        this(store, EnginePolicy.FAST_WHERE_TRUSTED);
    }

    public ModelRunners(ModelStore store, EnginePolicy policy) {
        this(store, policy, new Device.Cpu());
    }

    /** Runners whose ONNX Runtime sessions run on {@code device} (the integer engine stays on the CPU). */
    public ModelRunners(ModelStore store, EnginePolicy policy, Device device) {
        this.store = store;
        this.policy = policy;
        this.device = device;
    }

    public Device device() {
        return device;
    }

    public EnginePolicy policy() {
        return policy;
    }

    public ModelStore store() {
        return store;
    }

    /**
     * Serves {@code model} with {@code runner} instead of a file from the store (a model built in code, or a test's);
     * returns this. The runner is closed with the others.
     */
    public ModelRunners with(Hash model, ModelRunner runner) {
        ModelRunner old = loaded.put(model, runner);
        if (old != null && old != runner) {
            old.close();
        }
        return this;
    }

    /**
     * The runner for a model, loading it on first use; empty when the model is not in the store. Throws when the model
     * is there but cannot be loaded (a damaged file, a runtime that refuses the graph).
     */
    public Optional<ModelRunner> forModel(Hash model) {
        ModelRunner given = loaded.get(model);
        if (given != null) {
            return Optional.of(given);
        }
        String hex = model.hex();
        if (store.contains(hex, PackageModelRunner.SUFFIX)) {
            return Optional.of(loaded.computeIfAbsent(model, m -> PackageModelRunner.load(store, hex, policy, device)));
        }
        if (!store.contains(hex)) {
            return Optional.empty();
        }
        return Optional.of(loaded.computeIfAbsent(model, m -> load(hex)));
    }

    private ModelRunner load(String hex) {
        Path onnx = store.path(hex);
        Path tokenizer = store.companion(hex, BundledModels.TOKENIZER_COMPANION).orElseThrow(() ->
                new IllegalStateException("model " + hex + " has no tokenizer.json beside it; an ONNX model runs here as a "
                        + "language model or a sentence-embedding model, each with its tokenizer"));
        if (OnnxDecoder.isDecoderLayout(new OnnxModelInspector().inspect(onnx).inputs().stream().map(TensorSpec::name).toList())) {
            return GenerationRunner.open(onnx, EndOfText.of(tokenizer, hex), device);
        }
        SentenceEmbeddingRunner runner = SentenceEmbeddingRunner.open(onnx, tokenizer, device);
        return new ModelRunner() {
            @Override
            public byte[] run(byte[] input, dev.verity.protocol.VerificationMode mode) {
                return runner.run(input);
            }

            @Override
            public void close() {
                runner.close();
            }
        };
    }

    @Override
    public void close() {
        loaded.values().forEach(ModelRunner::close);
        loaded.clear();
    }
}
