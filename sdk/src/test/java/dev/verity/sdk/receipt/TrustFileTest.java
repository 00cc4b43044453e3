package dev.verity.sdk.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verity.core.Bytes;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.TrustedValidators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust files: written, read back, and refused when their readable part does not say what their bytes say. */
class TrustFileTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aTrustFileRoundTripsWithTheDocumentedFields() throws Exception {
        TrustedValidators t = new TrustedValidators(SignedReceipts.CHAIN, SignedReceipts.SET, 17);
        Path file = dir.resolve("trust.json");
        TrustFile.write(file, t);
        assertThat(TrustFile.read(file)).isEqualTo(t);

        JsonNode doc = JSON.readTree(Files.readString(file));
        assertThat(doc.fieldNames()).toIterable().containsExactly("chainId", "height", "validatorSetHash", "validatorSet",
                "validators");
        assertThat(doc.get("height").asLong()).isEqualTo(17);
        assertThat(doc.get("validatorSetHash").asText()).isEqualTo(SignedReceipts.SET.hash().hex());
        assertThat(doc.get("validatorSet").asText()).isEqualTo(Bytes.hex(SignedReceipts.SET.encode()));
        JsonNode first = doc.get("validators").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("key", "stake", "peerAddress", "apiUrl");
        assertThat(first.get("key").asText()).isEqualTo(SignedReceipts.SET.members().getFirst().key().hex());
        assertThat(first.get("stake").asLong()).isEqualTo(250);
    }

    @Test
    void aFileWhoseHashOrListDisagreesWithTheSetIsRefused() throws Exception {
        ObjectNode good = (ObjectNode) JSON.readTree(TrustFile.json(SignedReceipts.TRUSTED));

        ObjectNode hash = good.deepCopy();
        hash.put("validatorSetHash", ValidatorSet.of(java.util.List.of()).hash().hex());
        assertRefused(hash, "is not the hash of validatorSet");

        ObjectNode stake = good.deepCopy();
        ((ObjectNode) stake.get("validators").get(2)).put("stake", 1_000_000);
        assertRefused(stake, "validators[2]", "differs from validatorSet's member 2");

        ObjectNode fewer = good.deepCopy();
        ((ArrayNode) fewer.get("validators")).remove(3);
        assertRefused(fewer, "validators lists 3 validators, but validatorSet holds 4");

        ObjectNode notHex = good.deepCopy();
        notHex.put("validatorSet", "zz");
        assertRefused(notHex, "validatorSet is not the hex of a validator set's encoding");

        ObjectNode noChain = good.deepCopy();
        noChain.remove("chainId");
        assertRefused(noChain, "no chainId");

        assertThatThrownBy(() -> TrustFile.parse("[1, 2]".getBytes(StandardCharsets.UTF_8), "t.json"))
                .isInstanceOf(TrustFileException.class).hasMessageStartingWith("t.json is not a trust file");
        assertThatThrownBy(() -> TrustFile.read(dir.resolve("missing.json"))).isInstanceOf(TrustFileException.class)
                .hasMessageContainingAll("no such trust file", "verity validators --json >");
    }

    private static void assertRefused(JsonNode doc, String... message) throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(doc);
        assertThatThrownBy(() -> TrustFile.parse(bytes, "trust.json")).isInstanceOf(TrustFileException.class)
                .hasMessageStartingWith("trust.json is not a valid trust file: ").hasMessageContainingAll(message);
    }
}
