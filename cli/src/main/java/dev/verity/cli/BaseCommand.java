package dev.verity.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that does something: {@code --json}, {@code --verbose}, and the CLI's error handling. Every error
 * becomes exit code 1 (2 for bad usage) and one clear line; never a stack trace (unless {@code --verbose}).
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document on stdout (amounts in base units).")
    boolean json;

    @Option(names = "--verbose", description = "Show the node's log lines and, on an unexpected error, its stack trace.")
    boolean verbose;

    private Output output;

    /** The output of this command (stdout/stderr of the root {@link VerityCli}). */
    protected Output out() {
        if (output == null) {
            output = new Output(stdout(), stderr(), json);
        }
        return output;
    }

    private PrintWriter stdout() {
        return spec.root().userObject() instanceof VerityCli cli ? cli.out() : spec.commandLine().getOut();
    }

    private PrintWriter stderr() {
        return spec.root().userObject() instanceof VerityCli cli ? cli.err() : spec.commandLine().getErr();
    }

    /** Runs the command; returns its exit code. Throw {@link CliException} for a failed operation. */
    protected abstract int execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CommandLine.ParameterException e) {
            throw e; // picocli reports bad usage with exit code 2
        } catch (CliException e) {
            out().error(e.code(), e.getMessage(), e.data());
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(out().err());
                out().err().flush();
            }
            return 1;
        } catch (IllegalArgumentException e) {
            out().error(Errors.code(e), Errors.message(e));
            return 2;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            out().error(Errors.code(e), Errors.message(e));
            if (verbose) {
                e.printStackTrace(out().err());
                out().err().flush();
            }
            return 1;
        }
    }

    /** A bad-usage error (exit code 2) about this command's arguments. */
    protected CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
