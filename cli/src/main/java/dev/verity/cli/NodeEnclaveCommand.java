package dev.verity.cli;

import dev.verity.compute.ComputeNodeProgram;
import dev.verity.compute.tee.Enclave;
import dev.verity.core.PrivateKey;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.VerityClient;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verity node enclave ...}: the node's enclave by hand. */
@Command(name = "enclave", mixinStandardHelpOptions = true, description = "The node's enclave (TEE).",
        subcommands = {NodeEnclaveCommand.Register.class})
final class NodeEnclaveCommand extends GroupCommand {

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register this confidential VM's enclave for the node of --key.", "",
                "Collects fresh attestation evidence through configfs-tsm (--tee tsm) whose report data binds the enclave key "
                        + "(kept in --state-dir, the same folder `verity node run` uses) to the node and chain, and sends "
                        + "RegisterEnclave. `verity node run --tee tsm` does the same at every start."})
    static final class Register extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Mixin
        Transactions.WaitOptions waitOptions;

        @Mixin
        EnclaveOptions enclave;

        @Option(names = "--state-dir", paramLabel = "DIR", required = true,
                description = "The node's state folder, where the enclave key is kept (as given to verity node run).")
        Path stateDir;

        @Override
        protected int execute() {
            if (!enclave.given()) {
                throw usage("say where the enclave is: --tee tsm (or --dev-enclave DIR on the devnet)");
            }
            ComputeNodeProgram.EnclaveLauncher launcher;
            try {
                launcher = enclave.launcher(stateDir);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            PrivateKey key = api.loadKey();
            try (VerityClient client = api.client()) {
                Enclave e;
                try {
                    e = launcher.launch(client.status().chainId(), key.publicKey());
                } catch (RuntimeException failure) {
                    throw new CliException("NO_ENCLAVE", failure.getMessage());
                }
                return Transactions.send(out(), client, key, new Payload.RegisterEnclave(e.publicKey(), e.attestation()),
                        waitOptions, "register enclave " + e.publicKey().hex(),
                        Output.object("enclave", e.publicKey().hex(), "measurement", e.measurement().hex()));
            }
        }
    }
}
