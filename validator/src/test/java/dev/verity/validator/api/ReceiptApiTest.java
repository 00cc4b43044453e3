package dev.verity.validator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.ChainTraffic;
import dev.verity.validator.storage.Retention;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's receipt from a real chain over real HTTP, checked offline against the set the chain started with. */
class ReceiptApiTest {
    @TempDir
    Path dir;

    @Test
    void aJobsReceiptVerifiesAgainstTheGenesisSetAndAnAlteredOneDoesNot() {
        try (ChainNode chain = ChainTraffic.open(dir, Retention.ARCHIVE);
             ApiServer api = new ApiServer(chain, ApiServerConfig.loopback(0)).start()) {
            ChainTraffic traffic = new ChainTraffic(chain);
            traffic.blocks(6);
            Hash job = traffic.job(2);
            VerityClient client = new VerityClient(api.url());
            TrustedValidators genesisSet = client.validators(0).toTrusted();
            assertThat(genesisSet.fromHeight()).isZero();

            byte[] bytes = client.jobReceiptBytes(job);
            JobReceipt receipt = JobReceipt.decode(bytes);
            assertThat(receipt.jobId()).isEqualTo(job);
            assertThat(receipt.blocks()).isNotEmpty();
            ReceiptVerification ok = ReceiptVerifier.verify(bytes, genesisSet);
            assertThat(ok.valid()).as(ok.toString()).isTrue();

            byte[] altered = bytes.clone();
            altered[altered.length / 2] ^= 1;
            assertThat(ReceiptVerifier.verify(altered, genesisSet).valid()).isFalse();

            assertThatThrownBy(() -> client.jobReceiptBytes(Hash.of(new byte[32])))
                    .isInstanceOf(VerityApiException.class).hasMessageContaining("no events");
        }
    }
}
