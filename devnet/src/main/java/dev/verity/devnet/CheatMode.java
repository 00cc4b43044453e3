package dev.verity.devnet;

import dev.verity.compute.verify.TraceCheat;
import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.trace.TraceValues;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dishonest way for a node to answer its own provable jobs, so demos and tests can show a
 * cheat being caught. The node commits to the cheated trace and plays it in disputes, and never proves a
 * step (it cannot). Only the devnet may use it: {@link #requireDevnet} refuses every other chain, so a
 * node of a real network cannot be switched into it by a stray setting.
 */
public enum CheatMode implements TraceCheat {
    /**
     * A wrong output under a trace that agrees with it: the scores moved one place along up to the last value; for a
     * generation, the first generated token changed (its lowest bit flipped) and the rest generated from it.
     */
    WRONG_OUTPUT,
    /** The right output, with one intermediate trace value made up. */
    WRONG_TRACE;

    /** The only chain a cheat runs on. */
    public static final String DEVNET_CHAIN_ID = DevnetGenesis.CHAIN_ID;

    private static final byte[] DOMAIN = Bytes.utf8("verity.devnet.cheat.v1");

    @Override
    public void allowedOn(String chainId) {
        requireDevnet(this, chainId);
    }

    /** Throws unless {@code chainId} is the devnet's. */
    public static void requireDevnet(CheatMode cheat, String chainId) {
        if (cheat != null && !DEVNET_CHAIN_ID.equals(chainId)) {
            throw new IllegalStateException("cheat mode " + cheat + " is for demonstrations on the devnet ('" + DEVNET_CHAIN_ID
                    + "') only; refusing to cheat on chain '" + chainId + "'");
        }
    }

    @Override
    public java.util.function.IntBinaryOperator tokenSubstitute(Hash job) {
        return this == WRONG_OUTPUT ? (index, drawn) -> index == 0 ? drawn ^ 1 : drawn : null;
    }

    @Override
    public TraceValues apply(Hash job, TraceValues honest) {
        List<Hash> values = new ArrayList<>(honest.values());
        byte[] output = honest.output();
        int last = values.size() - 1;
        switch (this) {
            case WRONG_OUTPUT -> {
                output = shifted(output);
                values.set(last, Sha256.digest(output));
            }
            case WRONG_TRACE -> {
                int index = Math.max(0, last / 2);
                values.set(index, Sha256.digest(new Encoder(64).fixed(DOMAIN).hash(job).u32(index).toByteArray()));
            }
        }
        return new TraceValues(values, output);
    }

    /** The float32 scores rotated by one place (score i becomes score i + 1); a bit flipped if that changes nothing. */
    static byte[] shifted(byte[] output) {
        byte[] out = new byte[output.length];
        if (output.length >= 8 && output.length % 4 == 0) {
            ByteBuffer in = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer to = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            int n = output.length / 4;
            for (int i = 0; i < n; i++) {
                to.putFloat(4 * ((i + 1) % n), in.getFloat(4 * i));
            }
        } else {
            System.arraycopy(output, 0, out, 0, output.length);
        }
        if (java.util.Arrays.equals(out, output)) {
            out = output.length == 0 ? new byte[] {1} : out;
            out[0] ^= 1;
        }
        return out;
    }
}
