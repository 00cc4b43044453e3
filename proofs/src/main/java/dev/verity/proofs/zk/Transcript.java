package dev.verity.proofs.zk;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;

/**
 * The Fiat–Shamir transcript of a validity proof: a SHA-256 chain that absorbs every public input and every prover
 * message, each as {@code string label || bytes value} in core {@code Encoder} conventions (u32 lengths, so no two
 * sequences of messages encode alike), and draws each verifier challenge from everything absorbed before it.
 *
 * <pre>
 *   state_0       = SHA-256(string "verity.zk.transcript" || string domain || u32 version)
 *   absorb(l, v)  : state = SHA-256(0x01 || state || string l || bytes v)      elements as 8 bytes big-endian
 *   challenge(l)  : for k = 0, 1, ...: c = SHA-256(0x02 || state || string l || u32 k)[0..8) big-endian,
 *                   the first c below p is the element (a rejection, probability 2^-32, takes the next k);
 *                   then state = SHA-256(0x03 || state || string l || element as 8 bytes big-endian)
 * </pre>
 *
 * An extension challenge is two base challenges under the labels {@code l + ".0"} and {@code l + ".1"}.
 */
public final class Transcript {
    private Hash state;

    /** A transcript for proofs of {@code domain} (what is proven), at {@code version} of its format. */
    public Transcript(String domain, int version) {
        state = Sha256.digest(new Encoder(64).string("verity.zk.transcript").string(domain).u32(version).toByteArray());
    }

    /** Absorbs a labelled message. */
    public Transcript absorb(String label, byte[] value) {
        state = Sha256.digest(new Encoder(48 + value.length).u8(1).hash(state).string(label).bytes(value).toByteArray());
        return this;
    }

    public Transcript absorb(String label, Hash value) {
        return absorb(label, value.bytes());
    }

    /** Absorbs field elements, each as 8 bytes big-endian, behind their count. */
    public Transcript absorbElements(String label, long... elements) {
        Encoder e = new Encoder(4 + 8 * elements.length).u32(elements.length);
        for (long x : elements) {
            word(e, x);
        }
        return absorb(label, e.toByteArray());
    }

    /** Absorbs extension elements, each as its two coefficients. */
    public Transcript absorbExtension(String label, GoldilocksExt2... elements) {
        Encoder e = new Encoder(4 + 16 * elements.length).u32(elements.length);
        for (GoldilocksExt2 x : elements) {
            word(e, x.c0());
            word(e, x.c1());
        }
        return absorb(label, e.toByteArray());
    }

    /** A base-field challenge, uniform over the field, bound to everything absorbed so far. */
    public long challenge(String label) {
        for (int k = 0; ; k++) {
            byte[] h = Sha256.digest(new Encoder(48).u8(2).hash(state).string(label).u32(k).toByteArray()).bytes();
            long c = 0;
            for (int i = 0; i < 8; i++) {
                c = (c << 8) | (h[i] & 0xFF);
            }
            if (Goldilocks.isCanonical(c)) {
                Encoder e = new Encoder(56).u8(3).hash(state).string(label);
                word(e, c);
                state = Sha256.digest(e.toByteArray());
                return c;
            }
        }
    }

    /** An extension-field challenge (about 128 bits). */
    public GoldilocksExt2 challengeExtension(String label) {
        long c0 = challenge(label + ".0");
        long c1 = challenge(label + ".1");
        return new GoldilocksExt2(c0, c1);
    }

    /** A 64-bit word, big-endian (an element read as unsigned; the Encoder's u64 takes only values below 2^63). */
    private static void word(Encoder e, long x) {
        e.u32(x >>> 32).u32(x & 0xFFFF_FFFFL);
    }

    /** The state, for tests and for binding a proof's end. */
    public Hash state() {
        return state;
    }
}
