package dev.verity.economics.calculator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bundled GPU data and the checks on a data file. */
class GpuCatalogTest {
    private static final GpuCatalog CATALOG = GpuCatalog.load();

    @Test
    void hasTheSixGpusWithASourceAndDateForEveryFigure() {
        assertThat(CATALOG.ids()).containsExactly("H100", "H200", "A100", "L40S", "RTX 4090", "RTX 3090");
        for (GpuSpec g : CATALOG.gpus()) {
            for (String field : GpuSpec.FIGURES) {
                Sourced<Double> f = g.figure(field);
                assertThat(f.value()).as("%s %s", g.id(), field).isPositive();
                assertThat(f.source()).as("%s %s", g.id(), field).isNotBlank();
                assertThat(f.date()).as("%s %s", g.id(), field).matches("\\d{4}(-\\d{2}(-\\d{2})?)?");
            }
        }
        assertThat(CATALOG.h100ComputeUnitsPerSecond().value()).isEqualTo(1.0e14);
        assertThat(CATALOG.h100ComputeUnitsPerSecond().source()).contains("LambdaLabsML vllm-benchmark");
    }

    @Test
    void figuresAreThoseOfTheReference() {
        GpuSpec h100 = CATALOG.get("H100");
        assertThat(h100.name()).isEqualTo("H100 80GB SXM");
        assertThat(h100.boardWatts().value()).isEqualTo(700);
        assertThat(h100.idleWatts().value()).isEqualTo(230);
        assertThat(h100.idleWatts().source()).isEqualTo("Verity estimate: idle GPU plus its share of the host");
        assertThat(h100.pue().value()).isEqualTo(1.3);
        assertThat(h100.purchaseUsd().value()).isEqualTo(25_000);
        assertThat(h100.depreciationYears().value()).isEqualTo(5);
        assertThat(h100.rentalUsdPerHour().value()).isEqualTo(2.14);
        assertThat(h100.rentalUsdPerHour().date()).isEqualTo("2026-10-19");
        assertThat(h100.marketplaceHostShare().value()).isEqualTo(0.9);
        assertThat(h100.relativeThroughput().value()).isEqualTo(1.0);

        GpuSpec rtx = CATALOG.get("RTX 4090");
        assertThat(rtx.boardWatts().value()).isEqualTo(450);
        assertThat(rtx.idleWatts().value()).isEqualTo(144);
        assertThat(rtx.pue().value()).isEqualTo(1.1);
        assertThat(rtx.purchaseUsd().value()).isEqualTo(1_700);
        assertThat(rtx.rentalUsdPerHour().value()).isEqualTo(0.40);
        assertThat(rtx.relativeThroughput().value()).isEqualTo(0.167);
        assertThat(CATALOG.get("A100").relativeThroughput().value()).isEqualTo(0.315);
        assertThat(CATALOG.get("RTX 3090").purchaseUsd().value()).isEqualTo(650);
    }

    @Test
    void namesAreMatchedIgnoringCaseAndSpaces() {
        assertThat(CATALOG.get("h100").id()).isEqualTo("H100");
        assertThat(CATALOG.get("H100 80GB SXM").id()).isEqualTo("H100");
        assertThat(CATALOG.get("RTX 4090").id()).isEqualTo("RTX 4090");
        assertThat(CATALOG.get("rtx4090").id()).isEqualTo("RTX 4090");
        assertThat(CATALOG.get("4090").id()).isEqualTo("RTX 4090");
        assertThat(CATALOG.get("rtx-3090").id()).isEqualTo("RTX 3090");
        assertThat(CATALOG.get("A100 80GB").id()).isEqualTo("A100");
        assertThat(CATALOG.get("a100").id()).isEqualTo("A100");
        assertThat(CATALOG.get("l40s").id()).isEqualTo("L40S");
        assertThat(CATALOG.find("A10")).isEmpty();
    }

    private static final String FIGURE = "{\"value\": 1, \"source\": \"s\", \"date\": \"2026-01\"}";

    private static String gpu(String id, String boardWatts) {
        StringBuilder sb = new StringBuilder("{\"id\": \"" + id + "\", \"name\": \"" + id + " card\"");
        for (String f : GpuSpec.FIGURES) {
            sb.append(", \"").append(f).append("\": ").append(f.equals("boardWatts") ? boardWatts : FIGURE);
        }
        return sb.append("}").toString();
    }

    private static String file(String... gpus) {
        return "{\"h100ComputeUnitsPerSecond\": " + FIGURE + ", \"gpus\": [" + String.join(",", gpus) + "]}";
    }

