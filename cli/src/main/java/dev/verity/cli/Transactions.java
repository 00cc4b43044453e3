package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.TransactionReceipt;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Signing, submitting and (with --wait) waiting for a transaction's block, the same way for every signing command. */
final class Transactions {
    private Transactions() {}

    /** {@code --wait} and {@code --timeout}, shared by the signing commands. */
    static final class WaitOptions {
        @Option(names = "--wait", description = "Wait until the transaction is in a block; exit 1 if it is refused.")
        boolean wait;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long --wait waits (default: ${DEFAULT-VALUE} s).")
        long timeoutSeconds;

        Duration timeout() {
            if (timeoutSeconds <= 0) {
                throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + timeoutSeconds);
            }
            return Duration.ofSeconds(timeoutSeconds);
        }
    }

    /**
     * Signs {@code payload} with {@code key}, submits it, prints the transaction hash and, with --wait, waits for
     * the receipt. {@code extra} (may be empty) goes into the output before the transaction fields. Returns the
     * exit code; a refused transaction throws {@link CliException} (exit 1).
     */
    static int send(Output out, VerityClient client, PrivateKey key, Payload payload, WaitOptions w, String what,
                    Map<String, ?> extra) {
        Wallet wallet = new Wallet(client, key);
        Wallet.Sent sent = wallet.send(payload);
        Map<String, Object> data = new LinkedHashMap<>(extra);
        data.put("transaction", sent.hash().hex());
        data.put("sender", key.publicKey().hex());
        data.put("status", sent.receipt().status());
        out.line(what);
        if (!w.wait) {
            if (out.json()) {
                out.printJson(data);
            } else {
                out.fields(Output.object("transaction", sent.hash().hex(), "status",
                        sent.receipt().status() + " (accepted by the node; add --wait to wait for its block)"));
            }
            return 0;
        }
        TransactionReceipt r = await(out, client, sent.hash(), w.timeout(), data);
        if (out.json()) {
            out.printJson(data);
        } else {
            out.fields(Output.object("transaction", sent.hash().hex(), "status", r.status() + " in block " + r.height()));
        }
        return 0;
    }

    /**
     * Waits for the transaction's block; puts status and height into {@code data}. When the block refused it, throws
     * {@link #refused} with the receipt's reject code and message.
     */
    static TransactionReceipt await(Output out, VerityClient client, Hash tx, Duration timeout, Map<String, Object> data) {
        TransactionReceipt r = client.awaitReceipt(tx, timeout);
        data.put("status", r.status());
        data.put("height", r.height());
        if (r.refused()) {
            if (!out.json()) {
                out.fields(Output.object("transaction", tx.hex(), "status", "REFUSED"));
            }
            throw refused(r, "transaction " + tx.hex(), data);
        }
        return r;
    }

    /**
     * A refused receipt as the CLI's error: its reject code is the error's {@code code} (with {@code --json}, beside
     * {@code status} REFUSED), and the message names {@code what} was refused and the ledger's message.
     */
    static CliException refused(TransactionReceipt r, String what, Map<String, ?> data) {
        return new CliException(r.code() != null ? r.code() : "REFUSED", what + " was refused: " + r.message(), data);
    }
}
