package dev.verity.cli;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.VerityClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verity transfer --to ID --amount TOKENS [--wait]}. */
@Command(name = "transfer", mixinStandardHelpOptions = true, description = "Send tokens to another account.")
final class TransferCommand extends BaseCommand {
    @Mixin
    ApiOptions api;

    @Mixin
    Transactions.WaitOptions waitOptions;

    @Option(names = "--to", required = true, paramLabel = "ID", converter = Converters.Key.class,
            description = "The receiving account (public key, 64 hex characters).")
    PublicKey to;

    @Option(names = "--amount", required = true, paramLabel = "TOKENS", converter = Converters.Tokens.class,
            description = "How much, in VRT (e.g. 1.5).")
    long amount;

    @Override
    protected int execute() {
        PrivateKey key = api.loadKey();
        try (VerityClient client = api.client()) {
            return Transactions.send(out(), client, key, new Payload.Transfer(to, amount), waitOptions,
                    "transfer of " + Output.tokens(amount) + " to " + to.hex(),
                    Output.object("to", to.hex(), "amount", amount));
        }
    }
}
