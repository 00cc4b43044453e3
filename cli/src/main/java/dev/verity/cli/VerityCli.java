package dev.verity.cli;

import dev.verity.cli.lm.LmCommand;
import dev.verity.devnet.ProgramLauncher;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code verity} command line: {@code verity demo}, {@code verity devnet}, {@code verity job submit ...}.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (a refused transaction, a job that did not settle, a failed
 * verification, an unreachable node), 2 bad usage. Errors are one line on stderr ({@code error: ...}); with
 * {@code --json} they are a {@code {"code": ..., "message": ...}} object on stdout.
 */
@Command(name = "verity",
        mixinStandardHelpOptions = true,
        versionProvider = VerityCli.Version.class,
        usageHelpAutoWidth = true,
        description = {"Verity: an open network for verifiable AI inference.", "",
            "Commands that talk to a node take --api URL (default: $VERITY_API, else the "
                    + "local node at 127.0.0.1:8645); commands that sign take --key FILE (default: $VERITY_KEY). "
                    + "Every command takes --json. Amounts are typed and shown in VRT (1 VRT = 1,000,000 base "
                    + "units); JSON shows base units.", ""},
        footer = {"", "Exit codes: 0 success, 1 the operation failed, 2 bad usage.",
            "Start with: verity demo"},
        subcommands = {
            DemoCommand.class,
            DevnetCommand.class,
            ValidatorCommand.class,
            KeysCommand.class,
            AccountCommand.class,
            TransferCommand.class,
            NodeCommand.class,
            ModelCommand.class,
            JobCommand.class,
            DisputeCommand.class,
            ProofCommand.class,
            ReceiptCommand.class,
            ValidatorsCommand.class,
            ParamsCommand.class,
            ChainCommand.class,
            TeeCommand.class,
            MeasureCommand.class,
            GovernanceCommand.class,
            EconomicsCommand.class,
            SimulateCommand.class,
            OverloadCommand.class,
            LmCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class VerityCli implements Runnable {
    static final String VERSION = "0.1.0";

    private final PrintWriter out;
    private final PrintWriter err;

    @Spec
    CommandSpec spec;

    /** Writes to the {@link CommandLine}'s writers (by default {@code System.out} and {@code System.err}). */
    public VerityCli() {
        this(null, null);
    }

    /** Writes command output to {@code out} and errors and progress to {@code err} (for tests and embedding). */
    public VerityCli(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** The writer for results: the one given at construction, else the command line's. */
    PrintWriter out() {
        return out != null ? out : spec.commandLine().getOut();
    }

    /** The writer for errors and progress: the one given at construction, else the command line's. */
    PrintWriter err() {
        return err != null ? err : spec.commandLine().getErr();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    /**
     * A command line for {@code verity} writing to {@code out} and {@code err}, with the CLI's error handling:
     * usage errors as one {@code error: ...} line (or a JSON error with {@code --json}), exit code 2.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new VerityCli(out, err));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(VerityCli::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Commands handle their own errors; this is the last resort, never a stack trace.
            boolean json = parseResult != null && parseResult.expandedArgs().contains("--json");
            Output o = new Output(out, err, json);
            o.error("ERROR", Errors.message(e));
            return 1;
        });
        return cl;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        boolean json = Arrays.asList(args).contains("--json");
        Output o = new Output(cl.getOut(), cl.getErr(), json);
        String hint = cl.getCommandSpec().qualifiedName() + " --help";
        o.error("BAD_USAGE", e.getMessage() + " (see '" + hint + "')");
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        configureLogging(args);
        exitWithParent(System.getenv(ProgramLauncher.PARENT_PID_ENV));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * A program the devnet started stops (gracefully, through the shutdown hooks) when the devnet's process ends, even
     * one killed with SIGKILL that could not stop its children itself.
     */
    static void exitWithParent(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(parentPid.strip())).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(143)), () -> System.exit(143));
        } catch (NumberFormatException e) {
            System.err.println("warning: ignoring " + ProgramLauncher.PARENT_PID_ENV + "='" + parentPid + "' (not a process id)");
        }
    }

    /**
     * Keeps the node's log lines (slf4j-simple, on stderr) to warnings unless {@code --verbose} is given. Must
     * run before the first logger is created.
     */
    static void configureLogging(String[] args) {
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(key) == null) {
            System.setProperty(key, Arrays.asList(args).contains("--verbose") ? "info" : "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
        // Apache Ratis logs every election and log segment at INFO: its warnings are what an operator needs.
        String ratis = "org.slf4j.simpleLogger.log.org.apache.ratis";
        if (System.getProperty(ratis) == null) {
            System.setProperty(ratis, "warn");
        }
        // DJL probes for a CUDA runtime on every tokenizer load and warns when the driver is too old; the tokenizers
        // run on the CPU either way, so that warning is noise.
        String cudaProbe = "org.slf4j.simpleLogger.log.ai.djl.util.cuda";
        if (System.getProperty(cudaProbe) == null) {
            System.setProperty(cudaProbe, "error");
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"verity " + VERSION, "Java " + Runtime.version()};
        }
    }

    /**
     * Starts this CLI's programs ({@code verity validator}, {@code verity node run}) as separate processes on this JVM's
     * java and class path: how the devnet and the demo run the same programs an operator runs. Each gets a modest heap
     * (the models live in native memory) and the serial collector, so five nodes fit a small machine.
     */
    static ProgramLauncher programLauncher() {
        return ProgramLauncher.thisJvm(VerityCli.class.getName(), "-Xmx768m", "-XX:+UseSerialGC");
    }
}
