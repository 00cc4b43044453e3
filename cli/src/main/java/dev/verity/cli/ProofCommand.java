package dev.verity.cli;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventProofView;
import dev.verity.sdk.api.StateProofView;
import dev.verity.sdk.proof.ProofException;
import dev.verity.sdk.proof.ProofVerifier;
import dev.verity.sdk.proof.VerifiedEvent;
import dev.verity.sdk.proof.VerifiedRow;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code verity proof account|node|model|job ID} and {@code verity proof event HEIGHT INDEX}: fetch a proof from the
 * node and check it here with the SDK's {@link ProofVerifier}; exit 1 naming the check that failed when it does not hold.
 */
@Command(name = "proof", mixinStandardHelpOptions = true,
        description = {"Fetch a proof from the node and check it here, offline: the header hashes to the block hash, "
                + "and the row (or its absence) leads to the header's state root, or the event to its events root.",
            "A proof binds the answer to a block hash; compare that hash with one you trust (another validator's)."},
        subcommands = {ProofCommand.Account.class, ProofCommand.Node.class, ProofCommand.Model.class, ProofCommand.Job.class,
            ProofCommand.Event.class})
final class ProofCommand extends GroupCommand {

    /** A row of the state proven against the head block; each subcommand names its table and id. */
    abstract static class StateRow extends BaseCommand {
        @Mixin
        ApiOptions api;

        abstract String kind();

        abstract String id();

        abstract StateProofView fetch(VerityClient client);

        abstract VerifiedRow verify(StateProofView proof);

        @Override
        protected int execute() {
            StateProofView proof;
            try (VerityClient client = api.client()) {
                proof = fetch(client);
            }
            VerifiedRow row = checked(() -> verify(proof), kind(), id());
            String value = row.present() ? Bytes.hex(row.value()) : null;
            String block = row.header().height() + " (" + row.blockHash().hex() + ")";
            String stateRoot = row.header().stateRoot().hex();
            if (out().json()) {
                out().printJson(Output.object("verified", true, "kind", kind(), "id", id(), "present", row.present(),
                        "key", Bytes.hex(row.key()), "value", value, "note", proof.note(), "height", row.header().height(),
                        "blockHash", row.blockHash().hex(), "stateRoot", stateRoot));
            } else {
                out().fields(Output.object("verified", "yes, against block " + block, kind(), id(),
                        "row", row.present() ? "present, " + row.value().length + " bytes" : proof.note(), "value", value,
                        "state root", stateRoot));
            }
            return 0;
        }
    }

    @Command(name = "account", mixinStandardHelpOptions = true, description = "Prove an account's row, or its absence.")
    static final class Account extends StateRow {
        @Parameters(paramLabel = "ID", converter = Converters.Key.class, description = "The account (64 hex characters).")
        PublicKey id;

        String kind() { return "account"; }
        String id() { return id.hex(); }
        StateProofView fetch(VerityClient c) { return c.accountProof(id); }
        VerifiedRow verify(StateProofView p) { return ProofVerifier.account(p, id); }
    }

    @Command(name = "node", mixinStandardHelpOptions = true, description = "Prove a node's row, or its absence.")
    static final class Node extends StateRow {
        @Parameters(paramLabel = "ID", converter = Converters.Key.class, description = "The node id (64 hex characters).")
        PublicKey id;

        String kind() { return "node"; }
        String id() { return id.hex(); }
        StateProofView fetch(VerityClient c) { return c.nodeProof(id); }
        VerifiedRow verify(StateProofView p) { return ProofVerifier.node(p, id); }
    }

    @Command(name = "model", mixinStandardHelpOptions = true, description = "Prove a model's row, or its absence.")
    static final class Model extends StateRow {
        @Parameters(paramLabel = "ID", converter = Converters.Sha.class, description = "The model id (64 hex characters).")
        Hash id;

        String kind() { return "model"; }
        String id() { return id.hex(); }
        StateProofView fetch(VerityClient c) { return c.modelProof(id); }
        VerifiedRow verify(StateProofView p) { return ProofVerifier.model(p, id); }
    }

    @Command(name = "job", mixinStandardHelpOptions = true,
            description = "Prove a live job's row, or its absence: a finished job has left the live state and proves absent "
                    + "(prove its events instead).")
    static final class Job extends StateRow {
        @Parameters(paramLabel = "ID", converter = Converters.Sha.class, description = "The job id (64 hex characters).")
        Hash id;

        String kind() { return "job"; }
        String id() { return id.hex(); }
        StateProofView fetch(VerityClient c) { return c.jobProof(id); }
        VerifiedRow verify(StateProofView p) { return ProofVerifier.job(p, id); }
    }

    @Command(name = "event", mixinStandardHelpOptions = true,
            description = "Prove event INDEX (from 0) of the block at HEIGHT against the block's events root.")
    static final class Event extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "HEIGHT", description = "The block height (1 or more).")
        long height;

        @Parameters(index = "1", paramLabel = "INDEX", description = "The event's index within the block (0 or more).")
        int index;

        @Override
        protected int execute() {
            if (height < 1 || index < 0) {
                throw usage("HEIGHT must be 1 or more and INDEX 0 or more, got " + height + " " + index);
            }
            EventProofView proof = fetch();
            VerifiedEvent ev = checked(() -> ProofVerifier.event(proof, height, index), "event", height + ":" + index);
            LedgerEvent e = LedgerEvent.decode(ev.event()); // proven bytes, so what they say is the block's
            String job = e.job() == null ? null : e.job().hex();
            String node = e.node() == null ? null : e.node().hex();
            String account = e.account() == null ? null : e.account().hex();
            String eventsRoot = ev.header().eventsRoot().hex();
            if (out().json()) {
                out().printJson(Output.object("verified", true, "height", height, "index", index, "eventCount",
                        proof.eventCount(), "type", e.type().name(), "job", job, "node", node, "account", account,
                        "amount", e.amount(), "event", Bytes.hex(ev.event()), "blockHash", ev.blockHash().hex(),
                        "eventsRoot", eventsRoot));
            } else {
                out().fields(Output.object("verified", "yes, event " + index + " of " + proof.eventCount() + " in block "
                        + height + " (" + ev.blockHash().hex() + ")", "type", e.type().name(), "job", job, "node", node,
                        "account", account, "amount", Output.tokens(e.amount()), "events root", eventsRoot));
            }
            return 0;
        }

        private EventProofView fetch() {
            try (VerityClient client = api.client()) {
                return client.eventProof(height, index);
            }
        }
    }

    /** Runs a verification; a proof that does not hold is the command's failure, naming the check. */
    static <T> T checked(Supplier<T> verification, String kind, String id) {
        try {
            return verification.get();
        } catch (ProofException e) {
            throw new CliException("PROOF_REFUSED", "the " + kind + " proof does not hold (" + e.check() + "): "
                    + e.getMessage(), Output.object("verified", false, "kind", kind, "id", id, "check", e.check().name()));
        }
    }
}
