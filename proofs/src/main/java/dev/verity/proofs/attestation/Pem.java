package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM text: the DER bytes of its {@code -----BEGIN label-----} blocks (certificates, CRLs). */
public final class Pem {
    private Pem() {}

    /**
     * Every block with this label, in order.
     *
     * @throws IllegalArgumentException when a block is not closed or its body is not base64
     */
    public static List<byte[]> blocks(String pem, String label) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = 0;
        while (true) {
            int b = pem.indexOf(begin, from);
            if (b < 0) {
                return out;
            }
            int e = pem.indexOf(end, b);
            if (e < 0) {
                throw new IllegalArgumentException("a PEM " + label + " block is not closed");
            }
            try {
                out.add(Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e)));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("a PEM " + label + " block is not base64");
            }
            from = e + end.length();
        }
    }
}
