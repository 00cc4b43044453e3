package dev.verity.economics.sim;

import dev.verity.protocol.VerificationMode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG charts (JFreeChart, drawn headless): jobs per hour by mode, queue length, latency, base price, active
 * nodes, and operator income against renting the GPU out. Every chart has a title, axis labels with units and a
 * legend; with two runs (tee-compromise) each series is named after its run and the second run is dashed. An axis
 * whose series peak at values 100 times apart or more is drawn on a log scale. The scenario's event is a dotted
 * vertical line.
 */
final class Charts {
    static final int WIDTH = 1200;
    static final int HEIGHT = 700;
    static final List<String> FILES = List.of("jobs.png", "queue.png", "latency.png", "base-price.png", "active-nodes.png",
            "operator-income.png");
    private static final String TIME = "time since genesis (days)";
    private static final Color GRID = new Color(0xd0, 0xd0, 0xd0);
    private static final Paint[] MODE_COLORS = {new Color(0x60, 0x60, 0x60), new Color(0x1f, 0x77, 0xb4),
        new Color(0xff, 0x7f, 0x0e), new Color(0x2c, 0xa0, 0x2c), new Color(0xd6, 0x27, 0x28)};
    private static final Paint[] COLORS = {new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28),
        new Color(0x2c, 0xa0, 0x2c), new Color(0xff, 0x7f, 0x0e), new Color(0x94, 0x67, 0xbd), new Color(0x60, 0x60, 0x60)};

    /** The scenario's event, drawn as a vertical line on every chart. */
    record Event(double day, String label) {}

    private record Metric(String name, ToDoubleFunction<HourStats> value) {}

    private final List<RunResult> runs;
    private final Event event;

    private Charts(List<RunResult> runs, Event event) {
        this.runs = runs;
        this.event = event;
    }

    /** Must run before any AWT class loads: the simulator draws charts without a display. */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Writes the charts of {@code runs} to {@code dir}; {@code event} may be null. */
    static List<Path> write(Path dir, List<RunResult> runs, Event event) throws IOException {
        Charts c = new Charts(runs, event);
        List<JFreeChart> charts = List.of(c.jobs(),
                c.hourly("Queue: jobs waiting on chain or assigned and not yet answered (hourly mean)", "jobs in the queue",
                        List.of(new Metric("queue", HourStats::queueMean))),
                c.hourly("Latency from submission to settlement of the jobs settled each hour", "seconds",
                        List.of(new Metric("p50", h -> h.latency(50)), new Metric("p99", h -> h.latency(99)))),
                c.price(),
                c.hourly("Active nodes (staked, not jailed, not left)", "nodes", List.of(new Metric("active nodes", h -> h.activeNodes))),
                c.operators());
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < charts.size(); i++) {
            Path file = dir.resolve(FILES.get(i));
            try (OutputStream out = Files.newOutputStream(file)) {
                ChartUtils.writeChartAsPNG(out, charts.get(i), WIDTH, HEIGHT);
            }
            files.add(file);
        }
        return files;
    }

    private JFreeChart jobs() {
        Panel p = new Panel("jobs per hour");
        for (RunResult r : runs) {
            for (VerificationMode m : VerificationMode.values()) {
                if (r.totals().settledByMode()[m.ordinal()] > 0) {
                    p.add(name(r, "settled " + m), hourSeries(r, h -> h.settled[m.ordinal()]), MODE_COLORS[m.ordinal()], r);
                }
            }
            p.add(name(r, "refused"), hourSeries(r, HourStats::refusedTotal), Color.BLACK, r);
        }
        return titled("Jobs per hour by verification mode (settled, and refused: priced out or refused by the ledger)",
                p.plot());
    }

    private JFreeChart hourly(String title, String yLabel, List<Metric> metrics) {
        Panel p = new Panel(yLabel);
        for (RunResult r : runs) {
            for (int i = 0; i < metrics.size(); i++) {
                Metric m = metrics.get(i);
                p.add(name(r, m.name()), hourSeries(r, m.value()), COLORS[(runs.indexOf(r) * metrics.size() + i) % COLORS.length], r);
            }
        }
        return titled(title, p.plot());
    }

    private JFreeChart price() {
        Panel vrt = new Panel("base units of VRT per 10^15 compute units");
        Panel usd = new Panel("USD per 10^15 compute units (at the token price)");
        for (RunResult r : runs) {
            int i = runs.indexOf(r);
            vrt.add(name(r, "base price (left axis)"), hourSeries(r, HourStats::basePrice), COLORS[(2 * i) % COLORS.length], r);
            usd.add(name(r, "base price in USD at the token price (right axis)"),
                    hourSeries(r, h -> h.basePrice() / SimChain.VRT * h.tokenPriceUsd), COLORS[(2 * i + 1) % COLORS.length], r);
        }
        XYPlot plot = vrt.plot();
        plot.setDataset(1, usd.data);
        plot.setRangeAxis(1, usd.axis());
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, usd.renderer);
        return titled("Base price of the fee market (hourly mean)", plot);
    }

    /** One panel per run, each with its own scale: a run's losses can be thousands of times another's income. */
    private JFreeChart operators() {
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(timeAxis());
        combined.setGap(12);
        for (RunResult r : runs) {
            int i = runs.indexOf(r);
            Panel p = new Panel(runs.size() == 1 ? "USD per node per day" : r.run().label() + ": USD per node per day");
            XYSeries net = new XYSeries("", false, true);
            XYSeries rental = new XYSeries("", false, true);
            for (RunResult.DaySummary d : r.days()) {
                net.add(d.day() + 0.5, d.netUsdMean());
                rental.add(d.day() + 0.5, d.rentalNetUsdMean());
            }
            p.add(name(r, "net income on Verity (after power and depreciation)"), net, COLORS[(2 * i) % COLORS.length], r);
            p.add(name(r, "renting the GPU out (after the same costs)"), rental, COLORS[(2 * i + 1) % COLORS.length], r);
            p.renderer.setDefaultShapesVisible(true);
            combined.add(p.plot(), 1);
        }
        return titled("Operator net income per day (mean over the nodes serving that day) against renting the GPU out",
                combined);
    }

    private static XYSeries hourSeries(RunResult r, ToDoubleFunction<HourStats> value) {
        XYSeries s = new XYSeries("", false, true);
        for (HourStats h : r.hours()) {
            s.add((h.hour + 0.5) / 24, value.applyAsDouble(h));
        }
        return s;
    }

    private String name(RunResult r, String what) {
        return runs.size() == 1 ? what : r.run().label() + ": " + what;
    }

    private static NumberAxis timeAxis() {
        NumberAxis x = new NumberAxis(TIME);
        x.setAutoRangeIncludesZero(true);
        return x;
    }

    private static JFreeChart titled(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(16f), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    /** The series of one plot (or of one axis of it), their colors and strokes, and the axis they need. */
    private final class Panel {
        final String yLabel;
        final XYSeriesCollection data = new XYSeriesCollection();
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        private final List<XYSeries> series = new ArrayList<>();

        Panel(String yLabel) {
            this.yLabel = yLabel;
        }

        void add(String name, XYSeries values, Paint color, RunResult run) {
            XYSeries s = new XYSeries(name, false, true);
            for (int i = 0; i < values.getItemCount(); i++) {
                s.add(values.getX(i), values.getY(i));
            }
            int index = series.size();
            series.add(s);
            renderer.setSeriesPaint(index, color);
            boolean dashed = runs.indexOf(run) > 0;
            renderer.setSeriesStroke(index, dashed
                    ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(1.6f));
        }

        /** The range axis; also fills the dataset. A log axis when the series' peaks are 100 times apart or more. */
        ValueAxis axis() {
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (XYSeries s : series) {
                double peak = 0;
                for (int i = 0; i < s.getItemCount(); i++) {
                    double y = s.getY(i).doubleValue();
                    if (y > peak) { // false for NaN: an hour without a value
                        peak = y;
                    }
                }
                if (peak > 0) {
                    lo = Math.min(lo, peak);
                    hi = Math.max(hi, peak);
                }
            }
            boolean log = hi > 0 && hi / lo >= 100;
            for (XYSeries s : series) {
                if (log) {
                    for (int i = 0; i < s.getItemCount(); i++) {
                        if (!(s.getY(i).doubleValue() > 0)) {
                            s.updateByIndex(i, Double.NaN);
                        }
                    }
                }
                data.addSeries(s);
            }
            if (log) {
                LogAxis axis = new LogAxis(yLabel + " (log scale)");
                axis.setSmallestValue(0.01);
                axis.setTickUnit(new NumberTickUnit(1));
                axis.setNumberFormatOverride(new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
                return axis;
            }
            NumberAxis axis = new NumberAxis(yLabel);
            axis.setAutoRangeIncludesZero(true);
            return axis;
        }

        XYPlot plot() {
            XYPlot plot = new XYPlot(data, timeAxis(), axis(), renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(GRID);
            plot.setRangeGridlinePaint(GRID);
            if (event != null) {
                ValueMarker m = new ValueMarker(event.day(), Color.DARK_GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 3f}, 0f));
                m.setLabel(event.label());
                m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                plot.addDomainMarker(m);
            }
            return plot;
        }
    }
}
