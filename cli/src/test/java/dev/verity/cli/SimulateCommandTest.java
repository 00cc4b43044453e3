package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity simulate}: files, summary and progress; clear errors for bad arguments. */
class SimulateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void simulatesADayAndPrintsTheSummary() {
        Path out = tmp.resolve("sim");
        CliRun.Result r = CliRun.run("simulate", "--scenario", "price-drop", "--days", "1", "--event-day", "0.5",
                "--jobs-per-hour", "120", "--token-price", "2", "--block-seconds", "30", "--out", out.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("scenario").asText()).isEqualTo("price-drop");
        assertThat(doc.get("token_price_usd").decimalValue()).isEqualByComparingTo("2");
        JsonNode run = doc.get("runs").get(0);
        assertThat(run.get("token_price_usd").get("start").decimalValue()).isEqualByComparingTo("2");
        assertThat(run.get("token_price_usd").get("end").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(run.get("settled").asLong()).isPositive();
        for (String f : new String[] {"hourly.csv", "operators.csv", "summary.json", "jobs.png", "queue.png", "latency.png",
            "base-price.png", "active-nodes.png", "operator-income.png"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        assertThat(r.err()).contains("price-drop: day 1/1").contains("jobs per second of wall time");
    }

    @Test
    void humanOutputHasATableOfRunsAndTheFiles() throws Exception {
        Path out = tmp.resolve("human");
        CliRun.Result r = CliRun.run("simulate", "--scenario", "baseline", "--days", "1", "--jobs-per-hour", "60",
                "--block-seconds", "60", "--out", out.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("scenario:", "token price (USD):", "RUN", "SETTLED", "REFUSED", "FALLBACKS", "baseline",
                out.resolve("summary.json").toString());
        assertThat(Files.readString(out.resolve("summary.json"))).doesNotContain("wall");
    }

    @Test
    void anUnknownScenarioIsABadUsageThatListsTheKnownOnes() {
        CliRun.Result r = CliRun.run("simulate", "--scenario", "meltdown", "--out", tmp.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("unknown scenario 'meltdown'")
                .contains("baseline, tee-compromise, price-drop, demand-spike, operator-exit");
    }

    @Test
    void badNumbersAreBadUsage() {
        CliRun.Result days = CliRun.run("simulate", "--scenario", "baseline", "--days", "0", "--json");
        assertThat(days.exitCode()).as("%s", days).isEqualTo(2);
        assertThat(days.json().get("message").asText()).contains("--days must be 1 to");
        CliRun.Result load = CliRun.run("simulate", "--scenario", "baseline", "--jobs-per-hour", "-3");
        assertThat(load.exitCode()).as("%s", load).isEqualTo(2);
        assertThat(load.err()).contains("the load must be 0 or more jobs per hour");
        CliRun.Result missing = CliRun.run("simulate");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--scenario");
    }
}
