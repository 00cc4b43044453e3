package dev.verity.compute.verify;

import dev.verity.compute.model.BundledModels;
import dev.verity.compute.model.EndOfText;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.program.Program;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integer programs this node can trace (one run per job, or a language model's step program per token, stored beside
 * its ONNX file as {@link BundledModels#PROGRAM_COMPANION}): model packages in its store whose program is the one
 * registered on the chain. A node serves, watches or audits a model in a provable mode only if its local
 * package commits to the chain's program root; otherwise its traces could not be proven on chain. Thread-safe.
 */
public final class ProvablePrograms {
    private static final Logger LOG = LoggerFactory.getLogger(ProvablePrograms.class);

    private final ModelStore store;
    private final VerityClient client;
    /** Programs whose chain registration matched. */
    private final Map<Hash, ProvableProgram> ready = new ConcurrentHashMap<>();
    /** Packages read from the store, matching the chain or not yet. */
    private final Map<Hash, ProvableProgram> loaded = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ProvablePrograms(ModelStore store, VerityClient client) {
        this.store = store;
        this.client = client;
    }

    /** The program of {@code model}, or empty when the store has no package for it or the chain registered another program. */
    public Optional<ProvableProgram> forModel(Hash model) {
        ProvableProgram p = ready.get(model);
        if (p != null) {
            return Optional.of(p);
        }
        String hex = model.hex();
        if (!store.contains(hex, ModelStore.PACKAGE_SUFFIX) && store.companion(hex, BundledModels.PROGRAM_COMPANION).isEmpty()) {
            return Optional.empty();
        }
        String problem;
        ProvableProgram candidate;
        try {
            // decoding and committing a package hashes every weight: done once, while the registration may come later
            candidate = loaded.computeIfAbsent(model, m -> load(m, hex));
            problem = candidate.mismatch(client.model(model).program());
        } catch (UncheckedIOException | DecodingException | VerityApiException | IllegalArgumentException | IllegalStateException e) {
            warnOnce(model, "cannot load its package or the chain's registration: " + e.getMessage());
            return Optional.empty();
        }
        if (problem != null) {
            warnOnce(model, problem);
            return Optional.empty();
        }
        ready.putIfAbsent(model, candidate);
        return Optional.of(ready.get(model));
    }

    /** A package stored under the model's hash, or an ONNX language model's step program stored beside it. */
    private ProvableProgram load(Hash model, String hex) {
        try {
            if (store.contains(hex, ModelStore.PACKAGE_SUFFIX)) {
                return IntegerProgram.of(model, ModelPackage.decode(Files.readAllBytes(store.path(hex, ModelStore.PACKAGE_SUFFIX))),
                        EndOfText.inStore(store, hex));
            }
            Program step = Program.decode(Files.readAllBytes(store.companion(hex, BundledModels.PROGRAM_COMPANION).orElseThrow()));
            return new GenerationProgram(model, DecoderQuantizer.stepOf(step), EndOfText.inStore(store, hex));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void warnOnce(Hash model, String problem) {
        if (warned.add(model.hex() + problem)) {
            LOG.warn("model {} is not served in the provable modes here: {}", model.hex(), problem);
        }
    }
}
