package dev.verity.cli;

import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.receipt.TrustFile;
import dev.verity.sdk.receipt.TrustFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity receipt verify FILE [--trust FILE]}. */
@Command(name = "receipt", mixinStandardHelpOptions = true, description = "Check job receipts.",
        subcommands = {ReceiptCommand.Verify.class})
final class ReceiptCommand extends GroupCommand {
    /** Larger than any receipt a chain serves (1024 blocks of events); a bigger file is not one. */
    static final long MAX_RECEIPT_BYTES = 64L << 20;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a job receipt (from 'verity job receipt') here: every event's Merkle path to its block's "
                    + "events root, every block's finality certificate (validators holding more than two thirds of the "
                    + "stake), and every validator-set change from the trusted set to the ones that signed.",
                "With --trust FILE (from 'verity validators --json > FILE') the check is offline. Without it, the "
                        + "validator set is fetched from --api and trusted on first use. Exit 1 naming the check that "
                        + "failed."})
    static final class Verify extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "FILE", description = "The receipt file.")
        Path file;

        @Option(names = "--trust", paramLabel = "FILE",
                description = "A trust file: the validator set to check against (JSON of 'verity validators --json').")
        Path trust;

        @Override
        protected int execute() {
            byte[] bytes = read(file);
            TrustedValidators trusted;
            Map<String, Object> trustInfo;
            if (trust != null) {
                try {
                    trusted = TrustFile.read(trust);
                } catch (TrustFileException e) {
                    throw new CliException("TRUST_FILE", e.getMessage(), null, e);
                }
                trustInfo = ReceiptSummary.trust(trusted, trust.toString(), false);
            } else {
                try (VerityClient client = api.client()) {
                    trusted = client.trustedValidators();
                    trustInfo = ReceiptSummary.trust(trusted, client.baseUrl().toString(), true);
                }
            }
            ReceiptVerification v = ReceiptVerifier.verify(bytes, trusted);
            String job = ReceiptSummary.hex(v.job());
            if (!v.valid()) {
                throw new CliException("RECEIPT_REFUSED", "the receipt does not hold (" + v.failed() + "): " + v.reason(),
                        Output.object("valid", false, "check", v.failed().name(), "reason", v.reason(), "job", job,
                                "chainId", v.chainId(), "file", file.toString(), "trust", trustInfo));
            }
            List<Map<String, Object>> blocks = ReceiptSummary.blocks(v);
            if (out().json()) {
                out().printJson(Output.object("valid", true, "check", null, "reason", null, "job", job, "chainId", v.chainId(),
                        "file", file.toString(), "trust", trustInfo, "blocks", blocks, "events", v.events().size(),
                        "setChanges", ReceiptSummary.setChanges(v), "skippedSetChanges", v.skippedSetChanges()));
            } else {
                boolean firstUse = (Boolean) trustInfo.get("trustedOnFirstUse");
                out().fields(Output.object("valid", "yes: " + count(v.events().size(), "event") + " of the job in "
                                + count(blocks.size(), "final block") + " of chain " + v.chainId(), "job", job,
                        "trusted set", trusted.setHash().hex() + " (" + trusted.set().members().size() + " validators, height "
                                + trusted.fromHeight() + ")",
                        "trusted from", firstUse ? "fetched from the validator at " + trustInfo.get("source")
                                + " (trusted on first use)" : "the trust file " + trust,
                        "set changes", v.setChanges().size() + " followed" + (v.skippedSetChanges() == 0 ? ""
                                : ", " + v.skippedSetChanges() + " before the trusted set passed over")));
                out().line();
                out().table(ReceiptSummary.EVENT_HEADERS, ReceiptSummary.eventRows(blocks));
                if (firstUse) {
                    out().line();
                    out().line("To check later receipts offline against this set: verity validators --json > trust.json, "
                            + "then --trust trust.json");
                }
            }
            return 0;
        }

        private static String count(int n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }

        private static byte[] read(Path file) {
            try {
                if (!Files.isRegularFile(file)) {
                    throw new CliException("NO_SUCH_FILE", Files.exists(file) ? file + " is not a file" : "no such file: " + file);
                }
                if (Files.size(file) > MAX_RECEIPT_BYTES) {
                    throw new CliException("RECEIPT_REFUSED", file + " is " + Files.size(file) + " bytes, larger than any receipt");
                }
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new CliException("NO_SUCH_FILE", "no such file: " + file);
            } catch (IOException e) {
                throw new CliException("IO_ERROR", "cannot read " + file + ": " + e.getMessage());
            }
        }
    }
}
