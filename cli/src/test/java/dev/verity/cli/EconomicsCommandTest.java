package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code verity economics}: the operator calculator. */
class EconomicsCommandTest {
    @Test
    void humanOutputComparesVerityWithRentingItOutAndListsTheAssumptions() {
        CliRun.Result r = CliRun.run("economics", "--gpu", "h100");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("Operator calculator: 1 × H100 80GB SXM")
                .contains("token price: 1.00 USD per VRT")
                .contains("Verity revenue per busy GPU-hour: 2.016 USD (derived from the network price")
                .contains("Verity").contains("rent it out")
                .contains("revenue/day").contains("power/day").contains("depreciation/day").contains("margin/day")
                .contains("net/day").contains("net/month (30 days)").contains("break-even utilization")
                .contains("payback").contains(" days (")
                .containsPattern("(Verity|Renting it out) pays more: [0-9.,]+ USD/day more than .* USD/month\\)\\.")
                .contains("Assumptions")
                .contains("Verity estimate: idle GPU plus its share of the host (2026-11)")
                .contains("Vast.ai marketplace median")
                .contains("Uptime Institute");
    }

    @Test
    void jsonIsOneDocumentWithInputsBothAlternativesAndWhichPaysMore() {
        CliRun.Result r = CliRun.run("economics", "--gpu", "RTX 4090", "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.fieldNames()).toIterable().contains("gpu", "count", "tokenPriceUsd", "inputs", "verity",
                "rental", "paysMore", "differencePerDay", "differencePerMonth");
        assertThat(doc.get("gpu").get("id").asText()).isEqualTo("RTX 4090");
        assertThat(doc.get("tokenPriceUsd").asDouble()).isEqualTo(1.0);
        JsonNode pue = doc.get("inputs").get("pue");
        assertThat(pue.get("value").asDouble()).isEqualTo(1.1);
        assertThat(pue.get("source").asText()).isNotBlank();
        assertThat(pue.get("date").asText()).isNotBlank();
        for (JsonNode input : doc.get("inputs")) {
            assertThat(input.has("value")).isTrue();
            assertThat(input.get("source").asText()).isNotBlank();
        }
        JsonNode v = doc.get("verity");
        assertThat(v.fieldNames()).toIterable().contains("revenuePerDay", "powerPerDay", "depreciationPerDay",
                "marginPerDay", "netPerDay", "netPerMonth", "breakEvenUtilization", "paybackDays");
        assertThat(v.get("netPerDay").asDouble())
                .isCloseTo(v.get("marginPerDay").asDouble() - v.get("depreciationPerDay").asDouble(), within(1e-9));
        double vn = v.get("netPerDay").asDouble();
        double rn = doc.get("rental").get("netPerDay").asDouble();
        assertThat(doc.get("paysMore").asText()).isEqualTo(vn > rn ? "verity" : "rental");
        assertThat(doc.get("differencePerDay").asDouble()).isCloseTo(Math.abs(vn - rn), within(1e-9));
    }

    @Test
    void overridesReplaceDefaultsAndAreReportedAsSetByYou() {
        // the reference's worked example: an H100 at $25k over 5 years earning $2.00/h at 10 ¢/kWh, 60% busy
        CliRun.Result r = CliRun.run("economics", "--gpu", "H100", "--revenue-per-hour", "2.00",
                "--price-per-kwh", "0.10", "--utilization", "0.6", "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        JsonNode kwh = doc.get("inputs").get("pricePerKwh");
        assertThat(kwh.get("value").asDouble()).isEqualTo(0.10);
        assertThat(kwh.get("source").asText()).isEqualTo("set by you");
        assertThat(doc.get("inputs").get("verityUsdPerBusyHour").get("source").asText()).isEqualTo("set by you");
        assertThat(doc.get("inputs").get("purchaseUsd").get("source").asText()).isNotEqualTo("set by you");
        JsonNode v = doc.get("verity");
        assertThat(v.get("marginPerDay").asDouble()).isCloseTo(27.20, within(0.01));
        assertThat(v.get("breakEvenUtilization").asDouble()).isCloseTo(0.3098, within(1e-4));
        assertThat(v.get("paybackYears").asDouble()).isCloseTo(2.518, within(0.001));

        CliRun.Result human = CliRun.run("economics", "--gpu", "H100", "--price-per-kwh", "0.10");
        assertThat(human.out()).contains("electricity").contains("0.1 USD/kWh").contains("set by you");
    }

    @Test
    void aNeverPayingSetupSaysNever() {
        CliRun.Result r = CliRun.run("economics", "--gpu", "H100", "--revenue-per-hour", "0.01");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("never");
    }

    @Test
    void badInputIsBadUsage() {
        CliRun.Result util = CliRun.run("economics", "--gpu", "H100", "--utilization", "1.5");
        assertThat(util.exitCode()).as("%s", util).isEqualTo(2);
        assertThat(util.err().strip()).isEqualTo("error: the utilization must be between 0 and 1, got 1.5");
        assertThat(util.out()).isEmpty();

        CliRun.Result gpu = CliRun.run("economics", "--gpu", "B200", "--json");
        assertThat(gpu.exitCode()).as("%s", gpu).isEqualTo(2);
        assertThat(gpu.json().get("message").asText()).isEqualTo(
                "unknown GPU 'B200'; known GPUs: H100, H200, A100, L40S, RTX 4090, RTX 3090");

        CliRun.Result count = CliRun.run("economics", "--gpu", "H100", "--count", "0");
        assertThat(count.exitCode()).isEqualTo(2);
        assertThat(count.err()).contains("count must be at least 1");

        CliRun.Result none = CliRun.run("economics");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--gpu").contains("--list");

        CliRun.Result notANumber = CliRun.run("economics", "--gpu", "H100", "--years", "five");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).startsWith("error: ").contains("--years");
    }

    @Test
    void listShowsEveryGpuWithSources() {
        CliRun.Result r = CliRun.run("economics", "--list");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("H100 80GB SXM").contains("H200 141GB").contains("A100 80GB")
                .contains("L40S 48GB").contains("RTX 4090 24GB").contains("RTX 3090 24GB")
                .contains("NVIDIA").contains("Vast.ai").contains("LambdaLabsML vllm-benchmark");

        CliRun.Result json = CliRun.run("economics", "--list", "--json");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode gpus = json.json().get("gpus");
        assertThat(gpus).hasSize(6);
        for (JsonNode g : gpus) {
            assertThat(g.get("boardWatts").get("source").asText()).isNotBlank();
            assertThat(g.get("boardWatts").get("date").asText()).isNotBlank();
        }
        assertThat(json.json().get("h100ComputeUnitsPerSecond").get("value").asDouble()).isEqualTo(1.0e14);
    }
}
