package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.sdk.KeyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code verity node run --config FILE}: the options from a file, the command line over it, and a file that cannot be
 * used refused with exit code 2, naming the file, the line and the key.
 */
class NodeRunConfigTest {
    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }

    /** The command as picocli fills it from {@code args}, without running it. */
    private static NodeRunCommand parsed(String... args) {
        StringWriter sink = new StringWriter();
        CommandLine cl = VerityCli.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (NodeRunCommand) r.subcommand().subcommand().commandSpec().userObject();
    }

    @Test
    void theFileGivesEveryOptionItNames() throws Exception {
        Path conf = file("node.conf",
                "# a compute node",
                "api = http://10.0.0.1:8645, http://10.0.0.2:8645",
                "key = keys/node.json",
                "",
                "store = /var/lib/verity/models",
                "state-dir = /var/lib/verity/node-state",
                "capacity = 8",
                "engine = integer",
                "device = cpu",
                "stop-timeout = 45",
                "metrics = 0.0.0.0:9464");
        NodeRunCommand c = parsed("node", "run", "--config", conf.toString());
        assertThat(c.apis).containsExactly("http://10.0.0.1:8645", "http://10.0.0.2:8645");
        assertThat(c.key).as("a relative path is taken from the file's folder").isEqualTo(dir.resolve("keys/node.json"));
        assertThat(c.store.dir()).isEqualTo(Path.of("/var/lib/verity/models"));
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/verity/node-state"));
        assertThat(c.capacity).isEqualTo(8);
        assertThat(c.engine).isEqualTo("integer");
        assertThat(c.device).isEqualTo("cpu");
        assertThat(c.stopTimeout).isEqualTo(45);
        assertThat(c.nodeRun.metrics).isEqualTo(new NodeRunOptions.MetricsAddress("0.0.0.0", 9464));
    }

    @Test
    void theCommandLineWinsOverTheFile() throws Exception {
        Path conf = file("node.conf", "capacity = 8", "device = cuda:1", "metrics = 9464", "api = http://10.0.0.1:8645");
        NodeRunCommand c = parsed("node", "run", "--capacity", "2", "--config", conf.toString(), "--metrics", "9000",
                "--api", "http://10.0.0.9:8645");
        assertThat(c.capacity).isEqualTo(2);
        assertThat(c.device).isEqualTo("cuda:1");
        assertThat(c.nodeRun.metrics).isEqualTo(new NodeRunOptions.MetricsAddress("127.0.0.1", 9000));
        assertThat(c.apis).containsExactly("http://10.0.0.9:8645");
        NodeRunCommand none = parsed("node", "run");
        assertThat(none.capacity).as("without a file, the built-in defaults").isZero();
        assertThat(none.device).isEqualTo("auto");
        assertThat(none.nodeRun.metrics).as("off unless given").isNull();
    }

    @Test
    void registrationOptionsAndFlagsComeFromTheFileToo() throws Exception {
        String model = "ab".repeat(32);
        Path conf = file("register.conf", "register = true", "stake = 1500", "model = " + model, "mode = NONE, OPTIMISTIC",
                "no-watch = TRUE", "no-audit = false");
        NodeRunCommand c = parsed("node", "run", "--config", conf.toString());
        c.nodeRun.applyConfig();
        assertThat(c.register).isTrue();
        assertThat(c.noWatch).isTrue();
        assertThat(c.noAudit).isFalse();
        assertThat(c.registration.stake).isEqualTo(1500 * dev.verity.protocol.Params.BASE_UNITS_PER_TOKEN);
        assertThat(c.registration.models).extracting(dev.verity.core.Hash::hex).containsExactly(model);
        assertThat(c.registration.modes).containsExactly(dev.verity.protocol.VerificationMode.NONE,
                dev.verity.protocol.VerificationMode.OPTIMISTIC);

        Path off = file("off.conf", "no-watch = false");
        NodeRunCommand flag = parsed("node", "run", "--config", off.toString(), "--no-watch");
        flag.nodeRun.applyConfig();
        assertThat(flag.noWatch).as("the flag on the command line wins").isTrue();

        CliRun.Result notBoolean = CliRun.run("node", "run", "--config", file("flag.conf", "register = yes").toString());
        assertThat(notBoolean.exitCode()).as("%s", notBoolean).isEqualTo(2);
        assertThat(notBoolean.err()).contains("line 1: bad value 'yes' for 'register': it is true or false");

        CliRun.Result badMode = CliRun.run("node", "run", "--config", file("mode.conf", "mode = NONE, FAST").toString());
        assertThat(badMode.exitCode()).as("%s", badMode).isEqualTo(2);
        assertThat(badMode.err()).contains("line 1: bad value 'NONE, FAST' for 'mode'");
    }

    @Test
    void theNodeRunsWithWhatTheFileSays() throws Exception {
        Path key = dir.resolve("node.json");
        KeyFiles.save(key, KeyFiles.generate());
        Path conf = file("node.conf", "api = http://127.0.0.1:1", "key = node.json", "store = models");
        CliRun.Result r = CliRun.run("node", "run", "--config", conf.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains("no validator answers", "127.0.0.1:1");
        CliRun.Result flag = CliRun.run("node", "run", "--config", conf.toString(), "--api", "http://127.0.0.1:2", "--json");
        assertThat(flag.exitCode()).as("%s", flag).isEqualTo(1);
        assertThat(flag.json().get("message").asText()).contains("127.0.0.1:2").doesNotContain("127.0.0.1:1");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheLineAndTheKeysThereAre() throws Exception {
        Path conf = file("typo.conf", "# capacity below", "capasity = 4");
        CliRun.Result r = CliRun.run("node", "run", "--config", conf.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("config file " + conf + ", line 2: unknown key 'capasity' (did you mean 'capacity'?)",
                "the keys are the long options of 'verity node run' without their dashes: api, capacity,", "device",
                "metrics", "register", "state-dir", "stop-timeout", "store");
        assertThat(r.err()).doesNotContain("json,", "config,");

        CliRun.Result dashes = CliRun.run("node", "run", "--config", file("dashes.conf", "--capacity = 4").toString(), "--json");
        assertThat(dashes.exitCode()).as("%s", dashes).isEqualTo(2);
        assertThat(dashes.json().get("code").asText()).isEqualTo("BAD_USAGE");
        assertThat(dashes.json().get("message").asText()).contains("line 1", "write it without the dashes: 'capacity'");
    }

    @Test
    void aBadValueIsRefusedNamingTheKey() throws Exception {
        Path conf = file("bad.conf", "api = http://127.0.0.1:1", "capacity = many");
        CliRun.Result r = CliRun.run("node", "run", "--config", conf.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("config file " + conf + ", line 2: bad value 'many' for 'capacity': it is a whole number "
                + "(as --capacity N takes)");

        CliRun.Result metrics = CliRun.run("node", "run", "--config", file("metrics.conf", "metrics = lots").toString());
        assertThat(metrics.exitCode()).as("%s", metrics).isEqualTo(2);
        assertThat(metrics.err()).contains("line 1: bad value 'lots' for 'metrics'", "--metrics takes PORT");
    }

    @Test
    void aFileThatCannotBeUsedIsRefusedNamingIt() throws Exception {
        Path missing = dir.resolve("nowhere.conf");
        CliRun.Result r = CliRun.run("node", "run", "--config", missing.toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("cannot read the config file " + missing + ": no such file");

        Path malformed = file("malformed.conf", "capacity = 4", "device cpu");
        CliRun.Result m = CliRun.run("node", "run", "--config", malformed.toString());
        assertThat(m.exitCode()).as("%s", m).isEqualTo(2);
        assertThat(m.err()).contains("config file " + malformed + ", line 2: 'device cpu' is not KEY = VALUE");

        Path twice = file("twice.conf", "capacity = 4", "capacity = 5");
        CliRun.Result t = CliRun.run("node", "run", "--config", twice.toString());
        assertThat(t.exitCode()).as("%s", t).isEqualTo(2);
        assertThat(t.err()).contains("line 2: 'capacity' is set again (first on line 1)");
    }

    @Test
    void theShippedExampleIsAValidFile() throws Exception {
        Path example = Path.of("..", "packaging", "verity-node.conf.example");
        assertThat(example).exists();
        NodeRunCommand c = parsed("node", "run", "--config", example.toString());
        assertThat(c.apis).isNotEmpty();
        assertThat(c.key).isNotNull();
        assertThat(c.nodeRun.metrics).isNotNull();
    }
}
