package dev.verity.validator.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.protocol.tx.TransactionCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturePrecheckTest {
    private static final PrivateKey ALICE = PrivateKey.deterministic("alice");
    private static final PrivateKey BOB = PrivateKey.deterministic("bob");

    /** A transfer as a validator reads it from a block: decoded afresh, its signature not yet checked. */
    private static SignedTransaction transfer(long nonce, boolean tamperSignature) {
        byte[] bytes = SignedTransaction.sign(new TransactionBody("chain", ALICE.publicKey(), nonce,
                new Payload.Transfer(BOB.publicKey(), 1 + nonce)), ALICE).encoded();
        if (tamperSignature) {
            bytes[bytes.length - 40] ^= 1;
        }
        return TransactionCodec.decode(bytes);
    }

    @Test
    void checksEverySignatureOnItsThreadsAndKeepsTheAnswers() {
        List<SignedTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            txs.add(transfer(i, i % 10 == 3));
        }
        try (SignaturePrecheck precheck = new SignaturePrecheck(3)) {
            precheck.check(txs);
        }
        for (int i = 0; i < txs.size(); i++) {
            // The remembered answers are the ones a fresh decoding gives when checked on this thread.
            assertThat(txs.get(i).signatureValid()).as("transaction %d", i).isEqualTo(transfer(i, i % 10 == 3).signatureValid());
            assertThat(txs.get(i).signatureValid()).as("transaction %d", i).isEqualTo(i % 10 != 3);
        }
    }

    @Test
    void oneThreadAndSmallBlocksWorkToo() {
        List<SignedTransaction> txs = List.of(transfer(0, false));
        try (SignaturePrecheck precheck = new SignaturePrecheck(1)) {
            precheck.check(txs);
            precheck.check(List.of());
        }
        assertThat(txs.getFirst().signatureValid()).isTrue();
    }

    @Test
    void refusesNoThreads() {
        assertThatThrownBy(() -> new SignaturePrecheck(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one thread");
    }
}
