package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a simulation writes: complete, readable, and byte-identical for the same seed. */
class SimulatorFilesTest {
    @TempDir
    static Path tmp;
    private static Path first;
    private static Path again;
    private static Path otherSeed;
    private static Simulator.Report report;

    @BeforeAll
    static void simulate() throws IOException {
        first = tmp.resolve("first");
        again = tmp.resolve("again");
        otherSeed = tmp.resolve("seed-2");
        SimulationConfig config = SmallNetwork.config(new Scenario.Baseline(), 1).seed(7).build();
        report = Simulator.run(config, first, (run, day, days) -> { });
        Simulator.run(config, again, (run, day, days) -> { });
        Simulator.run(SmallNetwork.config(new Scenario.Baseline(), 1).seed(8).build(), otherSeed, (run, day, days) -> { });
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyFileIsWritten() throws IOException {
        List<String> expected = new ArrayList<>(List.of(CsvFiles.HOURLY, CsvFiles.OPERATORS, Simulator.SUMMARY));
        expected.addAll(Charts.FILES);
        assertThat(names(first)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.files()).hasSize(expected.size()).allMatch(Files::isRegularFile);
    }

    @Test
    void theSameSeedGivesByteIdenticalFiles() throws IOException {
        assertThat(names(again)).isEqualTo(names(first));
        for (String name : names(first)) {
            assertThat(Files.readAllBytes(again.resolve(name))).as(name).isEqualTo(Files.readAllBytes(first.resolve(name)));
        }
    }

    @Test
    void anotherSeedGivesOtherSeries() throws IOException {
        for (String csv : List.of(CsvFiles.HOURLY, CsvFiles.OPERATORS)) {
            assertThat(Arrays.equals(Files.readAllBytes(otherSeed.resolve(csv)), Files.readAllBytes(first.resolve(csv))))
                    .as(csv).isFalse();
        }
    }

    @Test
    void csvFilesHaveTheirHeaderAndOneRowPerHourOrNodeDay() throws IOException {
        List<String> hourly = Files.readAllLines(first.resolve(CsvFiles.HOURLY), StandardCharsets.UTF_8);
        assertThat(hourly.get(0)).isEqualTo(String.join(",", CsvFiles.hourlyHeader()));
        assertThat(hourly.get(0)).contains("submitted_TEE", "settled_SAMPLED", "refused_NONE", "queue_length", "latency_p50_s",
                "latency_p99_s", "base_price", "base_price_usd", "token_price_usd", "active_nodes", "operator_net_usd_per_day",
                "rental_net_usd_per_day");
        assertThat(hourly).hasSize(1 + 24);
        int columns = CsvFiles.hourlyHeader().size();
        for (String row : hourly.subList(1, hourly.size())) {
            assertThat(row.split(",", -1)).hasSize(columns);
            assertThat(row).startsWith("baseline,");
        }
        List<String> operators = Files.readAllLines(first.resolve(CsvFiles.OPERATORS), StandardCharsets.UTF_8);
        assertThat(operators.get(0)).isEqualTo(String.join(",", CsvFiles.operatorsHeader()));
        assertThat(operators).hasSize(1 + 7);
        assertThat(operators.get(1)).startsWith("baseline,0,node-01,H100,true,serving,");
    }

    @Test
    void chartsAreDecodablePngsOfTheExpectedSize() throws IOException {
        for (String name : Charts.FILES) {
            BufferedImage image = ImageIO.read(first.resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).as(name).isEqualTo(Charts.WIDTH);
            assertThat(image.getHeight()).as(name).isEqualTo(Charts.HEIGHT);
        }
    }

    @Test
    void theSummaryNamesTheTokenPriceAndTheTotals() throws IOException {
        JsonNode s = new ObjectMapper().readTree(first.resolve(Simulator.SUMMARY).toFile());
        assertThat(s.get("scenario").asText()).isEqualTo("baseline");
        assertThat(s.get("seed").asLong()).isEqualTo(7);
        assertThat(s.get("token_price_usd").decimalValue()).isEqualByComparingTo("1");
        JsonNode run = s.get("runs").get(0);
        assertThat(run.get("jobs_simulated").asLong()).isEqualTo(report.jobsSimulated()).isPositive();
        assertThat(run.get("settled").asLong()).isPositive();
        assertThat(run.get("token_price_usd").get("start").decimalValue()).isEqualByComparingTo("1");
        assertThat(run.get("mean_fee_vrt").decimalValue().signum()).isPositive();
        assertThat(run.get("exits")).isEmpty();
        for (String field : List.of("refused", "priced_out", "fallbacks", "expired", "settled_by_mode", "mean_fee_vrt_by_mode")) {
            assertThat(run.has(field)).as(field).isTrue();
        }
        assertThat(Files.readString(first.resolve(Simulator.SUMMARY))).doesNotContain("NaN");
    }
}
