package dev.verity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.PublicKey;
import dev.verity.economics.calculator.CalculatorInputs;
import dev.verity.economics.calculator.CalculatorResult;
import dev.verity.economics.calculator.Figures;
import dev.verity.economics.calculator.GpuCatalog;
import dev.verity.economics.calculator.GpuSpec;
import dev.verity.economics.calculator.NetworkPrice;
import dev.verity.economics.calculator.OperatorCalculator;
import dev.verity.economics.calculator.Sourced;
import dev.verity.economics.earnings.EarningsReport;
import dev.verity.economics.earnings.EventHistory;
import dev.verity.protocol.Params;
import dev.verity.sdk.Amounts;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.StatusView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code verity economics}: the operator calculator. What GPUs earn serving Verity jobs against renting them out
 * on a marketplace, after electricity and depreciation, with every assumption's source.
 *
 * <p>The network price (base price and node share) is a live chain's when one is asked for: {@code --api} given,
 * or {@code VERITY_API} set (and not {@code --offline}), or {@code --node}. A chain asked for that does not
 * answer is an error (exit 1), never a silent fall-back to the defaults. Otherwise the price is the chain's
 * fee-market defaults, and the output says so.
 */
@Command(name = "economics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The operator calculator: what GPUs earn on Verity against renting them out, per day, after "
                + "electricity and depreciation; break-even utilization and payback.", "",
            "Defaults come from the bundled GPU data (each figure with its source and date); any option you give "
                    + "replaces one and is reported as 'set by you'. The Verity revenue per busy GPU-hour is "
                    + "derived from the network price, the GPU's throughput and the token price, unless "
                    + "--revenue-per-hour is given. Fees are paid in VRT; USD are at the token price you set.", "",
            "The network price is a live chain's current base price and node share when --api is given or "
                    + "VERITY_API is set; if that chain does not answer, the command fails (exit 1) rather than "
                    + "fall back. Without a chain (or with --offline) it is the chain's fee-market defaults (genesis "
                    + "base price 7,000, node share 80%%). The output names the price's source either way.", "",
            "A GPU that is not listed: --gpu custom with --watts, --purchase-price, --throughput and "
                    + "--rental-price (all required); its idle power, PUE, years and host share are defaults with "
                    + "their sources (see --list), each replaceable by its option.", "",
            "Examples:",
            "  verity economics --gpu H100",
            "  verity economics --gpu 4090 --price-per-kwh 0.30 --utilization 0.7",
            "  verity economics --gpu H100 --api http://127.0.0.1:8645",
            "  verity economics --gpu custom --watts 350 --purchase-price 1500 \\",
            "      --throughput 8e13 --rental-price 0.40",
            "  verity economics --list", "",
            "Amounts are US dollars, in JSON too.", "",
            "JSON: {\"gpu\", \"count\", \"tokenPriceUsd\", \"inputs\": {NAME: {\"value\", \"source\", \"date\"}}, "
                    + "\"networkPrice\": {\"basePricePerPetaComputeUnit\", \"nodeShareBps\", \"source\", \"api\", "
                    + "\"height\", \"used\"}, \"verity\": {...}, \"rental\": {...}, \"paysMore\": \"verity\"|\"rental\"|"
                    + "\"equal\", \"differencePerDay\", \"differencePerMonth\"}; with --list {\"h100ComputeUnitsPerSecond\", "
                    + "\"gpus\": [...], \"custom\": {...}}."})
final class EconomicsCommand extends BaseCommand {
    private static final int DAYS_PER_MONTH = 30;

    /** The options a custom GPU needs, with what each gives. */
    private static final Map<String, String> CUSTOM_OPTIONS = new LinkedHashMap<>();

    static {
        CUSTOM_OPTIONS.put("--watts", "power of a busy GPU, W");
        CUSTOM_OPTIONS.put("--purchase-price", "purchase price per GPU, USD");
        CUSTOM_OPTIONS.put("--throughput", "compute units (multiply-accumulates) per second of a busy GPU");
        CUSTOM_OPTIONS.put("--rental-price", "what a renter pays per GPU-hour on a marketplace, USD");
    }

