package dev.verity.devnet;

import dev.verity.protocol.VerificationMode;
import java.util.List;

/**
 * What compute node {@code index} of a devnet serves and how it plays. Every node serves the chat model in its modes and
 * streams its tokens. The first two run a development enclave and serve the sentence-embedding model and the chat model
 * in NONE and TEE (ONNX Runtime). The others run the integer engine on the digits package and the chat model's step
 * program: the third also serves the sentence-embedding model in NONE (it takes the TEE jobs that fall back); each
 * serves the digits and chat models in NONE, OPTIMISTIC and SAMPLED, and watches, audits and plays disputes. With a
 * cheat, the fourth node cheats: it serves only OPTIMISTIC, and the honest nodes leave OPTIMISTIC to it, so that every
 * OPTIMISTIC job, chat included, meets the cheat and shows the watchers catching it.
 *
 * @param cheat how this node cheats on its results; null for an honest node
 */
public record DevnetNodePlan(int index, boolean tee, boolean servesSentenceModel, boolean servesDigits,
                             List<VerificationMode> modes, CheatMode cheat) {
    /** Every node serves the chat model in its modes, and streams its tokens. */
    public boolean servesChat() {
        return true;
    }

    /** The index of the node that cheats, when the devnet has one. */
    public static final int CHEATING_NODE = 3;

    public DevnetNodePlan {
        modes = List.copyOf(modes);
    }

    public static DevnetNodePlan of(int index, int nodes, CheatMode cheat) {
        if (index < 2) {
            return new DevnetNodePlan(index, true, true, false, List.of(VerificationMode.NONE, VerificationMode.TEE), null);
        }
        boolean cheating = hasCheater(nodes, cheat);
        if (cheating && index == CHEATING_NODE) {
            return new DevnetNodePlan(index, false, false, true, List.of(VerificationMode.OPTIMISTIC), cheat);
        }
        List<VerificationMode> modes = cheating ? List.of(VerificationMode.NONE, VerificationMode.SAMPLED)
                : List.of(VerificationMode.NONE, VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED);
        return new DevnetNodePlan(index, false, index == 2, true, modes, null);
    }

    /** Whether a devnet of {@code nodes} compute nodes has a cheating node: there is a cheat and a fourth node for it. */
    public static boolean hasCheater(int nodes, CheatMode cheat) {
        return cheat != null && nodes > CHEATING_NODE;
    }

    public boolean servesProvableModes() {
        return modes.contains(VerificationMode.OPTIMISTIC) || modes.contains(VerificationMode.SAMPLED);
    }
}
