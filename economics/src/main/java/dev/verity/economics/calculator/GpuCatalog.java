package dev.verity.economics.calculator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The GPUs the calculator knows, from {@code dev/verity/economics/gpus.json}: each figure with its source and date,
 * plus the compute units per second of an H100 (how a GPU-hour becomes network revenue).
 *
 * <p>The file is checked on load: every GPU has every figure, each a positive number with a source and a date
 * ("YYYY", "YYYY-MM" or "YYYY-MM-DD"); a GPU's names do not clash with another's. A malformed file is an
 * {@link InvalidGpuDataException} naming the GPU and the field.
 *
 * @param h100ComputeUnitsPerSecond compute units (multiply-accumulates) per second of one H100 serving at batch
 * @param gpus                      the GPUs, in file order
 */
public record GpuCatalog(Sourced<Double> h100ComputeUnitsPerSecond, List<GpuSpec> gpus) {
    /** The bundled data file, on the class path. */
    public static final String RESOURCE = "/dev/verity/economics/gpus.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Set<String> GPU_FIELDS;

    static {
        Set<String> f = new LinkedHashSet<>(List.of("id", "name", "aliases"));
        f.addAll(GpuSpec.FIGURES);
        GPU_FIELDS = Set.copyOf(f);
    }

    public GpuCatalog {
        gpus = List.copyOf(gpus);
    }

