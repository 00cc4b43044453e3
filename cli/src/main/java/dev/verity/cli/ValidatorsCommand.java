package dev.verity.cli;

import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.ValidatorsView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code verity validators}: the active validator set; its {@code --json} is a trust file. */
@Command(name = "validators", mixinStandardHelpOptions = true,
        description = {"Show the chain's active validator set: who signs blocks, with what stake, where they are.",
            "With --json it prints a trust file: 'verity validators --json > trust.json' keeps the set to check receipts "
                    + "against offline ('verity receipt verify FILE --trust trust.json'). Trusting it is trusting the node "
                    + "asked; ask one you trust."})
final class ValidatorsCommand extends BaseCommand {
    @Mixin
    ApiOptions api;

    @Override
    protected int execute() {
        TrustedValidators trusted;
        try (VerityClient client = api.client()) {
            trusted = client.trustedValidators();
        }
        if (out().json()) {
            out().printJson(ValidatorsView.of(trusted));
            return 0;
        }
        out().fields(Output.object("chain", trusted.chainId(), "height", trusted.fromHeight() + " (the set signs the blocks "
                + "after it)", "set hash", trusted.setHash().hex(), "validators", trusted.set().members().size(),
                "total stake", Output.tokens(trusted.set().totalStake())));
        out().line();
        List<List<String>> rows = new ArrayList<>();
        for (ValidatorInfo v : trusted.set().members()) {
            rows.add(List.of(v.key().hex(), Output.tokens(v.stake()), v.peerAddress().isEmpty() ? "-" : v.peerAddress(),
                    v.apiUrl().isEmpty() ? "-" : v.apiUrl()));
        }
        out().table(List.of("KEY", ">STAKE", "PEER", "API"), rows);
        return 0;
    }
}
