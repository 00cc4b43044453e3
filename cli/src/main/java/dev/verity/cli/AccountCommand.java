package dev.verity.cli;

import dev.verity.core.PublicKey;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.AccountView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code verity account balance [ID]}. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Show accounts.",
        subcommands = {AccountCommand.Balance.class})
final class AccountCommand extends GroupCommand {

    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = "Show an account's balance and nonce (default: the account of --key).")
    static final class Balance extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "ID", arity = "0..1", converter = Converters.Key.class,
                description = "The account (public key, 64 hex characters).")
        PublicKey id;

        @Override
        protected int execute() {
            PublicKey account = id;
            if (account == null) {
                if (!api.hasKey()) {
                    throw usage("give an account ID, or --key FILE (or set VERITY_KEY) for your own account");
                }
                account = KeyFiles.load(api.key).publicKey();
            }
            try (VerityClient client = api.client()) {
                AccountView a = client.account(account);
                if (out().json()) {
                    out().printJson(a);
                } else {
                    out().fields(Output.object("account", a.id(), "balance", Output.tokens(a.balance()), "nonce", a.nonce(),
                            "next nonce", a.nextNonce()));
                }
            }
            return 0;
        }
    }
}
