package dev.verity.sdk.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.api.ValidatorsView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Trust files: the validator set a client checks receipts against, as JSON in the format of
 * {@code GET /v1/validators} ({@link ValidatorsView}):
 * <pre>
 * {"chainId": "...", "height": N, "validatorSetHash": "hex", "validatorSet": "hex of ValidatorSet.encode()",
 *  "validators": [{"key": "hex", "stake": n, "peerAddress": "host:port", "apiUrl": "http://host:port"}]}
 * </pre>
 * The set is taken from {@code validatorSet}; {@code validatorSetHash} must be its hash and {@code validators} must
 * list exactly its members, so what a person reads in the file is what is trusted. Unknown fields are ignored.
 */
public final class TrustFile {
    /** A trust file of 256 validators is about 150 KB; anything far larger is not one. */
    public static final long MAX_BYTES = 4L << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private TrustFile() {}

    /** The trusted validators in the file at {@code path}. */
    public static TrustedValidators read(Path path) {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new TrustFileException(path + " is " + Files.size(path) + " bytes, too large for a trust file");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new TrustFileException("no such trust file: " + path + " (make one with: verity validators --json > " + path
                    + ")", e);
        } catch (IOException e) {
            throw new TrustFileException("cannot read the trust file " + path + ": " + e.getMessage(), e);
        }
        return parse(bytes, path.toString());
    }

    /** The trusted validators that {@code json} names; {@code source} (a file name) is used in messages. */
    public static TrustedValidators parse(byte[] json, String source) {
        ValidatorsView view;
        try {
            view = JSON.readValue(json, ValidatorsView.class);
        } catch (IOException e) {
            throw new TrustFileException(source + " is not a trust file (JSON: chainId, height, validatorSetHash, "
                    + "validatorSet, validators): " + e.getMessage(), e);
        }
        if (view == null) {
            throw new TrustFileException(source + " is empty, not a trust file");
        }
        try {
            return view.toTrusted();
        } catch (IllegalArgumentException e) {
            throw new TrustFileException(source + " is not a valid trust file: " + e.getMessage(), e);
        }
    }

    /** The trust file's JSON for {@code trusted} (pretty-printed). */
    public static String json(TrustedValidators trusted) {
        try {
            return JSON.writeValueAsString(ValidatorsView.of(trusted));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code trusted} to {@code path}, replacing what is there. */
    public static void write(Path path, TrustedValidators trusted) {
        try {
            Files.writeString(path, json(trusted) + "\n");
        } catch (IOException e) {
            throw new TrustFileException("cannot write the trust file " + path + ": " + e.getMessage(), e);
        }
    }
}
