package dev.verity.cli;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ValidatorSetChange;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity job receipt ID [--out FILE]}: fetch a job's receipt, write it to a file, summarize it. */
@Command(name = "receipt", mixinStandardHelpOptions = true,
        description = {"Fetch the job's receipt: its events with their Merkle paths, the headers of their blocks and the "
                + "finality certificates of the validators that signed them, as one binary file anyone can check offline.",
            "It is written to FILE and summarized, not verified: check it with 'verity receipt verify FILE'."})
final class JobReceiptCommand extends BaseCommand {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", converter = Converters.Sha.class, description = "The job id (64 hex characters).")
    Hash id;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the receipt (default: ID.receipt here).")
    Path out;

    @Override
    protected int execute() throws IOException {
        byte[] bytes;
        List<ValidatorSet> knownSets = new ArrayList<>();
        try (VerityClient client = api.client()) {
            bytes = client.jobReceiptBytes(id);
            knownSet(client, knownSets);
        }
        JobReceipt receipt;
        try {
            receipt = JobReceipt.decode(bytes);
        } catch (DecodingException e) {
            throw new CliException("BAD_RESPONSE", "the node at " + api.api + " sent a receipt that does not decode: "
                    + e.getMessage());
        }
        if (!receipt.jobId().equals(id)) {
            throw new CliException("BAD_RESPONSE", "the node at " + api.api + " sent the receipt of job " + receipt.jobId().hex()
                    + ", not of job " + id.hex());
        }
        Path file = out != null ? out : Path.of(id.hex() + ".receipt");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes);

        for (ValidatorSetChange c : receipt.setChanges()) {
            knownSets.add(c.set());
        }
        List<Map<String, Object>> blocks = ReceiptSummary.blocks(receipt, knownSets);
        if (out().json()) {
            out().printJson(Output.object("job", id.hex(), "chainId", receipt.chainId(), "path", file.toString(), "bytes",
                    bytes.length, "verified", false, "blocks", blocks, "setChanges", ReceiptSummary.setChanges(receipt)));
        } else {
            out().fields(Output.object("job", id.hex(), "chain", receipt.chainId(), "written", file + " (" + bytes.length
                    + " bytes)", "blocks", blocks.size(), "events", receipt.eventCount(), "set changes",
                    receipt.setChanges().size()));
            out().line();
            out().table(ReceiptSummary.EVENT_HEADERS, ReceiptSummary.eventRows(blocks));
            out().line();
            out().line("Not verified here. Check it with: verity receipt verify " + file);
        }
        return 0;
    }

    /** The node's current set, to show the signers' stake where a vote names it; nothing when the node has none to give. */
    private static void knownSet(VerityClient client, List<ValidatorSet> sets) {
        try {
            sets.add(client.trustedValidators().set());
        } catch (VerityApiException e) {
            // only the stake column needs it
        }
    }
}