    @Test
    void aWellFormedFileParses() {
        GpuCatalog c = GpuCatalog.parse(file(gpu("X1", FIGURE)), "test.json");
        assertThat(c.ids()).containsExactly("X1");
        assertThat(c.get("x1 card").boardWatts()).isEqualTo(Sourced.of(1.0, "s", "2026-01"));
    }

    @Test
    void malformedDataIsAClearError() {
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1", "{\"value\": 700, \"date\": \"2026-01\"}")), "t.json"))
                .isInstanceOf(InvalidGpuDataException.class)
                .hasMessage("t.json: GPU X1: boardWatts: no source");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1",
                "{\"value\": -700, \"source\": \"s\", \"date\": \"2026-01\"}")), "t.json"))
                .isInstanceOf(InvalidGpuDataException.class)
                .hasMessage("t.json: GPU X1: boardWatts: the value must be positive, got -700");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1", "{\"value\": 700, \"source\": \"s\"}")), "t.json"))
                .hasMessage("t.json: GPU X1: boardWatts: no date");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1",
                "{\"value\": 700, \"source\": \"s\", \"date\": \"2026-13\"}")), "t.json"))
                .hasMessageContaining("GPU X1: boardWatts: the date '2026-13'");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1",
                "{\"value\": \"700\", \"source\": \"s\", \"date\": \"2026\"}")), "t.json"))
                .hasMessage("t.json: GPU X1: boardWatts: the value is missing or not a number");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1", "null")), "t.json"))
                .hasMessage("t.json: GPU X1: missing figure 'boardWatts'");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1", FIGURE), gpu("X1", FIGURE)), "t.json"))
                .hasMessageContaining("GPU X1");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("X1", FIGURE).replace("}", ", \"wats\": 1}")), "t.json"))
                .hasMessageContaining("GPU X1");
        assertThatThrownBy(() -> GpuCatalog.parse("{\"gpus\": []}", "t.json"))
                .hasMessage("t.json: missing figure 'h100ComputeUnitsPerSecond'");
        assertThatThrownBy(() -> GpuCatalog.parse("{", "t.json")).hasMessageStartingWith("t.json: not valid JSON");
        assertThatThrownBy(() -> GpuCatalog.parse(file(gpu("Custom", FIGURE)), "t.json"))
                .hasMessage("t.json: GPU Custom: the name 'Custom' is reserved for a custom GPU");
    }

    @Test
    void aCustomGpuHasTheFiguresGivenAndDefaultsWithTheirSources() {
        assertThat(GpuCatalog.isCustom("Custom")).isTrue();
        assertThat(GpuCatalog.isCustom("H100")).isFalse();
        assertThat(CATALOG.idleShareOfBusyPower()).isEqualTo(0.34);
        GpuSpec g = CATALOG.custom(350, 1_500, 8e13, 0.40);
        assertThat(g.id()).isEqualTo("custom");
        assertThat(g.boardWatts()).isEqualTo(Sourced.setByYou(350.0));
        assertThat(g.purchaseUsd()).isEqualTo(Sourced.setByYou(1_500.0));
        assertThat(g.rentalUsdPerHour()).isEqualTo(Sourced.setByYou(0.40));
        assertThat(g.relativeThroughput().value()).isEqualTo(0.8);
        assertThat(g.idleWatts().value()).isEqualTo(119.0);
        assertThat(g.idleWatts().source()).contains("34% of the busy power");
        GpuSpec h100 = CATALOG.get("H100");
        for (String field : java.util.List.of("pue", "depreciationYears", "marketplaceHostShare")) {
            assertThat(g.figure(field).value()).as(field).isEqualTo(h100.figure(field).value());
            assertThat(g.figure(field).date()).as(field).isEqualTo(h100.figure(field).date());
            assertThat(g.figure(field).source()).as(field).startsWith("default for a custom GPU, as the H100's: ")
                    .endsWith(h100.figure(field).source());
        }
        assertThatThrownBy(() -> CATALOG.custom(0, 1_500, 8e13, 0.40)).hasMessageContaining("busy power");
        assertThatThrownBy(() -> CATALOG.custom(350, -1, 8e13, 0.40)).hasMessageContaining("purchase price");
        assertThatThrownBy(() -> CATALOG.custom(350, 1_500, Double.NaN, 0.40)).hasMessageContaining("throughput");
        assertThatThrownBy(() -> CATALOG.custom(350, 1_500, 8e13, Double.POSITIVE_INFINITY)).hasMessageContaining("rental price");
    }
}
