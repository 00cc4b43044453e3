package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact bytes of the children of a DER SEQUENCE, for hashing a part of a signed structure as it
 * was signed rather than as a library would re-encode it.
 */
final class DerElements {
    private DerElements() {}

    /**
     * The children (tag, length and content each) of the SEQUENCE {@code der}.
     *
     * @throws IllegalArgumentException when {@code der} is not exactly one well-formed SEQUENCE
     */
    static List<byte[]> children(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        int[] outer = header(der, 0);
        if (outer[1] != der.length) {
            throw new IllegalArgumentException("DER SEQUENCE length does not match its bytes");
        }
        List<byte[]> out = new ArrayList<>();
        int pos = outer[0];
        while (pos < der.length) {
            int[] child = header(der, pos);
            out.add(Arrays.copyOfRange(der, pos, child[1]));
            pos = child[1];
        }
        return out;
    }

    /** The SubjectPublicKeyInfo of a TBSCertificate (after the optional [0] version and five fields). */
    static byte[] subjectPublicKeyInfo(byte[] tbsDer) {
        List<byte[]> fields = children(tbsDer);
        int index = (fields.get(0)[0] & 0xFF) == 0xA0 ? 6 : 5;
        if (fields.size() <= index) {
            throw new IllegalArgumentException("TBSCertificate too short");
        }
        return fields.get(index);
    }

    /** {offset of the content, offset after the element} of the element at {@code off}. */
    private static int[] header(byte[] b, int off) {
        if (off + 2 > b.length || (b[off] & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("truncated or multi-byte DER tag");
        }
        int first = b[off + 1] & 0xFF;
        int contentStart;
        long length;
        if (first < 0x80) {
            contentStart = off + 2;
            length = first;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 4 || off + 2 + n > b.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[off + 2 + i] & 0xFF);
            }
            contentStart = off + 2 + n;
        }
        if (contentStart + length > b.length) {
            throw new IllegalArgumentException("DER element runs past its container");
        }
        return new int[] {contentStart, (int) (contentStart + length)};
    }
}
