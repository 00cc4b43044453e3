package dev.verity.cli;

import dev.verity.compute.ComputeNodeProgram;
import dev.verity.compute.metrics.NodeMonitor;
import dev.verity.compute.model.Device;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code verity node run} takes beyond the node itself, as a mixin: {@code --config FILE} (the command's options
 * from a file, through {@link ConfigFileDefaults}) and {@code --metrics [HOST:]PORT} (the node's own health and
 * metrics server, {@link NodeMonitor}).
 */
final class NodeRunOptions {
    /** Where {@code --metrics PORT} listens: this machine only. */
    static final String LOOPBACK = "127.0.0.1";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = ConfigFileDefaults.OPTION, paramLabel = "FILE",
            description = "Read the options from FILE: one 'option = value' a line, the option's long name without its "
                    + "dashes (api = URL1,URL2; key = /etc/verity/node.json; capacity = 4; metrics = 9464), '#' for "
                    + "comments. An option on the command line wins; an unknown key is refused. See docs/OPERATOR.md.")
    Path config;

    @Option(names = "--metrics", paramLabel = "[HOST:]PORT", converter = MetricsAddress.Converter.class,
            description = "Serve the node's /healthz, /readyz (ready while a validator answers and the worker takes jobs) "
                    + "and Prometheus /metrics on PORT of 127.0.0.1, or on HOST:PORT (0.0.0.0:PORT: every interface). "
                    + "Off unless given; 9464 is the usual port.")
    MetricsAddress metrics;

    /** {@code --metrics}: a host and a port (0: any free port). */
    record MetricsAddress(String host, int port) {
        static MetricsAddress parse(String text) {
            String t = text == null ? "" : text.strip();
            String usage = "--metrics takes PORT (on " + LOOPBACK + ") or HOST:PORT, such as 9464 or 0.0.0.0:9464";
            int colon = t.lastIndexOf(':');
            String host = colon < 0 ? LOOPBACK : t.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
                host = host.substring(1, host.length() - 1);
            } else if (host.isEmpty() || host.indexOf(':') >= 0 || !host.matches("[A-Za-z0-9._%-]+")) {
                throw new IllegalArgumentException("'" + t + "': " + usage + " ([::1]:9464 for IPv6)");
            }
            int port;
            try {
                port = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("'" + t + "' has no port of 0 to 65535; " + usage);
            }
            return new MetricsAddress(host, port);
        }

        static final class Converter implements CommandLine.ITypeConverter<MetricsAddress> {
            @Override
            public MetricsAddress convert(String value) {
                return parse(value);
            }
        }
    }

    /** Reads the config file when picocli needed no default from it, and sets the flags it names; call first. */
    void applyConfig() {
        if (command.defaultValueProvider() instanceof ConfigFileDefaults d) {
            d.applyFlags(command);
        }
    }

    /**
     * With {@code --metrics}, starts the node's health and metrics server over the running program's worker and says
     * where; otherwise does nothing. The server stops when what this returns is closed.
     *
     * @throws CliException METRICS_UNAVAILABLE when the server cannot listen there (the program is closed first)
     */
    AutoCloseable startMonitor(ComputeNodeProgram program, List<String> urls, Device device, Output out) {
        if (metrics == null) {
            return () -> {};
        }
        try {
            NodeMonitor monitor = NodeMonitor.start(program.worker(), urls, device.describe(), metrics.host(), metrics.port());
            out.note("metrics: " + monitor.url() + "/metrics, " + monitor.url() + "/healthz, " + monitor.url() + "/readyz");
            return monitor;
        } catch (IllegalStateException e) {
            program.close();
            throw new CliException("METRICS_UNAVAILABLE", e.getMessage() + " (--metrics " + metrics.host() + ":" + metrics.port()
                    + "; choose another port)");
        }
    }
}