    private static final String CUSTOM_FORM = "--gpu " + GpuSpec.CUSTOM + " --watts W --purchase-price USD "
            + "--throughput CU_PER_S --rental-price USD_PER_H";

    @Option(names = "--gpu", paramLabel = "GPU",
            description = "The GPU: H100, H200, A100, L40S, RTX 4090 or RTX 3090 (any case; '4090' will do), or "
                    + "'custom' with --watts, --purchase-price, --throughput and --rental-price.")
    String gpu;

    @Option(names = "--list", description = "List the known GPUs and their figures with sources, and the custom form.")
    boolean list;

    @Option(names = "--count", paramLabel = "N", description = "How many GPUs (default 1).")
    Integer count;

    @Option(names = "--price-per-kwh", paramLabel = "USD", description = "Electricity, USD per kWh (default 0.15).")
    Double pricePerKwh;

    @Option(names = "--pue", paramLabel = "X",
            description = "Power usage effectiveness: facility power / IT power (default: the GPU's, 1.3 data centre, "
                    + "1.1 home rig; a custom GPU's the H100's).")
    Double pue;

    @Option(names = "--utilization", paramLabel = "U",
            description = "Share of the time the GPUs do Verity work, 0 to 1 (default 0.5).")
    Double utilization;

    @Option(names = "--purchase-price", paramLabel = "USD",
            description = "Purchase price per GPU (default: the GPU's; required with --gpu custom).")
    Double purchasePrice;

    @Option(names = "--years", paramLabel = "Y",
            description = "Years to write a GPU off over (default: the GPU's, 5; a custom GPU's the H100's).")
    Double years;

    @Option(names = "--rental-price", paramLabel = "USD_PER_H",
            description = "What a renter pays per GPU-hour on a marketplace (default: the GPU's Vast.ai median; "
                    + "required with --gpu custom).")
    Double rentalPrice;

    @Option(names = "--rental-utilization", paramLabel = "U",
            description = "Share of the time the GPUs would be rented out, 0 to 1 (default: --utilization).")
    Double rentalUtilization;

    @Option(names = "--host-share", paramLabel = "S",
            description = "Share of the renter's price the host keeps, 0 to 1 (default 0.90).")
    Double hostShare;

    @Option(names = "--token-price", paramLabel = "USD", description = "USD per VRT (default 1.00).")
    Double tokenPrice;

    @Option(names = "--revenue-per-hour", paramLabel = "USD",
            description = "Verity revenue per busy GPU-hour in USD, instead of the one derived from the network price.")
    Double revenuePerHour;

    @Option(names = "--watts", paramLabel = "W",
            description = "Power of a busy GPU (default: its board power; required with --gpu custom).")
    Double watts;

    @Option(names = "--throughput", paramLabel = "CU_PER_S",
            description = "Compute units (multiply-accumulates) per second of one busy GPU, e.g. 8e13 (default: the "
                    + "H100's 1e14 × the GPU's relative throughput; required with --gpu custom).")
    Double throughput;

    @Option(names = "--node", paramLabel = "NODE", converter = Converters.Key.class,
            description = "Take the revenue side from this node's earnings on the chain (at --api) over the last --days "
                    + "days instead of an assumed utilization; the GPU and count default to what the node declares.")
    PublicKey node;

    @Option(names = "--days", paramLabel = "D", defaultValue = "30",
            description = "With --node: the days of earnings to average, ending with the chain's last block (default: ${DEFAULT-VALUE}).")
    int days;

    @Mixin
    ApiOptions api;

    @Option(names = "--offline",
            description = "Price at the chain's fee-market defaults without asking a chain, even when VERITY_API is set.")
    boolean offline;

    @Option(names = "--idle-watts", paramLabel = "W",
            description = "Power per GPU while it waits for work, its share of the host included (default: the GPU's; "
                    + "a custom GPU's a share of --watts).")
    Double idleWatts;

    /** Where the network price was read: the API and the block height; both null for the defaults. */
    private String priceApi;
    private Long priceHeight;

