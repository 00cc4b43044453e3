package dev.verity.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.verify.IntegerProgram;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The devnet's cheats: each is deterministic, and each leaves a trace that differs from the honest one where it says. */
class CheatModeTest {
    static TraceValues honest;
    static final Hash JOB = Sha256.digest(new byte[] {1});

    @BeforeAll
    static void trace() {
        honest = IntegerProgram.of(DigitsPackage.build()).trace(PackageRunner.encode(Digits.split().test().inputs()[0]));
    }

    @Test
    void aWrongOutputChangesTheAnswerAndOnlyTheLastTraceValue() {
        TraceValues cheat = CheatMode.WRONG_OUTPUT.apply(JOB, honest);
        int last = honest.values().size() - 1;
        assertThat(argmax(cheat.output())).isEqualTo((argmax(honest.output()) + 1) % 10);
        assertThat(cheat.values().get(last)).isEqualTo(Sha256.digest(cheat.output()));
        assertThat(cheat.values().subList(0, last)).isEqualTo(honest.values().subList(0, last));
        assertThat(CheatMode.WRONG_OUTPUT.apply(JOB, honest)).isEqualTo(cheat);
    }

    @Test
    void aWrongTraceKeepsTheOutputAndChangesOneIntermediateValue() {
        TraceValues cheat = CheatMode.WRONG_TRACE.apply(JOB, honest);
        assertThat(cheat.output()).isEqualTo(honest.output());
        int differing = 0;
        for (int i = 0; i < honest.values().size(); i++) {
            differing += honest.values().get(i).equals(cheat.values().get(i)) ? 0 : 1;
        }
        assertThat(differing).isOne();
        assertThat(cheat.values().get(cheat.values().size() - 1)).isEqualTo(Sha256.digest(honest.output()));
        assertThat(CheatMode.WRONG_TRACE.apply(JOB, honest)).isEqualTo(cheat);
    }

    @Test
    void theDevnetIsTheOnlyChainACheatRunsOn() {
        CheatMode.requireDevnet(CheatMode.WRONG_TRACE, CheatMode.DEVNET_CHAIN_ID);
        CheatMode.requireDevnet(null, "verity-mainnet");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheatMode.requireDevnet(CheatMode.WRONG_OUTPUT, "verity-mainnet"))
                .hasMessageContaining("refusing to cheat on chain 'verity-mainnet'");
    }

    private static int argmax(byte[] floats) {
        var fb = ByteBuffer.wrap(floats).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int best = 0;
        for (int i = 1; i < fb.limit(); i++) {
            if (fb.get(i) > fb.get(best)) {
                best = i;
            }
        }
        return best;
    }
}
