package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.tx.Hardware;
import dev.verity.ledger.tx.Payload;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.NodeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity node ...}: compute node registration, stake and listing. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Register and manage compute nodes; list them.",
        subcommands = {NodeCommand.Register.class, NodeCommand.Bond.class, NodeCommand.Unbond.class, NodeCommand.Withdraw.class,
            NodeCommand.Unjail.class, NodeCommand.ListNodes.class, NodeCommand.Show.class})
final class NodeCommand extends GroupCommand {

    /** The base of the node's signing commands. */
    abstract static class Signing extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Mixin
        Transactions.WaitOptions waitOptions;

        int send(Payload payload, String what, Map<String, ?> extra) {
            PrivateKey key = api.loadKey();
            try (VerityClient client = api.client()) {
                return Transactions.send(out(), client, key, payload, waitOptions, what, extra);
            }
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register the account of --key as a compute node.", "",
                "Stakes tokens from its balance. Without --gpu/--cpu, declares this machine's CPUs."})
    static final class Register extends Signing {
        @Option(names = "--stake", required = true, paramLabel = "TOKENS", converter = Converters.Tokens.class,
                description = "Stake to lock, in VRT (at least the chain's minStake; see verity params).")
        long stake;

        @Option(names = "--model", required = true, paramLabel = "HASH", converter = Converters.Sha.class,
                description = "A model the node serves (repeat for more).")
        List<Hash> models;

        @Option(names = "--mode", split = ",", paramLabel = "MODE", converter = Converters.Mode.class, defaultValue = "NONE",
                description = "Verification modes the node offers, e.g. NONE or NONE,TEE (default: ${DEFAULT-VALUE}).")
        List<VerificationMode> modes;

        @Option(names = "--gpu", paramLabel = "NAME", description = "GPU model, e.g. 'NVIDIA H100'.")
        String gpu;

        @Option(names = "--gpu-count", paramLabel = "N", description = "Number of GPUs (default: 1 with --gpu).")
        Integer gpuCount;

        @Option(names = "--cpu", paramLabel = "NAME", description = "CPU model.")
        String cpu;

        @Option(names = "--cpu-count", paramLabel = "N", description = "Number of CPU cores.")
        Integer cpuCount;

        @Override
        protected int execute() {
            Hardware hw = hardware();
            List<String> modeNames = modes.stream().map(Enum::name).toList();
            return send(new Payload.RegisterNode(stake, List.copyOf(models), List.copyOf(modes), hw),
                    "register node with stake " + Output.tokens(stake) + ", modes " + String.join(",", modeNames),
                    Output.object("stake", stake, "models", models.stream().map(Hash::hex).toList(), "modes", modeNames,
                            "hardware", hw));
        }

        private Hardware hardware() {
            boolean anyGpu = gpu != null || gpuCount != null;
            boolean anyCpu = cpu != null || cpuCount != null;
            String local = System.getProperty("os.arch") + " CPU";
            if (!anyGpu && !anyCpu) {
                return Hardware.cpuOnly(local, Runtime.getRuntime().availableProcessors());
            }
            String gpuName = gpu == null ? (anyGpu ? "GPU" : "") : gpu;
            int gpus = gpuCount != null ? gpuCount : (gpu != null ? 1 : 0);
            String cpuName = cpu == null ? (anyCpu ? local : "") : cpu;
            int cpus = cpuCount != null ? cpuCount : (cpu != null ? 1 : 0);
            if (gpus < 0 || cpus < 0) {
                throw usage("--gpu-count and --cpu-count must not be negative");
            }
            if (gpuName.length() > Hardware.MAX_NAME_LENGTH || cpuName.length() > Hardware.MAX_NAME_LENGTH) {
                throw usage("hardware names are at most " + Hardware.MAX_NAME_LENGTH + " characters");
            }
            return new Hardware(gpuName, gpus, cpuName, cpus);
        }
    }

    @Command(name = "bond", mixinStandardHelpOptions = true, description = "Add stake to the node of --key.")
    static final class Bond extends Signing {
        @Option(names = "--amount", required = true, paramLabel = "TOKENS", converter = Converters.Tokens.class,
                description = "How much to bond, in VRT.")
        long amount;

        @Override
        protected int execute() {
            return send(new Payload.Bond(amount), "bond " + Output.tokens(amount), Output.object("amount", amount));
        }
    }

    @Command(name = "unbond", mixinStandardHelpOptions = true,
            description = "Start unbonding stake; withdraw it after the chain's unbondingBlocks.")
    static final class Unbond extends Signing {
        @Option(names = "--amount", required = true, paramLabel = "TOKENS", converter = Converters.Tokens.class,
                description = "How much to unbond, in VRT.")
        long amount;

        @Override
        protected int execute() {
            return send(new Payload.Unbond(amount), "unbond " + Output.tokens(amount), Output.object("amount", amount));
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Move matured unbonded stake back to the balance.")
    static final class Withdraw extends Signing {
        @Override
        protected int execute() {
            return send(new Payload.Withdraw(), "withdraw matured unbonded stake", Map.of());
        }
    }

    @Command(name = "unjail", mixinStandardHelpOptions = true, description = "Return a jailed node to service once its jail has ended.")
    static final class Unjail extends Signing {
        @Override
        protected int execute() {
            return send(new Payload.Unjail(), "unjail", Map.of());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered compute nodes.")
    static final class ListNodes extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                List<NodeView> nodes = client.nodes();
                if (out().json()) {
                    out().printJson(nodes);
                    return 0;
                }
                if (nodes.isEmpty()) {
                    out().line("no compute nodes registered");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (NodeView n : nodes) {
                    rows.add(List.of(n.id(), n.status(), String.join(",", n.modes()), Output.tokens(n.stake()),
                            Output.tokens(n.earned()), Output.tokens(n.penalized()), Long.toString(n.jobsCompleted()),
                            Integer.toString(n.models().size())));
                }
                out().table(List.of("NODE", "STATUS", "MODES", ">STAKE", ">EARNED", ">PENALIZED", ">JOBS", ">MODELS"), rows);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one compute node.")
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "ID", converter = Converters.Key.class, description = "The node id (its public key).")
        PublicKey id;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                NodeView n = client.node(id);
                if (out().json()) {
                    out().printJson(n);
                    return 0;
                }
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("node", n.id());
                f.put("status", n.status() + (n.jailedUntil() > 0 && "JAILED".equals(n.status()) ? " until block " + n.jailedUntil() : ""));
                f.put("stake", Output.tokens(n.stake()));
                f.put("modes", String.join(", ", n.modes()));
                f.put("models", String.join(", ", n.models()));
                f.put("hardware", hardware(n));
                f.put("enclave key", n.enclaveKey());
                f.put("registered at", "block " + n.registeredAt());
                f.put("jobs completed", n.jobsCompleted());
                f.put("earned", Output.tokens(n.earned()));
                f.put("penalized", Output.tokens(n.penalized()));
                f.put("missed deadlines", n.missedDeadlines());
                List<String> unbonding = new ArrayList<>();
                if (n.unbonding() != null) {
                    for (NodeView.UnbondingView u : n.unbonding()) {
                        unbonding.add(Output.tokens(u.amount()) + " at block " + u.releaseHeight());
                    }
                }
                f.put("unbonding", unbonding.isEmpty() ? "none" : String.join(", ", unbonding));
                out().fields(f);
            }
            return 0;
        }

        private static String hardware(NodeView n) {
            List<String> parts = new ArrayList<>();
            if (n.gpuCount() > 0) {
                parts.add(n.gpuCount() + " x " + n.gpuModel());
            }
            if (n.cpuCount() > 0) {
                parts.add(n.cpuCount() + " x " + n.cpuModel());
            }
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        }
    }
}
