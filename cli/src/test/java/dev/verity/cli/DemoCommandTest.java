package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code verity demo --json --jobs 10}: a whole network running the real MiniLM model with ONNX Runtime and the digits package with the integer engine. */
class DemoCommandTest {

    @Test
    void demoRunsTenJobsAcrossNoneAndTeeAndTheFeesAddUp() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            code = new CommandLine(new VerityCli(o, e)).execute("demo", "--json", "--jobs", "10");
        }
        String stdout = out.toString();
        assertThat(code).as("exit code; stdout:\n%s\nstderr:\n%s", stdout, err).isZero();
        assertThat(err.toString()).as("progress goes to stderr").contains("starting a local network");

        JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stdout);
        assertThat(doc.isObject()).isTrue();
        assertThat(doc.fieldNames()).toIterable().containsExactly("jobs", "nodes", "fees", "revocation", "chain");
        JsonNode revocation = doc.get("revocation");
        assertThat(revocation.get("target").asText()).isEqualTo("vendor SEV_SNP");
        assertThat(revocation.get("enclavesRevoked").asInt()).as("both enclave nodes").isEqualTo(2);
        List<String> outcomes = new ArrayList<>();
        for (JsonNode m : revocation.get("jobs")) {
            outcomes.add(m.get("from").asText() + "->" + m.get("to").asText() + " " + m.get("status").asText());
            if ("CANCELLED".equals(m.get("status").asText())) {
                assertThat(m.get("refunded").asLong()).as("full escrow back").isEqualTo(1_000_000L);
                assertThat(m.get("reason").asText()).contains("no fallback mode is left", "vendor SEV_SNP revoked");
            } else {
                assertThat(m.get("reason").asText()).contains("moved from TEE to NONE", "vendor SEV_SNP revoked");
            }
        }
        assertThat(outcomes).as("jobs in flight at the revocation")
                .containsExactly("TEE->NONE SETTLED", "TEE->NONE SETTLED", "TEE->NONE SETTLED", "TEE->TEE CANCELLED");

        JsonNode jobs = doc.get("jobs");
        assertThat(jobs.size()).as("10 sentence jobs and the digit jobs").isEqualTo(10 + 2);
        Set<String> modes = new HashSet<>();
        Set<String> engines = new HashSet<>();
        long paid = 0;
        for (JsonNode j : jobs) {
            assertThat(j.get("id").asText()).matches("[0-9a-f]{64}");
            assertThat(j.get("status").asText()).as("job %s", j).isEqualTo("SETTLED");
            assertThat(j.get("node").asText()).matches("[0-9a-f]{64}");
            assertThat(j.get("outputHash").asText()).matches("[0-9a-f]{64}");
            assertThat(j.get("feePaid").isIntegralNumber()).isTrue();
            assertThat(j.get("feePaid").asLong()).isPositive();
            assertThat(j.has("latencyMs")).isTrue();
            modes.add(j.get("mode").asText());
            engines.add(j.get("engine").asText());
            if ("integer".equals(j.get("engine").asText())) {
                assertThat(j.get("reproduced").asBoolean()).as("integer-engine output re-run locally, bit for bit: %s", j).isTrue();
            }
            paid += j.get("feePaid").asLong();
        }
        assertThat(modes).containsExactlyInAnyOrder("NONE", "TEE");
        assertThat(engines).containsExactlyInAnyOrder("onnxruntime", "integer");

        for (JsonNode m : doc.get("revocation").get("jobs")) {
            paid += m.get("feePaid").asLong();
        }
        JsonNode fees = doc.get("fees");
        assertThat(fees.get("paid").asLong()).isEqualTo(paid).isPositive();
        assertThat(fees.get("toNodes").asLong() + fees.get("toValidators").asLong() + fees.get("toTreasury").asLong())
                .isEqualTo(fees.get("paid").asLong());

        JsonNode nodes = doc.get("nodes");
        assertThat(nodes.size()).isEqualTo(3);
        long earned = 0;
        for (JsonNode n : nodes) {
            assertThat(n.get("id").asText()).matches("[0-9a-f]{64}");
            assertThat(n.get("stake").asLong()).isPositive();
            assertThat(n.get("penalized").asLong()).isZero();
            earned += n.get("earned").asLong();
        }
        assertThat(earned).isEqualTo(fees.get("toNodes").asLong());

        assertThat(doc.get("chain").get("height").asLong()).isPositive();
        assertThat(doc.get("chain").get("stateRoot").asText()).matches("[0-9a-f]{64}");
    }
}
