package dev.verity.validator.chain;

import static dev.verity.validator.chain.MempoolAdmissionTest.CLIENT;
import static dev.verity.validator.chain.MempoolAdmissionTest.CLIENT_BALANCE;
import static dev.verity.validator.chain.MempoolAdmissionTest.OWNER;
import static dev.verity.validator.chain.MempoolAdmissionTest.SIXTY_PERCENT;
import static dev.verity.validator.chain.MempoolAdmissionTest.VALIDATOR;
import static dev.verity.validator.chain.MempoolAdmissionTest.genesis;
import static dev.verity.validator.chain.MempoolAdmissionTest.sign;
import static dev.verity.validator.chain.MempoolAdmissionTest.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Sha256;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.validator.storage.ChainStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused transaction's receipt answers REFUSED with its reject code and message apart, also after the node is
 * closed and reopened.
 */
class RefusalReceiptsTest {
    @TempDir
    Path dir;
    NodeConfig config;
    ChainNode chain;

    @BeforeEach
    void open() {
        config = NodeConfig.defaults(dir.resolve("data"));
        chain = ChainNode.open(config, genesis(), VALIDATOR);
    }

    @AfterEach
    void close() {
        chain.close();
    }

    private void reopen() {
        chain.close();
        chain = ChainNode.open(config, VALIDATOR);
    }

    private static Payload.RegisterModel model(String name) {
        return new Payload.RegisterModel(Sha256.digest(Bytes.utf8(name)), name, "bytes", "bytes", 1_000);
    }

    @Test
    void aTransactionRefusedInItsBlockIsStillRefusedAfterARestart() {
        // Two accounts register the same model: each applies on the committed state, the second not after the first.
        SignedTransaction first = sign(OWNER, 0, model("contested"));
        SignedTransaction second = sign(CLIENT, 0, model("contested"));
        chain.submit(first.encoded());
        chain.submit(second.encoded());
        long height = chain.produceBlock().height();

        TransactionReceipt refused = chain.receipt(second.hash());
        assertThat(refused.status()).isEqualTo("REFUSED");
        assertThat(refused.height()).isEqualTo(height);
        assertThat(refused.code()).isEqualTo("MODEL_EXISTS");
        assertThat(refused.message()).contains("already").doesNotContain("MODEL_EXISTS");
        assertThat(chain.receipt(first.hash()).status()).isEqualTo("INCLUDED");

        reopen();
        assertThat(chain.receipt(second.hash())).isEqualTo(refused);
        assertThat(chain.receipt(first.hash()).status()).isEqualTo("INCLUDED");
        assertThat(chain.status().mempoolSize()).as("the refused transaction left the stored mempool").isZero();
        assertThat(chain.receipt(Sha256.digest(Bytes.utf8("never sent"))).status()).isEqualTo("UNKNOWN");
    }

    @Test
    void storedTransactionsThatNoLongerApplyAreRefusedOnReloadAndStayRefused() {
        long height = chain.produceBlock().height();
        SignedTransaction tooMuch = transfer(0, CLIENT_BALANCE + 1);
        SignedTransaction sixty = transfer(0, SIXTY_PERCENT);
        SignedTransaction sixtyMore = transfer(1, SIXTY_PERCENT);
        chain.close();
        // Transactions in the stored mempool that this node would not admit (as if written by an older node).
        try (ChainStore store = ChainStore.open(config.dataDir())) {
            for (SignedTransaction tx : new SignedTransaction[] {tooMuch, sixty, sixtyMore}) {
                store.putMempool(tx.hash().bytes(), tx.encoded());
            }
        }

        chain = ChainNode.open(config, VALIDATOR);
        assertThat(chain.status().mempoolSize()).isEqualTo(1);
        assertThat(chain.receipt(sixty.hash()).status()).isEqualTo("PENDING");
        TransactionReceipt overdraft = chain.receipt(tooMuch.hash());
        assertThat(overdraft.status()).isEqualTo("REFUSED");
        assertThat(overdraft.height()).isEqualTo(height);
        assertThat(overdraft.code()).isEqualTo("INSUFFICIENT_FUNDS");
        TransactionReceipt afterPending = chain.receipt(sixtyMore.hash());
        assertThat(afterPending.status()).isEqualTo("REFUSED");
        assertThat(afterPending.code()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(afterPending.message())
                .contains(SIXTY_PERCENT + " base units are already held by 1 pending transaction of this account");

        reopen();
        assertThat(chain.receipt(tooMuch.hash())).isEqualTo(overdraft);
        assertThat(chain.receipt(sixtyMore.hash())).isEqualTo(afterPending);
        assertThat(chain.status().mempoolSize()).isEqualTo(1);
        long included = chain.produceBlock().height();
        assertThat(chain.receipt(sixty.hash()).status()).isEqualTo("INCLUDED");
        assertThat(chain.receipt(sixty.hash()).height()).isEqualTo(included);
    }

    @Test
    void aRefusedTransactionSentAgainAndIncludedAnswersIncluded() {
        long height = chain.produceBlock().height();
        SignedTransaction tx = transfer(1, 1);
        chain.close();
        // Refused on reload behind a transaction that does not apply (a nonce gap), then sent again.
        try (ChainStore store = ChainStore.open(config.dataDir())) {
            SignedTransaction gap = transfer(0, CLIENT_BALANCE + 1);
            store.putMempool(gap.hash().bytes(), gap.encoded());
            store.putMempool(tx.hash().bytes(), tx.encoded());
        }
        chain = ChainNode.open(config, VALIDATOR);
        assertThat(chain.receipt(tx.hash()).status()).isEqualTo("REFUSED");
        assertThat(chain.receipt(tx.hash()).height()).isEqualTo(height);
        assertThat(chain.receipt(tx.hash()).code()).isEqualTo("BAD_NONCE");

        chain.submit(transfer(0, 5).encoded());
        chain.submit(tx.encoded());
        assertThat(chain.receipt(tx.hash()).status()).isEqualTo("PENDING");
        chain.produceBlock();
        assertThat(chain.receipt(tx.hash()).status()).isEqualTo("INCLUDED");
        reopen();
        assertThat(chain.receipt(tx.hash()).status()).isEqualTo("INCLUDED");
    }
}
