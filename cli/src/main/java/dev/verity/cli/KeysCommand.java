package dev.verity.cli;

import dev.verity.core.PrivateKey;
import dev.verity.sdk.KeyFiles;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity keys new|show}: Ed25519 key files. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create and show key files (Ed25519).",
        subcommands = {KeysCommand.New.class, KeysCommand.Show.class})
final class KeysCommand extends GroupCommand {

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Create a new key.", "",
                "With --out, writes it to a key file (never overwriting one) and prints its public key (the account "
                        + "and node id); without --out, prints the public key and the secret seed."})
    static final class New extends BaseCommand {
        @Option(names = "--out", paramLabel = "FILE", description = "Write the key to this new file (owner-readable only).")
        Path file;

        @Override
        protected int execute() {
            PrivateKey key = KeyFiles.generate();
            String pub = key.publicKey().hex();
            if (file != null) {
                KeyFiles.save(file, key);
                if (out().json()) {
                    out().printJson(Output.object("publicKey", pub, "file", file.toAbsolutePath().toString()));
                } else {
                    out().fields(Output.object("public key", pub, "key file", file.toAbsolutePath()));
                }
            } else if (out().json()) {
                out().printJson(Output.object("publicKey", pub, "seed", key.seedHex()));
            } else {
                out().fields(Output.object("public key", pub, "seed", key.seedHex()));
                out().note("the seed is the secret key: keep it private (use --out FILE to save it in a key file instead)");
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the public key of a key file (not its secret).")
    static final class Show extends BaseCommand {
        @Parameters(paramLabel = "FILE", description = "The key file.")
        Path file;

        @Override
        protected int execute() {
            PrivateKey key = KeyFiles.load(file);
            if (out().json()) {
                out().printJson(Output.object("publicKey", key.publicKey().hex(), "file", file.toAbsolutePath().toString()));
            } else {
                out().fields(Output.object("public key", key.publicKey().hex(), "key file", file.toAbsolutePath()));
            }
            return 0;
        }
    }
}
