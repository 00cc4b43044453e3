package dev.verity.modelhub.lm.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Opens Hugging Face tokenizers with DJL's binding of the Rust {@code tokenizers} library, offline.
 *
 * <p>The {@code ai.djl.huggingface:tokenizers} jar bundles {@code libtokenizers} for linux-x86_64, linux-aarch64,
 * osx-aarch64 and win-x86_64 under {@code native/lib/<platform>/cpu/}. On first use DJL copies the one for this
 * machine to {@code ~/.djl.ai/tokenizers/<version>-cpu-<platform>/} (or {@code $DJL_CACHE_DIR}, or
 * {@code $ENGINE_CACHE_DIR}; the temp directory when the home is not writable) and loads it from there. Two things
 * would reach the network if left alone, and both are switched off here before DJL's classes load:
 * <ul>
 *   <li>on a machine with a CUDA GPU, DJL picks a CUDA build of the library, which is not in the jar, and downloads it
 *       from publish.djl.ai; offline mode ({@code ai.djl.offline=true}) makes it take the CPU build from the jar;</li>
 *   <li>on every tokenizer creation DJL reports usage to an AWS endpoint when it runs on EC2 ({@code callHome});
 *       offline mode and {@code OPT_OUT_TRACKING=true} turn that off.</li>
 * </ul>
 * A value the operator set explicitly (system property or environment) is left alone.
 */
public final class NativeTokenizerLibrary {
    static final String OFFLINE_PROPERTY = "ai.djl.offline";
    static final String OPT_OUT_TRACKING_PROPERTY = "OPT_OUT_TRACKING";

    static {
        setIfUnset(OFFLINE_PROPERTY, "DJL_OFFLINE");
        setIfUnset(OPT_OUT_TRACKING_PROPERTY, OPT_OUT_TRACKING_PROPERTY);
    }

    private NativeTokenizerLibrary() {
    }

    private static void setIfUnset(String property, String environmentVariable) {
        if (System.getProperty(property) == null && System.getenv(environmentVariable) == null) {
            System.setProperty(property, "true");
        }
    }

    /**
     * A native tokenizer from the text of a {@code tokenizer.json}.
     *
     * @param options DJL's tokenizer options ({@code addSpecialTokens}, {@code truncation}, {@code maxLength},
     *                {@code padding}, ...)
     * @throws TokenizerFileException if the native library cannot load or rejects the file
     */
    public static HuggingFaceTokenizer open(String tokenizerJson, Map<String, String> options) {
        try {
            return HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)), options);
        } catch (IOException e) {
            throw new TokenizerFileException("cannot read the tokenizer: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TokenizerFileException("the Hugging Face tokenizers library rejects the file: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
