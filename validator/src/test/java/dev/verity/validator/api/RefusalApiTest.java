package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.api.ApiError;
import dev.verity.sdk.api.TransactionReceipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refusal reaches API callers as a reject code and a message in two fields, never as one text to parse: in the
 * receipt of a transaction its block refused, and in the error body of one refused at submission, with the same code.
 */
class RefusalApiTest {
    @TempDir
    Path dir;
    ApiFixture f;
    Hash model = Sha256.digest(Bytes.utf8("refusal api model"));

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aTransactionRefusedInItsBlockHasAReceiptWithItsCodeAndMessageApart() throws Exception {
        // Two accounts register the same model in one block: the second is refused there.
        Hash first = f.wallet(ALICE).registerModel(model, "echo", "text", "text", 1_000);
        Hash second = f.wallet(BOB).registerModel(model, "echo", "text", "text", 1_000);
        long height = f.produce().height();

        JsonNode refused = f.json(f.get("/v1/transactions/" + second.hex()).body());
        assertThat(fields(refused)).containsExactly("hash", "status", "height", "code", "message");
        assertThat(refused.get("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("height").asLong()).isEqualTo(height);
        assertThat(refused.get("code").asText()).isEqualTo("MODEL_EXISTS");
        assertThat(refused.get("message").asText()).contains("already registered").doesNotContain("MODEL_EXISTS");
        JsonNode included = f.json(f.get("/v1/transactions/" + first.hex()).body());
        assertThat(fields(included)).containsExactly("hash", "status", "height", "code", "message");
        assertThat(included.get("code").isNull()).isTrue();
        assertThat(included.get("message").isNull()).isTrue();

        TransactionReceipt r = f.client.awaitReceipt(second, Duration.ofSeconds(5));
        assertThat(r.refused()).isTrue();
        assertThat(r.code()).isEqualTo("MODEL_EXISTS");
        assertThat(r.message()).isEqualTo(refused.get("message").asText());
        assertThat(r.rejection()).isEqualTo(new ApiError("MODEL_EXISTS", r.message()));
        TransactionReceipt ok = f.client.receipt(first);
        assertThat(ok.refused()).isFalse();
        assertThat(ok.rejection()).isNull();
        assertThat(ok).isEqualTo(new TransactionReceipt(first.hex(), "INCLUDED", height));
    }

    @Test
    void aTransactionRefusedAtSubmissionAnswersTheSameCodeAndAMessageAsAnErrorBody() throws Exception {
        f.wallet(ALICE).registerModel(model, "echo", "text", "text", 1_000);
        f.produce();
        var again = f.wallet(BOB).sign(new Payload.RegisterModel(model, "echo", "text", "text", 1_000),
                f.client.account(BOB.publicKey()).nextNonce());

        var res = f.request("POST", "/v1/transactions", "application/octet-stream", again.encoded());
        assertThat(res.statusCode()).isEqualTo(400);
        JsonNode body = f.json(res.body());
        assertThat(fields(body)).containsExactly("code", "message");
        assertThat(body.get("code").asText()).isEqualTo("MODEL_EXISTS");
        assertThat(body.get("message").asText()).contains("already registered").doesNotContain("MODEL_EXISTS");
        assertThatThrownBy(() -> f.client.submit(again)).isInstanceOfSatisfying(VerityApiException.class, e -> {
            assertThat(e.code()).isEqualTo("MODEL_EXISTS");
            assertThat(e.getMessage()).isEqualTo(body.get("message").asText());
        });
    }
}
