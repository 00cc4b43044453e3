package dev.verity.cli;

import dev.verity.validator.chain.ChainRepair;
import dev.verity.validator.chain.ChainVerifier;
import dev.verity.validator.storage.DataDirectoryInUseException;
import dev.verity.validator.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity chain verify --data-dir DIR}, {@code verity chain repair --data-dir DIR}. */
@Command(name = "chain", mixinStandardHelpOptions = true, description = "Check or repair a node's stored chain.",
        subcommands = {ChainCommand.Verify.class, ChainCommand.Repair.class})
final class ChainCommand extends GroupCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Re-execute a stored chain from genesis and check it.", "",
                "Checks every block's signature, links and state root, then compares the stored state with the replay. "
                        + "A pruned validator's store cannot be replayed (its first blocks are gone): it checks the kept "
                        + "blocks' links, signatures, transactions and events, and that the stored state is the head "
                        + "block's, and says what it could not check. "
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
                    "history", r.history().mode(), "lowestHeight", r.history().lowestHeight(), "replayed", r.replayed(),
                    "checked", r.checks(), "notChecked", r.cannotCheck(), "ok", r.ok(), "problem", r.problem());
            if (!out().json()) {
                out().fields(Output.object("data directory", dir.toAbsolutePath(), "history", r.replayed() ? r.history().mode()
                        : "pruned: blocks below " + r.history().lowestHeight() + " are gone", "blocks", r.blocks(),
                        "transactions", r.transactions(), "state root", r.stateRoot()));
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
                out().line(r.replayed() ? "OK: every block re-executes to its state root and the stored state matches"
                        : "OK (pruned store, not replayed): " + r.checks() + ". NOT CHECKED: " + r.cannotCheck() + ".");
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

    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = {"Repair a stopped node's store so that it starts again.", "",
                "Drops every stored mempool entry that cannot be read and reports each, with its key and why. A truncated "
                        + "or corrupt write-ahead log is accepted: the store keeps every write up to the damaged record, "
                        + "and transactions acknowledged after it may be missing (re-submit those whose receipt is UNKNOWN). "
                        + "Unreadable blocks or state rows, and a state that is not the head block's, cannot be repaired "
                        + "here: it reports them and you restore the directory from a backup or re-sync it. Back the "
                        + "directory up first. The node must be stopped. Exit 0 when the store is clean afterwards, 1 when "
                        + "something could not be repaired."})
    static final class Repair extends BaseCommand {
        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The node's data directory.")
        Path dataDir;

        @Override
        protected int execute() {
            Path dir = Verify.chainDirectory(dataDir);
            ChainRepair.Report r;
            try {
                r = ChainRepair.repair(dir);
            } catch (DataDirectoryInUseException e) {
                throw new CliException("DATA_DIR_IN_USE", "data directory " + dir + " is in use by a running node; stop the node first");
            } catch (StorageException e) {
                throw new CliException("CANNOT_REPAIR", "cannot repair the store in " + dir + ": " + Errors.message(e)
                        + "; restore the data directory from a backup or re-sync it");
            }
            List<Map<String, Object>> fixed = r.fixed().stream()
                    .map(f -> Output.object("table", f.table(), "entry", f.entry(), "why", f.why())).toList();
            List<Map<String, Object>> problems = r.problems().stream()
                    .map(p -> Output.object("table", p.table(), "entry", p.entry(), "why", p.why(), "advice", p.advice())).toList();
            Map<String, Object> data = Output.object("dataDir", dir.toAbsolutePath().toString(), "headHeight", r.headHeight(),
                    "history", r.history().mode(), "lowestHeight", r.history().lowestHeight(), "walLossAccepted", r.walLossAccepted(), "fixed", fixed, "problems", problems, "clean", r.clean());
            if (!out().json()) {
                out().fields(Output.object("data directory", dir.toAbsolutePath(), "head height", r.headHeight(), "history",
                        r.history().archive() ? "archive" : "pruned, keeping the newest " + r.history().retainBlocks()
                                + " blocks (from height " + r.history().lowestHeight() + ")"));
                for (ChainRepair.Fixed f : r.fixed()) {
                    out().line("FIXED " + f.table() + " " + f.entry() + ": " + f.why());
                }
                for (ChainRepair.Problem p : r.problems()) {
                    out().line("NOT REPAIRED " + p.table() + " " + p.entry() + ": " + p.why() + "; " + p.advice());
                }
            }
            if (!r.clean()) {
                throw new CliException("REPAIR_INCOMPLETE", r.problems().size() + " problem(s) in " + dir
                        + " cannot be repaired here: restore the data directory from a backup or re-sync it", data);
            }
            if (out().json()) {
                out().printJson(data);
            } else {
                out().line(r.fixed().isEmpty() ? "OK: nothing to repair; the store is clean"
                        : "OK: repaired " + r.fixed().size() + " problem(s); the store is clean");
            }
            return 0;
        }
    }
}
