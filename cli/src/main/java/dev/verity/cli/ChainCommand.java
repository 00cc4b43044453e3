package dev.verity.cli;

import dev.verity.node.chain.ChainVerifier;
import dev.verity.node.storage.DataDirectoryInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity chain verify --data-dir DIR}. */
@Command(name = "chain", mixinStandardHelpOptions = true, description = "Check a node's stored chain.",
        subcommands = {ChainCommand.Verify.class})
final class ChainCommand extends GroupCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Re-execute a stored chain from genesis and check it.", "",
                "Checks every block's signature, links and state root, then compares the stored state with the replay. "
                        + "The node must be stopped. DIR is a node's data directory, or a devnet directory (whose chain is "
                        + "in DIR/chain). Exit 1 on a problem."})
    static final class Verify extends BaseCommand {
        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The node's data directory.")
        Path dataDir;

        @Override
        protected int execute() {
            Path dir = chainDirectory(dataDir);
            ChainVerifier.Report r;
            try {
                r = ChainVerifier.verify(dir);
            } catch (DataDirectoryInUseException e) {
                throw new CliException("DATA_DIR_IN_USE", "data directory " + dir + " is in use by a running node; stop the node first");
            } catch (IllegalStateException e) {
                throw new CliException("NO_CHAIN", Errors.message(e));
            }
            Map<String, Object> data = Output.object("dataDir", dir.toAbsolutePath().toString(), "blocks", r.blocks(),
                    "transactions", r.transactions(), "stateRoot", r.stateRoot(), "storedStateRoot", r.storedStateRoot(),
                    "ok", r.ok(), "problem", r.problem());
            if (!out().json()) {
                out().fields(Output.object("data directory", dir.toAbsolutePath(), "blocks", r.blocks(), "transactions",
                        r.transactions(), "state root", r.stateRoot()));
            }
            if (!r.ok()) {
                if (!out().json()) {
                    out().line("FAILED: " + r.problem());
                }
                throw new CliException("VERIFY_FAILED", "the chain in " + dir + " does not verify: " + r.problem(), data);
            }
            if (out().json()) {
                out().printJson(data);
            } else {
                out().line("OK: every block re-executes to its state root and the stored state matches");
            }
            return 0;
        }

        /** DIR itself when it holds a store, DIR/chain for a devnet directory; an error when neither does. */
        static Path chainDirectory(Path dir) {
            if (Files.isDirectory(dir.resolve("db"))) {
                return dir;
            }
            if (Files.isDirectory(dir.resolve("chain").resolve("db"))) {
                return dir.resolve("chain");
            }
            if (!Files.exists(dir)) {
                throw new CliException("NO_CHAIN", "no such directory: " + dir);
            }
            throw new CliException("NO_CHAIN", dir + " holds no chain (no db directory in it or in " + dir.resolve("chain") + ")");
        }
    }
}
