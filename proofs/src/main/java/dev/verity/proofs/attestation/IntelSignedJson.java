package dev.verity.proofs.attestation;

import java.util.Arrays;

/**
 * A signed collateral document as Intel's PCS serves it: {@code {"<key>":{...},"signature":"<hex>"}}
 * where the signature is ECDSA P-256/SHA-256 (r||s, 64 bytes) over the exact bytes of the value of
 * {@code <key>} in the file.
 *
 * @param body the parsed value of {@code <key>}
 * @param signedBytes the exact bytes of that value, as they appear in the document
 * @param signature r||s, 64 bytes
 */
record IntelSignedJson(Json.Obj body, byte[] signedBytes, byte[] signature) {

    /**
     * Splits a document into its signed body and signature.
     *
     * @param what the document's name in messages ("TCB info", "QE identity")
     * @throws IllegalArgumentException when the document is not such an envelope
     */
    static IntelSignedJson parse(byte[] document, String key, String what) {
        Json.Value top;
        try {
            top = Json.parse(document);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not well-formed JSON: " + e.getMessage());
        }
        if (!(top instanceof Json.Obj envelope)) {
            throw new IllegalArgumentException("the " + what + " is not a JSON object");
        }
        if (envelope.members().size() != 2 || !(envelope.get(key) instanceof Json.Obj body)
                || !(envelope.get("signature") instanceof Json.Str)) {
            throw new IllegalArgumentException("the " + what + " is not {\"" + key + "\":{...},\"signature\":\"hex\"}");
        }
        byte[] signature;
        try {
            signature = envelope.hex("signature", 64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " signature is not 64 bytes of hex");
        }
        return new IntelSignedJson(body, Arrays.copyOfRange(document, body.start(), body.end()), signature);
    }
}