    @Override
    protected int execute() {
        GpuCatalog catalog = GpuCatalog.load();
        if (list) {
            if (gpu != null) {
                throw usage("--list shows every GPU; leave out --gpu");
            }
            list(catalog);
            return 0;
        }
        boolean apiGiven = spec.commandLine().getParseResult().hasMatchedOption("--api");
        if (offline && node != null) {
            throw usage("--node reads the node's earnings from a chain; leave out --offline");
        }
        if (offline && apiGiven) {
            throw usage("--offline asks no chain; leave out --api (or --offline)");
        }
        CalculatorInputs in;
        if (node != null) {
            in = fromNode(catalog);
        } else {
            GpuSpec g = gpuSpec(catalog, gpu);
            NetworkPrice price = NetworkPrice.DEFAULT;
            if (!offline && (apiGiven || ApiOptions.fromEnvironment())) {
                try (VerityClient client = api.client()) {
                    price = chainPrice(client, readStatus(client));
                }
            }
            in = inputs(catalog, g, price).build();
        }
        CalculatorResult r = OperatorCalculator.calculate(in);
        if (out().json()) {
            out().printJson(json(r));
        } else {
            human(r);
        }
        return 0;
    }

    /** The GPU named {@code name}: one of the data file, or a custom one from the options; bad usage otherwise. */
    private GpuSpec gpuSpec(GpuCatalog catalog, String name) {
        if (name == null) {
            throw usage("give --gpu GPU (one of " + String.join(", ", catalog.ids()) + ", or custom), --node NODE or --list");
        }
        if (throughput != null) {
            positive("--throughput", throughput);
        }
        if (!GpuCatalog.isCustom(name)) {
            return catalog.find(name).orElseThrow(() -> usage("unknown GPU '" + name + "'; known GPUs: "
                    + String.join(", ", catalog.ids()) + "; for another GPU give " + CUSTOM_FORM));
        }
        Map<String, Double> given = new LinkedHashMap<>();
        given.put("--watts", watts);
        given.put("--purchase-price", purchasePrice);
        given.put("--throughput", throughput);
        given.put("--rental-price", rentalPrice);
        List<String> missing = given.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            throw usage("--gpu " + GpuSpec.CUSTOM + " needs the GPU's figures; missing " + String.join(", ", missing)
                    + " (" + CUSTOM_FORM + ")");
        }
        given.forEach(this::positive);
        return catalog.custom(watts, purchasePrice, throughput, rentalPrice);
    }

    /** Bad usage naming {@code option} unless {@code value} is a positive number. */
    private void positive(String option, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw usage(option + " must be a positive number, got " + (Double.isFinite(value) ? num(value) : Double.toString(value)));
        }
    }

    private CalculatorInputs.Builder inputs(GpuCatalog catalog, GpuSpec gpuSpec, NetworkPrice price) {
        return CalculatorInputs.builder(catalog, gpuSpec, price)
                .count(count).pricePerKwh(pricePerKwh).pue(pue).utilization(utilization)
                .purchaseUsd(purchasePrice).years(years).boardWatts(watts).idleWatts(idleWatts)
                .rentalUsdPerHour(rentalPrice).rentalUtilization(rentalUtilization).hostShare(hostShare)
                .tokenPriceUsd(tokenPrice).verityUsdPerBusyHour(revenuePerHour).computeUnitsPerSecond(throughput);
    }

    /** The chain's head; a clear failure (exit 1) naming the chain when it does not answer. */
    private StatusView readStatus(VerityClient client) {
        try {
            return client.status();
        } catch (VerityApiException e) {
            throw noPrice(client, e);
        }
    }

    /**
     * The chain's current network price: its base price at its head and the node share of its parameters, the
     * source naming the chain and the height.
     */
    private NetworkPrice chainPrice(VerityClient client, StatusView status) {
        JsonNode share;
        try {
            share = client.params().get("nodeShareBps");
        } catch (VerityApiException e) {
            throw noPrice(client, e);
        }
        if (share == null || !share.canConvertToLong()) {
            throw new CliException("BAD_RESPONSE", "the chain at " + client.baseUrl() + " does not give its nodeShareBps in "
                    + "GET /v1/params; cannot price at it (--offline prices at the fee-market defaults)");
        }
        priceApi = client.baseUrl().toString();
        priceHeight = status.height();
        return NetworkPrice.fromChain(priceApi, status.height(), status.basePrice(), share.asLong());
    }

    private static CliException noPrice(VerityClient client, VerityApiException e) {
        return new CliException(e.code(), "cannot read the network price from the chain at " + client.baseUrl() + ": "
                + Errors.message(e) + " (give the --api of a running node, or --offline to price at the fee-market "
                + "defaults)", null, e);
    }

    /**
     * The revenue side from the node's earnings on chain: its net (fees, audit fees and rewards less penalties)
     * per day over the last {@code days} days, at the token price. The chain's current base price gives what a
     * busy hour earns; the utilization is the share of the day those earnings stand for (capped at 1, in which
     * case the busy hour earned more than the current price pays).
     */
    private CalculatorInputs fromNode(GpuCatalog catalog) {
        if (utilization != null || revenuePerHour != null) {
            throw usage("--node takes the utilization and the revenue from the chain; leave out --utilization and --revenue-per-hour");
        }
        if (days < 1 || days > 3_660) {
            throw usage("--days must be 1 to 3660, got " + days);
        }
        try (VerityClient client = api.client()) {
            NodeView view = NodeCommand.registered(client, node);
            String gpuName = gpu != null ? gpu : view.gpuModel();
            if (gpuName == null || gpuName.isBlank()) {
                throw usage("node " + node.hex() + " declares no GPU; give --gpu");
            }
            GpuSpec gpuSpec = gpuSpec(catalog, gpuName);
            if (count == null && view.gpuCount() > 0) {
                count = view.gpuCount();
            }
            StatusView status = readStatus(client);
            NetworkPrice price = chainPrice(client, status);
            EventHistory.Snapshot history = EventHistory.fetch(client, node);
            LocalDate to = Instant.ofEpochMilli(status.timestampMillis()).atZone(EarningsReport.UTC).toLocalDate();
            LocalDate from = to.minusDays(days - 1L);
            EarningsReport report = EarningsReport.build(history.events(), node, EarningsReport.UTC, from, to);
            CalculatorInputs.Builder b = inputs(catalog, gpuSpec, price);
            double token = tokenPrice != null ? tokenPrice : CalculatorInputs.DEFAULT_TOKEN_PRICE_USD;
            double netTokens = report.totals().net() / (double) Params.BASE_UNITS_PER_TOKEN;
            double usdPerGpuDay = Math.max(0, netTokens * token / days / (count == null ? 1 : count));
            double perHour = b.derivedUsdPerBusyHour();
            double u = perHour > 0 ? usdPerGpuDay / (24 * perHour) : 0;
            if (u > 1) {
                perHour = usdPerGpuDay / 24;
                u = 1;
            }
            String source = "node " + Output.shortId(node.hex()) + "'s earnings on chain " + from + " to " + to + ": "
                    + Amounts.formatTokens(report.totals().net()) + " net over " + days + " days ("
                    + report.totals().jobsSettled() + " jobs settled, " + report.totals().audits() + " audits), at the "
                    + "base price of " + status.basePrice() + " per 10^15 compute units at height " + status.height();
            return b.measured(u, perHour, source).build();
        }
    }

    // ---- the calculation

    /** One assumption: its JSON name, its label, the figure and how to show its value. */
    private record Assumption(String key, String label, Sourced<?> figure, String shown) {}

    private static List<Assumption> assumptions(CalculatorInputs in) {
        List<Assumption> a = new ArrayList<>();
        a.add(new Assumption("count", "GPUs", in.count(), Integer.toString(in.count().value())));
        a.add(new Assumption("pricePerKwh", "electricity", in.pricePerKwh(), num(in.pricePerKwh().value()) + " USD/kWh"));
        a.add(new Assumption("pue", "PUE", in.pue(), num(in.pue().value())));
        a.add(new Assumption("utilization", "utilization (Verity)", in.utilization(), pct(in.utilization().value())));
        a.add(new Assumption("boardWatts", "busy power", in.boardWatts(), num(in.boardWatts().value()) + " W"));
        a.add(new Assumption("idleWatts", "idle power", in.idleWatts(), num(in.idleWatts().value()) + " W"));
        a.add(new Assumption("purchaseUsd", "purchase price", in.purchaseUsd(),
                usd(in.purchaseUsd().value(), 0) + " per GPU"));
        a.add(new Assumption("years", "written off over", in.years(), num(in.years().value()) + " years"));
        a.add(new Assumption("verityUsdPerBusyHour", "Verity revenue per busy hour", in.verityUsdPerBusyHour(),
                usd(in.verityUsdPerBusyHour().value(), 3)));
        a.add(new Assumption("tokenPriceUsd", "token price", in.tokenPriceUsd(),
                usd(in.tokenPriceUsd().value(), 2) + " per VRT"));
        if (!in.verityUsdPerBusyHour().isSetByYou()) {
            a.add(new Assumption("computeUnitsPerSecond", "throughput", in.computeUnitsPerSecond(),
                    CalculatorInputs.scientific(in.computeUnitsPerSecond().value()) + " compute units/s"));
            if (!in.computeUnitsPerSecond().isSetByYou()) {
                a.add(new Assumption("relativeThroughput", "throughput relative to H100", in.gpu().relativeThroughput(),
                        num(in.gpu().relativeThroughput().value())));
                a.add(new Assumption("h100ComputeUnitsPerSecond", "H100 compute units/s", in.h100ComputeUnitsPerSecond(),
                        CalculatorInputs.scientific(in.h100ComputeUnitsPerSecond().value())));
            }
        }
        a.add(new Assumption("rentalUsdPerHour", "rental price (renter pays)", in.rentalUsdPerHour(),
                usd(in.rentalUsdPerHour().value(), 2) + "/h"));
        a.add(new Assumption("hostShare", "host share of rental", in.hostShare(), pct(in.hostShare().value())));
        a.add(new Assumption("rentalUtilization", "utilization (rented)", in.rentalUtilization(),
                pct(in.rentalUtilization().value())));
        return a;
    }

    private void human(CalculatorResult r) {
        CalculatorInputs in = r.inputs();
        Output o = out();
        o.line("Operator calculator: " + in.count().value() + " × " + in.gpu().name());
        o.line("token price: " + usd(in.tokenPriceUsd().value(), 2) + " per VRT (" + in.tokenPriceUsd().source()
                + "); fees are paid in VRT, the USD figures are at this price");
        NetworkPrice p = in.networkPrice();
        o.line("network price: " + String.format(Locale.ROOT, "%,d", p.basePricePerPetaComputeUnit())
                + " base units per 10^15 compute units, node share " + num(p.nodeShareBps() / 100.0) + "% (" + p.source()
                + ")" + (in.verityUsdPerBusyHour().isSetByYou() ? "; not used: --revenue-per-hour is set" : ""));
        if (p.isDefault()) {
            o.line("  to price at a live chain's current base price, give --api URL or set VERITY_API");
        }
        o.line("Verity revenue per busy GPU-hour: " + usd(in.verityUsdPerBusyHour().value(), 3) + " ("
                + in.verityUsdPerBusyHour().source() + ")");
        o.line("rent it out: " + usd(in.rentalUsdPerHour().value(), 2) + "/h renter pays × "
                + pct(in.hostShare().value()) + " host share = " + usd(r.rental().usdPerBusyHour(), 3)
                + " per busy GPU-hour");
        o.line();
        Figures v = r.verity();
        Figures x = r.rental();
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("utilization", v, x, f -> pct(f)));
        rows.add(List.of("revenue/day", usd(v.revenuePerDay(), 2), usd(x.revenuePerDay(), 2)));
        rows.add(List.of("power/day", usd(v.powerPerDay(), 2), usd(x.powerPerDay(), 2)));
        rows.add(List.of("depreciation/day", usd(v.depreciationPerDay(), 2), usd(x.depreciationPerDay(), 2)));
        rows.add(List.of("margin/day", usd(v.marginPerDay(), 2), usd(x.marginPerDay(), 2)));
        rows.add(List.of("net/day", usd(v.netPerDay(), 2), usd(x.netPerDay(), 2)));
        rows.add(List.of("net/month (30 days)", usd(v.netPerMonth(), 2), usd(x.netPerMonth(), 2)));
        rows.add(List.of("break-even utilization", orNever(v.breakEvenUtilization(), EconomicsCommand::pct),
                orNever(x.breakEvenUtilization(), EconomicsCommand::pct)));
        rows.add(List.of("payback", payback(v), payback(x)));
        o.table(List.of("", ">Verity", ">rent it out"), rows);
        o.line();
        o.line(switch (r.paysMore()) {
            case VERITY -> "Verity pays more: " + usd(r.differencePerDay(), 2) + "/day more than renting it out ("
                    + usd(r.differencePerMonth(), 2) + "/month).";
            case RENTAL -> "Renting it out pays more: " + usd(r.differencePerDay(), 2) + "/day more than Verity ("
                    + usd(r.differencePerMonth(), 2) + "/month).";
            case EQUAL -> "Verity and renting it out pay the same.";
        });
        o.line("Margin is revenue less power, what pays the hardware back; net is margin less depreciation.");
        o.line();
        o.line("Assumptions");
        List<List<String>> a = new ArrayList<>();
        for (Assumption s : assumptions(in)) {
            a.add(List.of("  " + s.label(), s.shown(), s.figure().provenance()));
        }
        o.table(List.of("  assumption", "value", "source"), a);
    }

    private static List<String> row(String label, Figures v, Figures x, DoubleFunction<String> f) {
        return List.of(label, f.apply(v.utilization()), f.apply(x.utilization()));
    }

    private static String payback(Figures f) {
        if (f.paybackDays() == null) {
            return "never";
        }
        return String.format(Locale.ROOT, "%,.0f days (%.2f years)", f.paybackDays(), f.paybackYears());
    }

    private static String orNever(Double x, DoubleFunction<String> f) {
        return x == null ? "never" : f.apply(x);
    }

    private Map<String, Object> json(CalculatorResult r) {
        CalculatorInputs in = r.inputs();
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Assumption a : assumptions(in)) {
            inputs.put(a.key(), sourced(a.figure()));
        }
        NetworkPrice p = in.networkPrice();
        return Output.object(
                "gpu", Output.object("id", in.gpu().id(), "name", in.gpu().name()),
                "count", in.count().value(),
                "tokenPriceUsd", in.tokenPriceUsd().value(),
                "inputs", inputs,
                "networkPrice", Output.object("basePricePerPetaComputeUnit", p.basePricePerPetaComputeUnit(),
                        "nodeShareBps", p.nodeShareBps(),
                        "source", p.source(),
                        "api", priceApi,
                        "height", priceHeight,
                        "used", !in.verityUsdPerBusyHour().isSetByYou()),
                "verity", figures(r.verity()),
                "rental", figures(r.rental()),
                "paysMore", r.paysMore().json(),
                "differencePerDay", r.differencePerDay(),
                "differencePerMonth", r.differencePerMonth());
    }

    private static Map<String, Object> figures(Figures f) {
        return Output.object(
                "usdPerBusyHour", f.usdPerBusyHour(),
                "utilization", f.utilization(),
                "revenuePerDay", f.revenuePerDay(),
                "powerPerDay", f.powerPerDay(),
                "depreciationPerDay", f.depreciationPerDay(),
                "marginPerDay", f.marginPerDay(),
                "netPerDay", f.netPerDay(),
                "netPerMonth", f.netPerMonth(),
                "breakEvenUtilization", f.breakEvenUtilization(),
                "paybackDays", f.paybackDays(),
                "paybackYears", f.paybackYears());
    }

    private static Map<String, Object> sourced(Sourced<?> s) {
        Map<String, Object> m = Output.object("value", s.value(), "source", s.source());
        if (s.date() != null) {
            m.put("date", s.date());
        }
        return m;
    }

    // ---- --list

    private static final Map<String, String> FIGURE_LABELS = new LinkedHashMap<>();

    static {
        FIGURE_LABELS.put("boardWatts", "board power");
        FIGURE_LABELS.put("idleWatts", "idle power");
        FIGURE_LABELS.put("pue", "PUE");
        FIGURE_LABELS.put("purchaseUsd", "purchase price");
        FIGURE_LABELS.put("depreciationYears", "written off over");
        FIGURE_LABELS.put("rentalUsdPerHour", "rental price (renter pays)");
        FIGURE_LABELS.put("marketplaceHostShare", "host share of rental");
        FIGURE_LABELS.put("relativeThroughput", "throughput relative to H100");
    }

    private static String shown(String field, double value) {
        return switch (field) {
            case "boardWatts", "idleWatts" -> num(value) + " W";
            case "purchaseUsd" -> usd(value, 0);
            case "depreciationYears" -> num(value) + " years";
            case "rentalUsdPerHour" -> usd(value, 2) + "/h";
            case "marketplaceHostShare" -> pct(value);
            default -> num(value);
        };
    }

    private void list(GpuCatalog catalog) {
        if (out().json()) {
            List<Object> gpus = new ArrayList<>();
            for (GpuSpec g : catalog.gpus()) {
                Map<String, Object> m = Output.object("id", g.id(), "name", g.name(), "aliases", g.aliases());
                for (String field : GpuSpec.FIGURES) {
                    m.put(field, sourced(g.figure(field)));
                }
                gpus.add(m);
            }
            out().printJson(Output.object("h100ComputeUnitsPerSecond", sourced(catalog.h100ComputeUnitsPerSecond()),
                    "gpus", gpus, "custom", customJson(catalog)));
            return;
        }
        Output o = out();
        o.line("Known GPUs (names are matched ignoring case and spaces)");
        for (GpuSpec g : catalog.gpus()) {
            o.line();
            o.line(g.name() + " (--gpu " + quoted(g.id())
                    + (g.aliases().isEmpty() ? "" : "; also " + String.join(", ", g.aliases())) + ")");
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, String> e : FIGURE_LABELS.entrySet()) {
                Sourced<Double> f = g.figure(e.getKey());
                rows.add(List.of("  " + e.getValue(), shown(e.getKey(), f.value()), f.provenance()));
            }
            o.table(List.of("  figure", "value", "source"), rows);
        }
        o.line();
        Sourced<Double> h = catalog.h100ComputeUnitsPerSecond();
        o.line("H100 compute units per second: " + CalculatorInputs.scientific(h.value()) + " (" + h.provenance() + ")");
        o.line();
        o.line("Another GPU: " + CUSTOM_FORM);
        List<List<String>> req = new ArrayList<>();
        CUSTOM_OPTIONS.forEach((option, what) -> req.add(List.of("  " + option, what, "required, positive")));
        GpuSpec sample = customSample(catalog);
        req.add(List.of("  --idle-watts", "idle power", sample.idleWatts().source()));
        for (String field : List.of("pue", "depreciationYears", "marketplaceHostShare")) {
            Sourced<Double> f = sample.figure(field);
            req.add(List.of("  " + CUSTOM_DEFAULT_OPTIONS.get(field), FIGURE_LABELS.get(field) + " " + shown(field, f.value()),
                    f.provenance()));
        }
        o.table(List.of("  option", "figure", "source"), req);
    }

    /** The options that replace a custom GPU's defaults, by figure. */
    private static final Map<String, String> CUSTOM_DEFAULT_OPTIONS = Map.of("pue", "--pue", "depreciationYears", "--years",
            "marketplaceHostShare", "--host-share");

    /** A custom GPU with unit figures, to show the defaults every custom GPU gets. */
    private static GpuSpec customSample(GpuCatalog catalog) {
        return catalog.custom(1, 1, 1, 1);
    }

    private static Map<String, Object> customJson(GpuCatalog catalog) {
        GpuSpec sample = customSample(catalog);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("idleWatts", Output.object("shareOfWatts", catalog.idleShareOfBusyPower(),
                "source", sample.idleWatts().source(), "option", "--idle-watts"));
        for (String field : List.of("pue", "depreciationYears", "marketplaceHostShare")) {
            Map<String, Object> m = sourced(sample.figure(field));
            m.put("option", CUSTOM_DEFAULT_OPTIONS.get(field));
            defaults.put(field, m);
        }
        return Output.object("gpu", GpuSpec.CUSTOM, "usage", CUSTOM_FORM, "required", CUSTOM_OPTIONS, "defaults", defaults);
    }

    private static String quoted(String id) {
        return id.contains(" ") ? "'" + id + "'" : id;
    }

    // ---- formatting

    private static String usd(double x, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f USD", x);
    }

    private static String pct(double x) {
        return String.format(Locale.ROOT, "%.1f%%", x * 100);
    }

    /** A number without trailing zeros: 0.15, 1.3, 700. */
    private static String num(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
