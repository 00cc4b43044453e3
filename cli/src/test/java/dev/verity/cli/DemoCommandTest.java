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

/**
 * {@code verity demo --json --jobs 10}: a whole network running the real MiniLM model with ONNX Runtime and the
 * digits package with the integer engine, with one node cheating on its OPTIMISTIC results.
 */
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
        assertThat(doc.fieldNames()).toIterable().containsExactly("jobs", "nodes", "fees", "verification", "revocation", "chain",
                "finality", "chat");
        JsonNode chat = doc.get("chat");
        assertThat(chat.get("status").asText()).as("the chat job: %s", chat).isEqualTo("SETTLED");
        assertThat(chat.get("mode").asText()).isEqualTo("TEE");
        assertThat(chat.get("completionTokens").asInt()).isPositive();
        assertThat(chat.get("answer").asText()).isNotBlank();
        assertThat(chat.get("fee").asLong()).isPositive();
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
                assertThat(m.get("reason").asText()).contains("moved from TEE to " + m.get("to").asText(), "vendor SEV_SNP revoked");
            }
        }
        assertThat(outcomes).as("jobs in flight at the revocation, the last a chat job")
                .containsExactly("TEE->NONE SETTLED", "TEE->NONE SETTLED", "TEE->NONE SETTLED", "TEE->TEE CANCELLED",
                        "TEE->SAMPLED SETTLED");

        JsonNode jobs = doc.get("jobs");
        assertThat(jobs.size()).as("10 sentence jobs, the NONE digit jobs, the provable digit jobs and the provable chat job")
                .isEqualTo(10 + 2 + 4 + 1);
        List<JsonNode> provableChat = new ArrayList<>();
        jobs.forEach(j -> {
            if ("verity-chat-tiny".equals(j.get("model").asText())) {
                provableChat.add(j);
            }
        });
        assertThat(provableChat).as("the OPTIMISTIC chat job meets the cheat and the watcher wins").singleElement()
                .satisfies(j -> {
                    assertThat(j.get("mode").asText()).isEqualTo("OPTIMISTIC");
                    assertThat(j.get("verification").asText()).startsWith("challenged: the challenger won at trace index");
                    assertThat(j.get("reproduced").asBoolean()).as("the settled tokens are the honest ones").isTrue();
                    assertThat(j.get("answer").asText()).startsWith("Mr. Darcy was").hasSizeGreaterThan("Mr. Darcy was".length());
                });
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
            if ("OPTIMISTIC".equals(j.get("mode").asText())) {
                assertThat(j.get("verification").asText()).as("%s", j).startsWith("challenged: the challenger won at trace index");
                assertThat(j.get("paidTo").asText()).as("the fee goes to the watcher that won").isNotEqualTo(j.get("node").asText());
            }
            if ("SAMPLED".equals(j.get("mode").asText())) {
                assertThat(j.get("verification").asText()).as("%s", j).startsWith("audited: same trace root");
            }
            paid += j.get("feePaid").asLong();
        }
        assertThat(modes).containsExactlyInAnyOrder("NONE", "TEE", "OPTIMISTIC", "SAMPLED");
        assertThat(engines).containsExactlyInAnyOrder("onnxruntime", "integer");

        for (JsonNode m : doc.get("revocation").get("jobs")) {
            paid += m.get("feePaid").asLong();
        }
        paid += chat.get("fee").asLong();
        JsonNode fees = doc.get("fees");
        assertThat(fees.get("paid").asLong()).isEqualTo(paid).isPositive();
        assertThat(fees.get("toAuditors").asLong()).as("every SAMPLED job was audited").isPositive();
        assertThat(fees.get("toNodes").asLong() + fees.get("toValidators").asLong() + fees.get("toTreasury").asLong()
                + fees.get("toAuditors").asLong()).isEqualTo(fees.get("paid").asLong());

        JsonNode nodes = doc.get("nodes");
        assertThat(nodes.size()).isEqualTo(5);
        long earned = 0;
        String cheaterId = null;
        for (JsonNode n : nodes) {
            assertThat(n.get("id").asText()).matches("[0-9a-f]{64}");
            assertThat(n.get("stake").asLong()).isPositive();
            if (n.has("cheat")) {
                cheaterId = n.get("id").asText();
                assertThat(n.get("cheat").asText()).isEqualTo("WRONG_OUTPUT");
                assertThat(n.get("penalized").asLong()).as("the cheat was caught and slashed").isPositive();
            } else {
                assertThat(n.get("penalized").asLong()).as("honest node %s", n).isZero();
            }
            earned += n.get("earned").asLong();
        }
        assertThat(cheaterId).as("one node cheats").isNotNull();
        assertThat(earned).isEqualTo(fees.get("toNodes").asLong() + fees.get("toAuditors").asLong());

        JsonNode verification = doc.get("verification");
        JsonNode cheater = verification.get("cheater");
        assertThat(cheater.get("node").asText()).isEqualTo(cheaterId);
        assertThat(cheater.get("penalized").asLong()).isPositive();
        assertThat(cheater.get("reasons")).isNotEmpty();
        for (JsonNode reason : cheater.get("reasons")) {
            assertThat(reason.asText()).contains("lost the dispute over its result", "trace index", "executed on chain");
        }
        JsonNode disputes = verification.get("disputes");
        assertThat(disputes.size()).as("one dispute per OPTIMISTIC job: two digits, one chat").isEqualTo(3);
        long slashed = 0;
        int chatDisputes = 0;
        for (JsonNode d : disputes) {
            assertThat(d.get("kind").asText()).isEqualTo("CHALLENGE");
            assertThat(d.get("defender").asText()).isEqualTo(cheaterId);
            assertThat(d.get("outcome").asText()).isEqualTo("the challenger won");
            assertThat(d.get("defenderMoves").asInt()).isPositive();
            assertThat(d.get("challengerMoves").asInt()).as("the moves and the step proof").isGreaterThan(d.get("rounds").asInt());
            assertThat(d.get("rounds").asInt()).isPositive();
            if (d.get("step").asText().startsWith("the token fed to forward pass")) {
                // the chat job: its first generated token changed, found where the chain draws it between passes
                assertThat(d.get("traceIndex").asLong()).isGreaterThan(3);
                chatDisputes++;
            } else {
                assertThat(d.get("traceIndex").asLong()).as("a wrong output is found at the last trace value").isEqualTo(3);
                assertThat(d.get("step").asText()).isEqualTo("dequantizing the output");
            }
            assertThat(d.get("blocks").asLong()).isPositive();
            assertThat(d.get("millis").asLong()).isPositive();
            assertThat(d.get("resolvedAt").asLong()).isEqualTo(d.get("openedAt").asLong() + d.get("blocks").asLong());
            slashed += d.get("slashed").asLong();
        }
        assertThat(chatDisputes).as("the chat job's dispute").isEqualTo(1);
        assertThat(slashed).as("the slashes are the cheater's penalty (no honest bond lost)")
                .isEqualTo(cheater.get("penalized").asLong());
        JsonNode audits = verification.get("audits");
        assertThat(audits.size()).isEqualTo(2);
        for (JsonNode a : audits) {
            assertThat(a.get("auditor").asText()).isNotEqualTo(a.get("node").asText());
            assertThat(a.get("auditorPaid").asLong()).isPositive();
            assertThat(a.get("outcome").asText()).startsWith("same trace root");
        }

        assertThat(doc.get("chain").get("height").asLong()).isPositive();
        assertThat(doc.get("chain").get("stateRoot").asText()).matches("[0-9a-f]{64}");

        assertFinality(doc.get("finality"), 1, jobs);
    }

    /**
     * The finality scene: a final certificate for every block that settled a job, and one job's receipt checked offline
     * against the genesis set of {@code validators}, its altered copy refused.
     */
    static void assertFinality(JsonNode finality, int validators, JsonNode jobs) {
        assertThat(finality.get("validators").asInt()).isEqualTo(validators);
        JsonNode certificates = finality.get("certificates");
        assertThat(certificates).isNotEmpty();
        int settled = 0;
        long previous = 0;
        for (JsonNode c : certificates) {
            assertThat(c.get("height").asLong()).as("one line per block, in height order").isGreaterThan(previous);
            previous = c.get("height").asLong();
            assertThat(c.get("blockHash").asText()).matches("[0-9a-f]{64}");
            assertThat(c.get("final").asBoolean()).as("%s", c).isTrue();
            assertThat(c.get("signers").asInt()).isBetween(1, validators);
            assertThat(3 * c.get("signedStake").asLong()).as("more than 2/3 of the stake signed").isGreaterThan(
                    2 * c.get("totalStake").asLong());
            settled += c.get("jobsSettled").asInt();
        }
        assertThat(settled).as("every job's settling block").isEqualTo(jobs.size());
        assertThat(finality.get("finalizedHeight").asLong()).isGreaterThanOrEqualTo(previous);

        JsonNode receipt = finality.get("receipt");
        assertThat(receipt.get("job").asText()).as("the first job's receipt").isEqualTo(jobs.get(0).get("id").asText());
        assertThat(receipt.get("valid").asBoolean()).as("%s", receipt).isTrue();
        assertThat(receipt.get("check").isNull()).isTrue();
        assertThat(receipt.get("blocks").asInt()).isPositive();
        assertThat(receipt.get("events").asInt()).isGreaterThanOrEqualTo(receipt.get("blocks").asInt());
        assertThat(receipt.get("bytes").asInt()).isPositive();
        assertThat(receipt.get("file").asText()).endsWith(receipt.get("job").asText() + ".receipt");
        assertThat(receipt.get("trust").get("height").asLong()).as("the genesis set").isZero();
        assertThat(receipt.get("trust").get("validators").asInt()).isEqualTo(validators);

        JsonNode altered = finality.get("altered");
        assertThat(altered.get("valid").asBoolean()).isFalse();
        assertThat(altered.get("check").asText()).isEqualTo("EVENT_PROOF");
        assertThat(altered.get("where").asText()).contains("JOB_SETTLED");
        assertThat(altered.get("reason").asText()).isNotBlank();
        assertThat(altered.get("offset").asInt()).isBetween(0, receipt.get("bytes").asInt() - 1);
    }
}