    /** The bundled catalog. */
    public static GpuCatalog load() {
        try (InputStream in = GpuCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the GPU data file " + RESOURCE + " is missing from the class path");
            }
            return parse(in, "gpus.json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the GPU data file " + RESOURCE, e);
        } catch (InvalidGpuDataException e) {
            throw new IllegalStateException("the bundled GPU data is invalid: " + e.getMessage(), e);
        }
    }

    /** Parses and checks a GPU data file; {@code origin} names it in error messages. */
    public static GpuCatalog parse(InputStream in, String origin) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidGpuDataException(origin + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return parse(root, origin);
    }

    /** Parses and checks a GPU data file given as text. */
    public static GpuCatalog parse(String json, String origin) {
        try {
            return parse(JSON.readTree(json), origin);
        } catch (JsonProcessingException e) {
            throw new InvalidGpuDataException(origin + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static GpuCatalog parse(JsonNode root, String origin) {
        if (root == null || !root.isObject()) {
            throw new InvalidGpuDataException(origin + ": expected a JSON object with 'h100ComputeUnitsPerSecond' and 'gpus'");
        }
        Sourced<Double> h100 = figure(root, "h100ComputeUnitsPerSecond", origin + ": ");
        JsonNode list = root.get("gpus");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InvalidGpuDataException(origin + ": 'gpus' must be a non-empty array");
        }
        List<GpuSpec> gpus = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode g = list.get(i);
            if (!g.isObject()) {
                throw new InvalidGpuDataException(origin + ": gpus[" + i + "] is not an object");
            }
            String id = text(g, "id", origin + ": gpus[" + i + "]: ");
            String where = origin + ": GPU " + id + ": ";
            if (gpus.stream().anyMatch(other -> other.id().equals(id))) {
                throw new InvalidGpuDataException(where + "listed twice");
            }
            for (Map.Entry<String, JsonNode> e : g.properties()) {
                if (!GPU_FIELDS.contains(e.getKey())) {
                    throw new InvalidGpuDataException(where + "unknown field '" + e.getKey() + "'");
                }
            }
            String name = text(g, "name", where);
            List<String> aliases = new ArrayList<>();
            JsonNode a = g.get("aliases");
            if (a != null) {
                if (!a.isArray()) {
                    throw new InvalidGpuDataException(where + "'aliases' must be an array of names");
                }
                for (JsonNode n : a) {
                    if (!n.isTextual() || GpuSpec.normalize(n.asText()).isEmpty()) {
                        throw new InvalidGpuDataException(where + "'aliases' must be an array of names");
                    }
                    aliases.add(n.asText());
                }
            }
            List<String> all = new ArrayList<>(List.of(id, name));
            all.addAll(aliases);
            for (String n : all) {
                String key = GpuSpec.normalize(n);
                if (key.equals(GpuSpec.CUSTOM)) {
                    throw new InvalidGpuDataException(where + "the name '" + n + "' is reserved for a custom GPU");
                }
                String other = names.putIfAbsent(key, id);
                if (other != null && !other.equals(id)) {
                    throw new InvalidGpuDataException(where + "the name '" + n + "' is also a name of GPU " + other);
                }
            }
            Map<String, Sourced<Double>> f = new HashMap<>();
            for (String field : GpuSpec.FIGURES) {
                f.put(field, figure(g, field, where));
            }
            if (f.get("marketplaceHostShare").value() > 1) {
                throw new InvalidGpuDataException(where + "marketplaceHostShare must be at most 1 (a share of the "
                        + "renter's price), got " + f.get("marketplaceHostShare").value());
            }
            if (f.get("pue").value() < 1) {
                throw new InvalidGpuDataException(where + "pue must be at least 1, got " + f.get("pue").value());
            }
            gpus.add(new GpuSpec(id, name, aliases, f.get("boardWatts"), f.get("idleWatts"), f.get("pue"),
                    f.get("purchaseUsd"), f.get("depreciationYears"), f.get("rentalUsdPerHour"),
                    f.get("marketplaceHostShare"), f.get("relativeThroughput")));
        }
        return new GpuCatalog(h100, gpus);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidGpuDataException(where + "'" + field + "' is missing or not a string");
        }
        return v.asText().strip();
    }

    /** A {@code {"value", "source", "date"}} figure: a positive number with a source and a date. */
    private static Sourced<Double> figure(JsonNode parent, String field, String where) {
        JsonNode f = parent.get(field);
        String at = where + field + ": ";
        if (f == null || f.isNull()) {
            throw new InvalidGpuDataException(where + "missing figure '" + field + "'");
        }
        if (!f.isObject()) {
            throw new InvalidGpuDataException(at + "expected {\"value\", \"source\", \"date\"}");
        }
        for (Map.Entry<String, JsonNode> e : f.properties()) {
            if (!Set.of("value", "source", "date").contains(e.getKey())) {
                throw new InvalidGpuDataException(at + "unknown field '" + e.getKey() + "'");
            }
        }
        JsonNode v = f.get("value");
        if (v == null || !v.isNumber()) {
            throw new InvalidGpuDataException(at + "the value is missing or not a number");
        }
        double value = v.asDouble();
        if (!Double.isFinite(value) || value <= 0) {
            throw new InvalidGpuDataException(at + "the value must be positive, got " + v.asText());
        }
        JsonNode s = f.get("source");
        if (s == null || !s.isTextual() || s.asText().isBlank()) {
            throw new InvalidGpuDataException(at + "no source");
        }
        JsonNode d = f.get("date");
        if (d == null || !d.isTextual() || d.asText().isBlank()) {
            throw new InvalidGpuDataException(at + "no date");
        }
        String date = d.asText().strip();
        if (!isDate(date)) {
            throw new InvalidGpuDataException(at + "the date '" + date + "' is not YYYY, YYYY-MM or YYYY-MM-DD");
        }
        return Sourced.of(value, s.asText().strip(), date);
    }

    static boolean isDate(String s) {
        if (YEAR.matcher(s).matches()) {
            return true;
        }
        try {
            if (s.length() == 7) {
                YearMonth.parse(s);
                return true;
            }
            if (s.length() == 10) {
                LocalDate.parse(s);
                return true;
            }
        } catch (DateTimeParseException e) {
            return false;
        }
        return false;
    }

    /** The GPU named {@code name} (its id, name or an alias; any case, spaces and dashes ignored). */
    public Optional<GpuSpec> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return gpus.stream().filter(g -> g.matches(name)).findFirst();
    }

    /** Whether {@code name} asks for a custom GPU ({@link GpuSpec#CUSTOM}, any case). */
    public static boolean isCustom(String name) {
        return name != null && GpuSpec.normalize(name).equals(GpuSpec.CUSTOM);
    }

    /** The GPU of the data file that custom GPUs take their defaults from, and whose throughput is the unit. */
    public GpuSpec reference() {
        return find("H100").orElse(gpus.get(0));
    }

    /**
     * The share of the busy power a GPU of the data file draws while it waits for work (idle GPU and its share of
     * the host): the average of their idle power over their board power, to the percent (0.34 for the bundled data).
     */
    public double idleShareOfBusyPower() {
        double mean = gpus.stream().mapToDouble(g -> g.idleWatts().value() / g.boardWatts().value()).average().orElseThrow();
        return Math.round(mean * 100) / 100.0;
    }

    /**
     * A GPU that is not in the data file, from the figures the operator gives (each "set by you"): its busy power,
     * purchase price, throughput and the rental price a renter pays for it. The throughput becomes a throughput
     * relative to the H100's; the other figures are defaults, each with its source: the idle power is
     * {@link #idleShareOfBusyPower()} of the busy power, and the PUE, the years to write it off over and the host
     * share of a rental are the {@link #reference() H100's}.
     *
     * @throws IllegalArgumentException when a figure is not a positive number (the message names it)
     */
    public GpuSpec custom(double boardWatts, double purchaseUsd, double computeUnitsPerSecond, double rentalUsdPerHour) {
        positive("the busy power (watts)", boardWatts);
        positive("the purchase price", purchaseUsd);
        positive("the throughput (compute units per second)", computeUnitsPerSecond);
        positive("the rental price per hour", rentalUsdPerHour);
        GpuSpec ref = reference();
        double idleShare = idleShareOfBusyPower();
        double h100 = h100ComputeUnitsPerSecond.value();
        String asRef = "default for a custom GPU, as the " + ref.id() + "'s: ";
        return new GpuSpec(GpuSpec.CUSTOM, "custom GPU", List.of(),
                Sourced.setByYou(boardWatts),
                Sourced.of(Math.round(boardWatts * idleShare * 10) / 10.0, String.format(java.util.Locale.ROOT,
                        "default for a custom GPU: %.0f%% "
                        + "of the busy power, the average share of the GPU data's idle estimates (idle GPU plus its "
                        + "share of the host)", idleShare * 100)),
                Sourced.of(ref.pue().value(), asRef + ref.pue().source(), ref.pue().date()),
                Sourced.setByYou(purchaseUsd),
                Sourced.of(ref.depreciationYears().value(), asRef + ref.depreciationYears().source(),
                        ref.depreciationYears().date()),
                Sourced.setByYou(rentalUsdPerHour),
                Sourced.of(ref.marketplaceHostShare().value(), asRef + ref.marketplaceHostShare().source(),
                        ref.marketplaceHostShare().date()),
                Sourced.of(computeUnitsPerSecond / h100, "your throughput " + CalculatorInputs.scientific(computeUnitsPerSecond)
                        + " compute units/s over the H100's " + CalculatorInputs.scientific(h100)));
    }

    private static void positive(String what, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException(what + " of a custom GPU must be a positive number, got " + v);
        }
    }

    /** The GPU named {@code name}, or an {@link IllegalArgumentException} listing the known GPUs. */
    public GpuSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown GPU '" + name
                + "'; known GPUs: " + String.join(", ", ids())));
    }

    /** The GPUs' short names, in file order. */
    public List<String> ids() {
        return gpus.stream().map(GpuSpec::id).toList();
    }
}
