package dev.verity.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ReceiptCheck;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.api.ValidatorsView;
import dev.verity.sdk.receipt.SignedReceipts;
import dev.verity.sdk.receipt.TrustFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client's side of receipts: the binary answer, the validator set, and their errors. */
class JobReceiptClientTest {
    static final JobReceipt RECEIPT = SignedReceipts.receipt(5, 3);

    @Test
    void aReceiptIsFetchedAsBytesDecodedAndVerified() {
        byte[] bytes = RECEIPT.encode();
        try (StubValidator v = new StubValidator().on(ex -> {
                 if (ex.getRequestURI().getPath().endsWith("/receipt")) {
                     assertThat(ex.getRequestHeaders().getFirst("Accept")).isEqualTo("application/octet-stream");
                     binary(ex, bytes);
                 } else {
                     StubValidator.answer(ex, 200, TrustFile.json(SignedReceipts.TRUSTED));
                 }
             });
             VerityClient client = new VerityClient(v.url())) {
            assertThat(client.jobReceiptBytes(SignedReceipts.JOB)).isEqualTo(bytes);
            assertThat(client.jobReceipt(SignedReceipts.JOB)).isEqualTo(RECEIPT);

            TrustedValidators trusted = client.trustedValidators();
            assertThat(trusted).isEqualTo(SignedReceipts.TRUSTED);
            ReceiptVerification checked = client.verifyJobReceipt(SignedReceipts.JOB, trusted);
            assertThat(checked.valid()).as("%s", checked).isTrue();
            assertThat(checked.events()).extracting(ReceiptVerification.Event::typeCode)
                    .containsExactly(SignedReceipts.JOB_SUBMITTED, SignedReceipts.JOB_SETTLED);

            String job = SignedReceipts.JOB.hex();
            assertThat(v.requests()).containsExactly("GET /v1/jobs/" + job + "/receipt", "GET /v1/jobs/" + job + "/receipt",
                    "GET /v1/validators", "GET /v1/jobs/" + job + "/receipt?trustedHeight=0");
        }
    }

    @Test
    void aMissingReceiptIsTheNodesErrorAndGarbageIsABadResponseOrARefusal() {
        try (StubValidator v = new StubValidator().failing(404, "NOT_FOUND");
             VerityClient client = new VerityClient(v.url())) {
            assertThatThrownBy(() -> client.jobReceipt(SignedReceipts.JOB)).isInstanceOfSatisfying(VerityApiException.class,
                    e -> {
                        assertThat(e.code()).isEqualTo("NOT_FOUND");
                        assertThat(e.status()).isEqualTo(404);
                    });
        }
        byte[] garbage = "{\"not\": \"a receipt\"}".getBytes(StandardCharsets.UTF_8);
        try (StubValidator v = new StubValidator().on(ex -> binary(ex, garbage));
             VerityClient client = new VerityClient(v.url())) {
            assertThatThrownBy(() -> client.jobReceipt(SignedReceipts.JOB)).isInstanceOfSatisfying(VerityApiException.class,
                    e -> assertThat(e.code()).isEqualTo("BAD_RESPONSE"));
            ReceiptVerification refused = client.verifyJobReceipt(SignedReceipts.JOB, SignedReceipts.TRUSTED);
            assertThat(refused.failed()).isEqualTo(ReceiptCheck.FORMAT);
            assertThat(refused.reason()).contains("not a Verity job receipt");
        }
    }

    @Test
    void aValidatorSetThatDisagreesWithItselfIsABadResponse() {
        ValidatorsView good = ValidatorsView.of(SignedReceipts.TRUSTED);
        ValidatorsView lying = new ValidatorsView(good.chainId(), good.height(), good.validatorSetHash(), good.validatorSet(),
                good.validators().subList(0, 3));
        try (StubValidator v = new StubValidator().on(ex -> StubValidator.answer(ex, 200,
                     new VerityClient("http://127.0.0.1:1").json().writeValueAsString(lying)));
             VerityClient client = new VerityClient(v.url())) {
            assertThat(client.validators()).isEqualTo(lying);
            assertThatThrownBy(client::trustedValidators).isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).isEqualTo("BAD_RESPONSE");
                assertThat(e.getMessage()).contains("does not agree with itself", "validators lists 3");
            });
        }
    }

    @Test
    void tooFewSignaturesAreRefusedByTheVerifier() {
        ReceiptVerification v = ReceiptVerifier.verify(SignedReceipts.receipt(5, 2).encode(), SignedReceipts.TRUSTED);
        assertThat(v.failed()).isEqualTo(ReceiptCheck.CERTIFICATE);
    }

    static void binary(HttpExchange ex, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
