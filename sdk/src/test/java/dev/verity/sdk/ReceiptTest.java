package dev.verity.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.sdk.api.ApiError;
import dev.verity.sdk.api.TransactionReceipt;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A refused transaction's receipt gives the reject code and the message as two fields, as the API sends them. */
class ReceiptTest {
    static final Hash TX = Sha256.digest(Bytes.utf8("a refused transaction"));

    @Test
    void aRefusalArrivesAsACodeAndAMessage() {
        String json = "{\"hash\":\"" + TX.hex() + "\",\"status\":\"REFUSED\",\"height\":7,\"code\":\"INSUFFICIENT_FUNDS\","
                + "\"message\":\"balance 5: below the 7 it moves\"}";
        try (StubValidator v = new StubValidator().on(ex -> StubValidator.answer(ex, 200, json));
             VerityClient client = new VerityClient(v.url())) {
            TransactionReceipt r = client.awaitReceipt(TX, Duration.ofSeconds(5));
            assertThat(r).isEqualTo(new TransactionReceipt(TX.hex(), "REFUSED", 7, "INSUFFICIENT_FUNDS",
                    "balance 5: below the 7 it moves"));
            assertThat(r.refused()).isTrue();
            assertThat(r.rejection()).isEqualTo(new ApiError("INSUFFICIENT_FUNDS", "balance 5: below the 7 it moves"));
        }
    }

    @Test
    void anIncludedTransactionHasNoRefusal() {
        String json = "{\"hash\":\"" + TX.hex() + "\",\"status\":\"INCLUDED\",\"height\":3,\"code\":null,\"message\":null}";
        try (StubValidator v = new StubValidator().on(ex -> StubValidator.answer(ex, 200, json));
             VerityClient client = new VerityClient(v.url())) {
            TransactionReceipt r = client.receipt(TX);
            assertThat(r).isEqualTo(new TransactionReceipt(TX.hex(), "INCLUDED", 3));
            assertThat(r.refused()).isFalse();
            assertThat(r.rejection()).isNull();
        }
    }

    @Test
    void theReceiptSerializesAsItsFiveFieldsOnly() throws Exception {
        try (VerityClient client = new VerityClient("http://127.0.0.1:1")) {
            String json = client.json().writeValueAsString(new TransactionReceipt("ab", "REFUSED", 2, "BAD_NONCE", "m"));
            assertThat(json).isEqualTo("{\"hash\":\"ab\",\"status\":\"REFUSED\",\"height\":2,\"code\":\"BAD_NONCE\",\"message\":\"m\"}");
        }
    }
}
