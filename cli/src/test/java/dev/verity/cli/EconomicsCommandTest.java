package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.PrivateKey;
import dev.verity.economics.calculator.NetworkPrice;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.sdk.api.StatusView;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.LocalChain;
import java.lang.reflect.RecordComponent;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity economics}: the operator calculator. */
class EconomicsCommandTest {
    /** Options that price a custom GPU, all four required. */
    static final List<String> CUSTOM = List.of("--gpu", "custom", "--watts", "350", "--purchase-price", "1500",
            "--throughput", "8e13", "--rental-price", "0.40");

    @TempDir
    Path dir;
    @Test
    void humanOutputComparesVerityWithRentingItOutAndListsTheAssumptions() {
        CliRun.Result r = CliRun.run("economics", "--gpu", "h100", "--offline");
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
        CliRun.Result r = CliRun.run("economics", "--gpu", "RTX 4090", "--json", "--offline");
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
        assertThat(gpu.json().get("message").asText()).startsWith(
                "unknown GPU 'B200'; known GPUs: H100, H200, A100, L40S, RTX 4090, RTX 3090; for another GPU give "
                        + "--gpu custom --watts W --purchase-price USD --throughput CU_PER_S --rental-price USD_PER_H");

        CliRun.Result count = CliRun.run("economics", "--gpu", "H100", "--count", "0");
        assertThat(count.exitCode()).isEqualTo(2);
        assertThat(count.err()).contains("count must be at least 1");

        CliRun.Result none = CliRun.run("economics");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--gpu").contains("custom").contains("--list");

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

        // the custom form: its required options and the defaults it takes, with their sources
        assertThat(r.out()).contains("Another GPU: --gpu custom --watts W --purchase-price USD --throughput CU_PER_S "
                + "--rental-price USD_PER_H").contains("--idle-watts").contains("--host-share");
        JsonNode custom = json.json().get("custom");
        assertThat(custom.get("gpu").asText()).isEqualTo("custom");
        assertThat(custom.get("required").fieldNames()).toIterable()
                .containsExactly("--watts", "--purchase-price", "--throughput", "--rental-price");
        assertThat(custom.get("defaults").fieldNames()).toIterable()
                .containsExactly("idleWatts", "pue", "depreciationYears", "marketplaceHostShare");
        for (JsonNode d : custom.get("defaults")) {
            assertThat(d.get("source").asText()).isNotBlank();
            assertThat(d.get("option").asText()).startsWith("--");
        }

        CliRun.Result help = CliRun.run("economics", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--gpu custom").contains("--throughput").contains("--offline")
                .contains("VERITY_API");
    }

    // ---- the network price: a live chain's, or the defaults, and the output says which

    @Test
    void withoutAChainThePriceIsTheDefaultAndSaysSo() {
        List<CliRun.Result> runs = new ArrayList<>(List.of(CliRun.run("economics", "--gpu", "H100", "--offline", "--json")));
        if (System.getenv("VERITY_API") == null) { // without --offline, the environment decides
            runs.add(CliRun.run("economics", "--gpu", "H100", "--json"));
        }
        for (CliRun.Result r : runs) {
            assertThat(r.exitCode()).as("%s", r).isZero();
            JsonNode price = r.json().get("networkPrice");
            assertThat(price.get("basePricePerPetaComputeUnit").asLong()).isEqualTo(7_000);
            assertThat(price.get("nodeShareBps").asLong()).isEqualTo(8_000);
            assertThat(price.get("source").asText()).isEqualTo(NetworkPrice.DEFAULT_SOURCE).startsWith("default: ");
            assertThat(price.get("api").isNull()).isTrue();
            assertThat(price.get("height").isNull()).isTrue();
        }
        CliRun.Result human = CliRun.run("economics", "--gpu", "H100", "--offline");
        assertThat(human.out()).contains("network price: 7,000 base units per 10^15 compute units, node share 80% (default: ")
                .contains("give --api URL or set VERITY_API");
    }

    @Test
    void withAChainThePriceIsItsCurrentBasePriceAndNodeShare() {
        PrivateKey validator = PrivateKey.deterministic("economics-validator");
        Params params = withNodeShare(Params.defaults(), 9_000, 500, 500);
        Genesis genesis = TestGenesis.chain("verity-economics-test").params(params).validator(validator).build();
        try (LocalChain chain = LocalChain.start(dir.resolve("data"), genesis, validator)) {
            for (int i = 0; i < 5; i++) {
                chain.chain().produceBlock(); // empty blocks: the base price falls a step each
            }
            StatusView status = chain.client().status();
            assertThat(status.basePrice()).isLessThan(7_000);

            CliRun.Result r = CliRun.run("economics", "--gpu", "H100", "--api", chain.api(), "--json");
            assertThat(r.exitCode()).as("%s", r).isZero();
            JsonNode price = r.json().get("networkPrice");
            assertThat(price.get("basePricePerPetaComputeUnit").asLong()).isEqualTo(status.basePrice());
            assertThat(price.get("nodeShareBps").asLong()).isEqualTo(9_000);
            assertThat(price.get("source").asText()).isEqualTo("chain at " + chain.api() + ": base price "
                    + status.basePrice() + " at height " + status.height() + ", node share 90%");
            assertThat(price.get("api").asText()).isEqualTo(chain.api());
            assertThat(price.get("height").asLong()).isEqualTo(status.height());
            assertThat(price.get("used").asBoolean()).isTrue();
            // an H100 computes 3.6e17 units an hour: at the chain's price and share, in VRT at 1 USD
            double perHour = 3.6e17 / 1e15 * status.basePrice() * 0.9 / 1e6;
            assertThat(r.json().get("verity").get("usdPerBusyHour").asDouble()).isCloseTo(perHour, within(1e-12));
            assertThat(r.json().get("inputs").get("verityUsdPerBusyHour").get("source").asText())
                    .contains("chain at " + chain.api());

            CliRun.Result human = CliRun.run("economics", "--gpu", "H100", "--api", chain.api());
            assertThat(human.exitCode()).as("%s", human).isZero();
            assertThat(human.out()).contains("network price: " + String.format("%,d", status.basePrice())
                    + " base units per 10^15 compute units, node share 90% (chain at " + chain.api() + ": base price "
                    + status.basePrice() + " at height " + status.height()).doesNotContain("fee-market defaults");

            CliRun.Result custom = CliRun.run(args(CUSTOM, "--api", chain.api(), "--json"));
            assertThat(custom.exitCode()).as("%s", custom).isZero();
            assertThat(custom.json().get("verity").get("usdPerBusyHour").asDouble())
                    .isCloseTo(8e13 * 3600 / 1e15 * status.basePrice() * 0.9 / 1e6, within(1e-12));

            CliRun.Result both = CliRun.run("economics", "--gpu", "H100", "--api", chain.api(), "--offline");
            assertThat(both.exitCode()).as("%s", both).isEqualTo(2);
            assertThat(both.err()).contains("--offline").contains("--api");
        }
    }

    @Test
    void aChainAskedForThatDoesNotAnswerIsAnErrorNotTheDefault() throws Exception {
        String nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = "http://127.0.0.1:" + s.getLocalPort();
        } // closed: nothing listens there now
        CliRun.Result r = CliRun.run("economics", "--gpu", "H100", "--api", nobody);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: cannot read the network price from the chain at " + nobody)
                .contains("--offline").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isOne();

        CliRun.Result json = CliRun.run("economics", "--gpu", "H100", "--api", nobody, "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.json().get("code").asText()).isEqualTo("UNREACHABLE");
    }

    // ---- a custom GPU

    @Test
    void aCustomGpuTakesItsFiguresFromTheOptionsAndDefaultsTheRestWithSources() {
        CliRun.Result r = CliRun.run(args(CUSTOM, "--offline", "--json"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("gpu").get("id").asText()).isEqualTo("custom");
        JsonNode in = doc.get("inputs");
        assertThat(in.get("boardWatts").get("value").asDouble()).isEqualTo(350);
        assertThat(in.get("purchaseUsd").get("value").asDouble()).isEqualTo(1500);
        assertThat(in.get("rentalUsdPerHour").get("value").asDouble()).isEqualTo(0.40);
        assertThat(in.get("computeUnitsPerSecond").get("value").asDouble()).isEqualTo(8e13);
        for (String given : List.of("boardWatts", "purchaseUsd", "rentalUsdPerHour", "computeUnitsPerSecond")) {
            assertThat(in.get(given).get("source").asText()).as(given).isEqualTo("set by you");
        }
        assertThat(in.has("relativeThroughput")).as("the throughput is given, not derived").isFalse();
        assertThat(in.get("idleWatts").get("value").asDouble()).isBetween(100.0, 130.0);
        assertThat(in.get("idleWatts").get("source").asText()).contains("custom GPU", "of the busy power");
        assertThat(in.get("pue").get("value").asDouble()).isEqualTo(1.3);
        assertThat(in.get("pue").get("source").asText()).contains("custom GPU", "H100", "Uptime Institute");
        assertThat(in.get("years").get("value").asDouble()).isEqualTo(5);
        assertThat(in.get("hostShare").get("value").asDouble()).isEqualTo(0.9);
        // 8e13 compute units/s = 2.88e17 an hour; at 7,000 per 10^15 and 80 %: 1.6128 VRT
        assertThat(doc.get("verity").get("usdPerBusyHour").asDouble()).isCloseTo(1.6128, within(1e-12));
        assertThat(doc.get("rental").get("usdPerBusyHour").asDouble()).isCloseTo(0.36, within(1e-12));
        assertThat(doc.get("verity").get("depreciationPerDay").asDouble()).isCloseTo(1500 / (5 * 365.0), within(1e-12));

        CliRun.Result overridden = CliRun.run(args(CUSTOM, "--offline", "--idle-watts", "90", "--pue", "1.1", "--json"));
        assertThat(overridden.exitCode()).as("%s", overridden).isZero();
        assertThat(overridden.json().get("inputs").get("idleWatts").get("source").asText()).isEqualTo("set by you");
        assertThat(overridden.json().get("inputs").get("pue").get("value").asDouble()).isEqualTo(1.1);

        CliRun.Result human = CliRun.run(args(CUSTOM, "--offline"));
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("Operator calculator: 1 × custom GPU").contains("8e13 compute units/s");

        // --throughput also replaces a listed GPU's derived throughput
        CliRun.Result h100 = CliRun.run("economics", "--gpu", "H100", "--throughput", "2e14", "--offline", "--json");
        assertThat(h100.exitCode()).as("%s", h100).isZero();
        assertThat(h100.json().get("verity").get("usdPerBusyHour").asDouble()).isCloseTo(2 * 2.016, within(1e-12));
    }

    @Test
    void aCustomGpuWithAMissingOrBadFigureIsBadUsageNamingTheOption() {
        for (String option : List.of("--watts", "--purchase-price", "--throughput", "--rental-price")) {
            List<String> without = new ArrayList<>(CUSTOM);
            int at = without.indexOf(option);
            without.remove(at + 1);
            without.remove(at);
            CliRun.Result missing = CliRun.run(args(without, "--offline"));
            assertUsage(missing, "--gpu custom needs the GPU's figures; missing " + option);

            for (String bad : List.of("-1", "0", "NaN", "Infinity")) {
                List<String> with = new ArrayList<>(CUSTOM);
                with.set(with.indexOf(option) + 1, bad);
                CliRun.Result r = CliRun.run(args(with, "--offline"));
                assertUsage(r, option + " must be a positive number, got " + bad);
            }
            List<String> notANumber = new ArrayList<>(CUSTOM);
            notANumber.set(notANumber.indexOf(option) + 1, "lots");
            assertUsage(CliRun.run(args(notANumber, "--offline")), option);
        }
        CliRun.Result none = CliRun.run("economics", "--gpu", "custom", "--offline", "--json");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.json().get("message").asText())
                .contains("missing --watts, --purchase-price, --throughput, --rental-price");
    }

    private static void assertUsage(CliRun.Result r, String message) {
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(message).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    private static String[] args(List<String> custom, String... more) {
        List<String> all = new ArrayList<>(List.of("economics"));
        all.addAll(custom);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code p} with the fee split changed (shares in basis points, adding up to 10,000). */
    static Params withNodeShare(Params p, long node, long validator, long treasury) {
        Map<String, Long> changed = Map.of("nodeShareBps", node, "validatorShareBps", validator, "treasuryShareBps", treasury);
        try {
            RecordComponent[] components = Params.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = changed.containsKey(components[i].getName()) ? changed.get(components[i].getName())
                        : components[i].getAccessor().invoke(p);
            }
            return Params.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
