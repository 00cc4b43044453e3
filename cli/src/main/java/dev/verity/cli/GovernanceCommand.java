package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.Pem;
import dev.verity.proofs.attestation.SevSnpVerifier;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.TeePolicyView;
import dev.verity.sdk.api.TransactionReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.Certificate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verity governance ...}: the chain's TEE policy, and the council proposals that change it. */
@Command(name = "governance", mixinStandardHelpOptions = true,
        description = {"Show the chain's TEE policy and change it by council proposals.", "",
            "A proposal carries the chain's next proposal number and the approvals (signatures) of council members: "
                    + "give the key file of each approving member with --approver, as many as the council's threshold. "
                    + "Anyone may send it: --key FILE signs the transaction (default: $VERITY_KEY, else the first approver; "
                    + "the sender's account must hold or have held funds).",
            "",
            "Revocations act at once: enclaves they cover are unregistered, and TEE jobs assigned to their nodes move to "
                    + "their next fallback mode or are cancelled and refunded in full."},
        subcommands = {GovernanceCommand.Show.class, GovernanceCommand.Revoke.class, GovernanceCommand.Reinstate.class,
            GovernanceCommand.ApproveMeasurement.class, GovernanceCommand.AddCollateral.class,
            GovernanceCommand.RemoveCollateral.class, GovernanceCommand.MinTcb.class, GovernanceCommand.ReplaceCouncil.class,
            GovernanceCommand.VerificationParams.class})
final class GovernanceCommand extends GroupCommand {
    /** Collateral files larger than this are refused before anything is read into a proposal. */
    static final long MAX_FILE = 16L << 20;

    // ------------------------------------------------------------------ show

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show the TEE policy: council, next proposal number, trusted collateral, approved measurements, "
                    + "revocations, minimum TCB versions and registered enclaves.", "",
                "With --json, the policy as GET /v1/tee returns it."})
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                TeePolicyView p = client.teePolicy();
                if (out().json()) {
                    out().printJson(p);
                    return 0;
                }
                print(p);
            }
            return 0;
        }

        private void print(TeePolicyView p) {
            Output o = out();
            TeePolicyView.CouncilView c = p.council();
            o.fields(Output.object("council", c.threshold() + " of " + c.members().size() + " members approve a proposal",
                    "next proposal", p.nextProposal()));
            for (String m : c.members()) {
                o.line("  member " + m);
            }
            o.line();
            o.line("Trusted collateral (" + p.collateral().size() + ")");
            if (!p.collateral().isEmpty()) {
                List<List<String>> rows = new ArrayList<>();
                for (TeePolicyView.CollateralView x : p.collateral()) {
                    rows.add(List.of(x.id(), x.type(), x.kind(), Integer.toString(x.bytes()),
                            x.subject() == null ? "-" : x.subject()));
                }
                o.table(List.of("ID", "TYPE", "KIND", ">BYTES", "SUBJECT"), rows);
            }
            o.line();
            o.line("Approved measurements (" + p.approvedMeasurements().size() + ")");
            if (!p.approvedMeasurements().isEmpty()) {
                List<List<String>> rows = new ArrayList<>();
                for (TeePolicyView.MeasurementView m : p.approvedMeasurements()) {
                    rows.add(List.of(m.type(), m.measurement(), m.label()));
                }
                o.table(List.of("TYPE", "MEASUREMENT", "LABEL"), rows);
            }
            o.line();
            o.line("Revocations (" + p.revocations().size() + ")");
            if (!p.revocations().isEmpty()) {
                List<List<String>> rows = new ArrayList<>();
                for (TeePolicyView.RevocationView r : p.revocations()) {
                    rows.add(List.of(Output.shortId(r.id()), Long.toString(r.height()), r.description(), r.reason()));
                }
                o.table(List.of("ID", ">SINCE", "TARGET", "REASON"), rows);
            }
            o.line();
            o.line("Minimum TCB versions (" + p.minimumTcbs().size() + ")");
            if (!p.minimumTcbs().isEmpty()) {
                List<List<String>> rows = new ArrayList<>();
                for (TeePolicyView.MinimumTcbView m : p.minimumTcbs()) {
                    rows.add(List.of(m.type(), tcb(m.components())));
                }
                o.table(List.of("TYPE", "TCB"), rows);
            }
            o.line();
            o.line("Registered enclaves (" + p.enclaves().size() + ")");
            if (!p.enclaves().isEmpty()) {
                List<List<String>> rows = new ArrayList<>();
                for (TeePolicyView.EnclaveView e : p.enclaves()) {
                    rows.add(List.of(e.enclaveKey(), Output.shortId(e.node()), e.type(), Output.shortId(e.measurement()),
                            Output.shortId(e.chipId()), tcb(e.tcb()), Long.toString(e.registeredAt())));
                }
                o.table(List.of("ENCLAVE", "NODE", "TYPE", "MEASUREMENT", "CHIP", "TCB", ">REGISTERED AT"), rows);
            }
        }

        private static String tcb(List<Integer> components) {
            return components == null || components.isEmpty() ? "-"
                    : components.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    // ------------------------------------------------------------------ proposals

    /**
     * The base of the commands that propose: {@code --approver} keys sign the proposal, {@code --key} (or the first
     * approver) sends it, and the command waits for its block and reports what it changed.
     */
    abstract static class Proposing extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Option(names = "--approver", required = true, paramLabel = "KEYFILE",
                description = "Key file of a council member approving the proposal (repeat for a multi-member council).")
        List<Path> approvers;

        @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Wait until the proposal is in a block and show what it changed (default); with --no-wait, "
                        + "return once the node holds it.")
        boolean waitForBlock;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the block (default: ${DEFAULT-VALUE} s).")
        long timeoutSeconds;

        /** The actions to propose, one proposal each, in order; checks the options (bad usage: exit 2). */
        abstract List<GovernanceAction> actions(VerityClient client);

        /** The JSON fields that describe {@code action} (besides its number, kind and approvers). */
        abstract Map<String, Object> describe(GovernanceAction action);

        /** One line saying what the proposal does. */
        abstract String summary(GovernanceAction action);

        /** Whether the output is a list of proposals (add-collateral) rather than one. */
        boolean many() {
            return false;
        }

        @Override
        protected int execute() {
            if (timeoutSeconds < 1) {
                throw usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
            }
            if (new TreeSet<>(approvers.stream().map(p -> p.toAbsolutePath().normalize()).toList()).size() != approvers.size()) {
                throw usage("an --approver key file is given twice");
            }
            try (VerityClient client = api.client()) {
                List<GovernanceAction> actions = actions(client);
                List<PrivateKey> members = approvers.stream().map(KeyFiles::load).toList();
                boolean defaultSender = !api.hasKey();
                PrivateKey sender = defaultSender ? members.get(0) : api.loadKey();
                Wallet wallet = new Wallet(client, sender);
                List<Map<String, Object>> done = new ArrayList<>();
                for (int i = 0; i < actions.size(); i++) {
                    // Each proposal needs the number after the previous one: wait for its block before the next.
                    boolean wait = waitForBlock || i < actions.size() - 1;
                    done.add(propose(client, wallet, members, actions.get(i), wait, defaultSender, done));
                }
                if (out().json()) {
                    out().printJson(many() ? Output.object("proposals", done) : done.get(0));
                }
            }
            return 0;
        }

        private Map<String, Object> propose(VerityClient client, Wallet wallet, List<PrivateKey> members,
                                            GovernanceAction action, boolean wait, boolean defaultSender,
                                            List<Map<String, Object>> before) {
            String chainId = wallet.chainId();
            long proposal = client.teePolicy().nextProposal();
            List<Approval> approvals = new ArrayList<>();
            for (PrivateKey m : members) {
                approvals.add(Wallet.approve(chainId, proposal, action, m));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("proposal", proposal);
            data.put("action", kind(action));
            data.putAll(describe(action));
            data.put("approvers", members.stream().map(k -> k.publicKey().hex()).toList());
            String summary = summary(action);
            Wallet.Sent sent;
            try {
                sent = wallet.send(new Payload.Govern(proposal, action, approvals));
            } catch (VerityApiException e) {
                if (e.httpStatus() / 100 != 4) {
                    throw e;
                }
                String hint = defaultSender && "INSUFFICIENT_FUNDS".equals(e.code())
                        ? " (the sender defaults to the first approver; give a funded account with --key FILE)" : "";
                throw new CliException(e.code(), "proposal " + proposal + " (" + summary + ") was refused: " + e.getMessage()
                        + hint, partial(before, data), e);
            }
            data.put("transaction", sent.hash().hex());
            data.put("sender", wallet.publicKey().hex());
            data.put("status", sent.receipt().status());
            out().line("proposal " + proposal + ": " + summary);
            if (!wait) {
                out().fields(Output.object("transaction", sent.hash().hex(), "status",
                        sent.receipt().status() + " (accepted by the node; see: verity governance show)"));
                return data;
            }
            TransactionReceipt r = client.awaitReceipt(sent.hash(), Duration.ofSeconds(timeoutSeconds));
            data.put("status", r.status());
            data.put("height", r.height());
            if (!"INCLUDED".equals(r.status())) {
                out().fields(Output.object("transaction", sent.hash().hex(), "status", r.status()));
                throw Transactions.refused(r, "proposal " + proposal + " (" + summary + ")", partial(before, data));
            }
            String effect = effect(client, r.height(), proposal);
            data.put("effect", effect);
            out().fields(Output.object("transaction", sent.hash().hex(), "status", r.status() + " in block " + r.height(),
                    "effect", effect));
            return data;
        }

        private Map<String, ?> partial(List<Map<String, Object>> before, Map<String, Object> failed) {
            if (!many()) {
                return failed;
            }
            List<Map<String, Object>> all = new ArrayList<>(before);
            all.add(failed);
            return Output.object("proposals", all);
        }

        /** The GOVERNANCE_APPLIED event of the proposal: what it changed, in words. */
        private static String effect(VerityClient client, long height, long proposal) {
            String prefix = "proposal " + proposal + ": ";
            try {
                for (EventView e : client.events(EventQuery.all().withFromHeight(height).withLimit(1000))) {
                    if (e.height() == height && "GOVERNANCE_APPLIED".equals(e.type()) && e.reason() != null
                            && e.reason().startsWith(prefix)) {
                        return e.reason().substring(prefix.length());
                    }
                }
            } catch (VerityApiException e) {
                // the proposal is applied all the same; only its description is missing
            }
            return null;
        }

        static String kind(GovernanceAction a) {
            return switch (a) {
                case GovernanceAction.AddCollateral x -> "ADD_COLLATERAL";
                case GovernanceAction.RemoveCollateral x -> "REMOVE_COLLATERAL";
                case GovernanceAction.ApproveMeasurement x -> "APPROVE_MEASUREMENT";
                case GovernanceAction.Revoke x -> "REVOKE";
                case GovernanceAction.Reinstate x -> "REINSTATE";
                case GovernanceAction.SetMinimumTcb x -> "SET_MINIMUM_TCB";
                case GovernanceAction.ReplaceCouncil x -> "REPLACE_COUNCIL";
                case GovernanceAction.SetVerificationParams x -> "SET_VERIFICATION_PARAMS";
            };
        }

        /** A reason or label: required, not blank, at most the encoding's limit. */
        String text(String value, String option) {
            if (value == null || value.isBlank()) {
                throw usage(option + " must not be empty");
            }
            String v = value.strip();
            if (v.getBytes(StandardCharsets.UTF_8).length > GovernanceCodec.MAX_TEXT) {
                throw usage(option + " is at most " + GovernanceCodec.MAX_TEXT + " bytes of UTF-8");
            }
            return v;
        }

        TeeType type(String value, String option) {
            String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            if (v.equals("SNP") || v.equals("SEVSNP")) {
                v = "SEV_SNP";
            }
            for (TeeType t : TeeType.values()) {
                if (t.name().equals(v)) {
                    return t;
                }
            }
            throw usage(option + ": unknown TEE type '" + value + "'; one of SEV_SNP, TDX");
        }

        byte[] hex(String value, String option, String what) {
            String v = value.strip();
            if (v.startsWith("0x") || v.startsWith("0X")) {
                v = v.substring(2);
            }
            if (v.isEmpty() || v.length() % 2 != 0) {
                throw usage(option + ": " + what + " must be an even number of hex digits, got '" + value + "'");
            }
            try {
                return HexFormat.of().parseHex(v);
            } catch (IllegalArgumentException e) {
                throw usage(option + ": " + what + " is not hex: '" + value + "'");
            }
        }

        Measurement measurement(String value, String option) {
            byte[] b = hex(value, option, "a measurement");
            if (b.length != Measurement.LENGTH) {
                throw usage(option + ": a measurement is " + Measurement.LENGTH + " bytes (" + 2 * Measurement.LENGTH
                        + " hex digits), got " + b.length + " bytes");
            }
            return new Measurement(b);
        }

        /** {@code TYPE:HEX} as given to --chip and --measurement. */
        String[] typed(String value, String option) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw usage(option + " takes TYPE:HEX, e.g. SEV_SNP:" + "ab".repeat(4) + "..., got '" + value + "'");
            }
            return new String[] {value.substring(0, colon), value.substring(colon + 1)};
        }
    }

    /** --vendor TYPE | --chip TYPE:HEX | --measurement TYPE:HEX: exactly one. */
    static final class TargetOptions {
        @Option(names = "--vendor", paramLabel = "TYPE", description = "Every enclave of a TEE type: SEV_SNP or TDX.")
        String vendor;

        @Option(names = "--chip", paramLabel = "TYPE:HEX",
                description = "One platform: its chip id in hex (SEV-SNP: the 64-byte CHIP_ID; TDX: the PCK key id).")
        String chip;

        @Option(names = "--measurement", paramLabel = "TYPE:HEX", description = "One build: its 48-byte measurement in hex.")
        String measurement;
    }

    abstract static class Targeting extends Proposing {
        @ArgGroup(exclusive = true, multiplicity = "1")
        TargetOptions target;

        RevocationTarget target() {
            if (target.vendor != null) {
                return new RevocationTarget.Vendor(type(target.vendor, "--vendor"));
            }
            if (target.chip != null) {
                String[] p = typed(target.chip, "--chip");
                byte[] id = hex(p[1], "--chip", "a chip id");
                if (id.length > 64) {
                    throw usage("--chip: a chip id is 1 to 64 bytes, got " + id.length);
                }
                return new RevocationTarget.Chip(type(p[0], "--chip"), id);
            }
            String[] p = typed(target.measurement, "--measurement");
            return new RevocationTarget.MeasurementTarget(type(p[0], "--measurement"), measurement(p[1], "--measurement"));
        }

        static Map<String, Object> describe(RevocationTarget t) {
            return switch (t) {
                case RevocationTarget.Vendor v -> Output.object("target", Output.object("kind", "VENDOR", "type", v.type().name()));
                case RevocationTarget.Chip c -> Output.object("target", Output.object("kind", "CHIP", "type", c.type().name(),
                        "chipId", HexFormat.of().formatHex(c.chipId())));
                case RevocationTarget.MeasurementTarget m -> Output.object("target", Output.object("kind", "MEASUREMENT",
                        "type", m.type().name(), "measurement", m.measurement().hex()));
            };
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revoke a vendor, a chip or a measurement.", "",
                "Enclaves it covers are unregistered at once and cannot register again; TEE jobs assigned to their nodes "
                        + "move to their next fallback mode, or are cancelled and refunded in full."})
    static final class Revoke extends Targeting {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept on chain).")
        String reason;

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            return List.of(new GovernanceAction.Revoke(target(), text(reason, "--reason")));
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            var r = (GovernanceAction.Revoke) action;
            Map<String, Object> m = describe(r.target());
            m.put("reason", r.reason());
            return m;
        }

        @Override
        String summary(GovernanceAction action) {
            return "revoke " + ((GovernanceAction.Revoke) action).target().describe();
        }
    }

    @Command(name = "reinstate", mixinStandardHelpOptions = true,
            description = {"Lift a revocation for future registrations.", "",
                "Enclaves that were unregistered stay so: their nodes must register again."})
    static final class Reinstate extends Targeting {
        @Override
        List<GovernanceAction> actions(VerityClient client) {
            return List.of(new GovernanceAction.Reinstate(target()));
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            return describe(((GovernanceAction.Reinstate) action).target());
        }

        @Override
        String summary(GovernanceAction action) {
            return "reinstate " + ((GovernanceAction.Reinstate) action).target().describe();
        }
    }

    @Command(name = "approve-measurement", mixinStandardHelpOptions = true,
            description = "Approve a build of the node software: enclaves with this measurement may register.")
    static final class ApproveMeasurement extends Proposing {
        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "SEV_SNP or TDX.")
        String type;

        @Option(names = "--measurement", required = true, paramLabel = "HEX",
                description = "The 48-byte launch measurement (SEV-SNP MEASUREMENT, TDX MRTD): 96 hex digits.")
        String measurement;

        @Option(names = "--label", required = true, paramLabel = "TEXT", description = "What the build is, e.g. 'node 0.2.0'.")
        String label;

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            return List.of(new GovernanceAction.ApproveMeasurement(type(type, "--type"), measurement(measurement, "--measurement"),
                    text(label, "--label")));
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            var m = (GovernanceAction.ApproveMeasurement) action;
            return Output.object("type", m.type().name(), "measurement", m.measurement().hex(), "label", m.label());
        }

        @Override
        String summary(GovernanceAction action) {
            var m = (GovernanceAction.ApproveMeasurement) action;
            return "approve " + m.type() + " measurement " + m.measurement().hex();
        }
    }

    @Command(name = "add-collateral", mixinStandardHelpOptions = true,
            description = {"Trust verification collateral: a root certificate, a revocation list, TCB info, a QE identity "
                    + "or a TCB signing certificate.", "",
                "Certificates may be PEM or DER: each certificate of a PEM file becomes its own proposal (DER on chain). "
                        + "A PEM revocation list is converted to DER; TCB info and QE identity are taken as they are (JSON). "
                        + "Collateral the chain trusts already is skipped. With --json the output is {\"proposals\": [...]}."})
    static final class AddCollateral extends Proposing {
        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "SEV_SNP or TDX.")
        String type;

        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "ROOT_CERTIFICATE, REVOCATION_LIST, TCB_INFO, QE_IDENTITY or TCB_SIGNING_CERTIFICATE.")
        String kind;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The collateral file.")
        Path file;

        @Override
        boolean many() {
            return true;
        }

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            TeeType t = type(type, "--type");
            CollateralKind k = kind(kind);
            List<byte[]> items = read(k);
            Set<String> trusted = client.teePolicy().collateral().stream().map(TeePolicyView.CollateralView::id)
                    .collect(Collectors.toSet());
            List<GovernanceAction> out = new ArrayList<>();
            for (byte[] data : items) {
                Collateral c = new Collateral(t, k, data);
                if (trusted.contains(c.id().hex())) {
                    out().note("skipping " + t + " " + k + " " + c.id().hex() + ": the chain trusts it already");
                } else if (out.stream().noneMatch(a -> ((GovernanceAction.AddCollateral) a).collateral().id().equals(c.id()))) {
                    out.add(new GovernanceAction.AddCollateral(c));
                }
            }
            if (out.isEmpty()) {
                throw new CliException("ALREADY_TRUSTED", "the chain trusts every " + t + " " + k + " in " + file + " already");
            }
            return out;
        }

        private CollateralKind kind(String value) {
            String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (CollateralKind k : CollateralKind.values()) {
                if (k.name().equals(v)) {
                    return k;
                }
            }
            throw usage("--kind: unknown collateral kind '" + value + "'; one of ROOT_CERTIFICATE, REVOCATION_LIST, TCB_INFO, "
                    + "QE_IDENTITY, TCB_SIGNING_CERTIFICATE");
        }

        private List<byte[]> read(CollateralKind k) {
            if (!Files.isRegularFile(file)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(file) ? file + " is not a file" : "no such file: " + file);
            }
            byte[] bytes;
            try {
                if (Files.size(file) > MAX_FILE) {
                    throw usage("--file: " + file + " is larger than " + MAX_FILE + " bytes");
                }
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException("IO_ERROR", "cannot read " + file + ": " + e.getMessage(), null, e);
            }
            if (bytes.length == 0) {
                throw usage("--file: " + file + " is empty");
            }
            String text = new String(bytes, StandardCharsets.US_ASCII);
            List<byte[]> items = new ArrayList<>();
            boolean certificate = k == CollateralKind.ROOT_CERTIFICATE || k == CollateralKind.TCB_SIGNING_CERTIFICATE;
            if (certificate) {
                if (text.contains("-----BEGIN CERTIFICATE-----")) {
                    try {
                        items.addAll(SevSnpVerifier.pemToDer(text));
                    } catch (IllegalArgumentException e) {
                        throw usage("--file: " + file + " is not valid PEM: " + e.getMessage());
                    }
                } else {
                    items.add(bytes);
                }
                for (byte[] der : items) {
                    if (!isCertificate(der)) {
                        throw usage("--file: " + file + " holds something that is not an X.509 certificate (PEM or DER)");
                    }
                }
            } else if (k == CollateralKind.REVOCATION_LIST && text.contains("-----BEGIN X509 CRL-----")) {
                try {
                    items.addAll(Pem.blocks(text, "X509 CRL"));
                } catch (IllegalArgumentException e) {
                    throw usage("--file: " + file + ": " + e.getMessage());
                }
            } else {
                items.add(bytes);
            }
            for (byte[] item : items) {
                if (item.length == 0 || item.length > GovernanceCodec.MAX_COLLATERAL_BYTES) {
                    throw usage("--file: each collateral is 1 to " + GovernanceCodec.MAX_COLLATERAL_BYTES + " bytes, got "
                            + item.length);
                }
            }
            return items;
        }

        private static boolean isCertificate(byte[] der) {
            try {
                Certificate c = Certificate.getInstance(der);
                return c != null && c.getSubject() != null;
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            Collateral c = ((GovernanceAction.AddCollateral) action).collateral();
            byte[] data = c.data();
            return Output.object("id", c.id().hex(), "type", c.type().name(), "kind", c.kind().name(),
                    "sha256", Sha256.digest(data).hex(), "subject", subject(c), "bytes", data.length);
        }

        private static String subject(Collateral c) {
            if (c.kind() != CollateralKind.ROOT_CERTIFICATE && c.kind() != CollateralKind.TCB_SIGNING_CERTIFICATE) {
                return null;
            }
            try {
                return Certificate.getInstance(c.data()).getSubject().toString();
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        String summary(GovernanceAction action) {
            Collateral c = ((GovernanceAction.AddCollateral) action).collateral();
            String subject = subject(c);
            return "trust " + c.type() + " " + c.kind() + " " + c.id().hex() + (subject == null ? "" : " (" + subject + ")");
        }
    }

    @Command(name = "remove-collateral", mixinStandardHelpOptions = true,
            description = {"Stop trusting collateral (see its id with: verity governance show).", "",
                "Removing a root certificate unregisters every enclave anchored at it."})
    static final class RemoveCollateral extends Proposing {
        @Option(names = "--id", required = true, paramLabel = "HEX", converter = Converters.Sha.class,
                description = "The collateral's id (64 hex digits).")
        Hash id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept on chain).")
        String reason;

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            return List.of(new GovernanceAction.RemoveCollateral(id, text(reason, "--reason")));
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            var r = (GovernanceAction.RemoveCollateral) action;
            return Output.object("id", r.id().hex(), "reason", r.reason());
        }

        @Override
        String summary(GovernanceAction action) {
            return "stop trusting collateral " + ((GovernanceAction.RemoveCollateral) action).id().hex();
        }
    }

    @Command(name = "verification-params", mixinStandardHelpOptions = true,
            description = {"Proposes the dispute and audit parameters; options left out keep the chain's current values.",
                "The chain refuses values under which cheating in SAMPLED mode would pay: audit probability x (slash + "
                        + "forfeited fee) must exceed the cost of computing the job, for every model with a program."})
    static final class VerificationParams extends Proposing {
        @Option(names = "--challenge-window", paramLabel = "BLOCKS", description = "Blocks an OPTIMISTIC result can be challenged.")
        Long window;

        @Option(names = "--move-deadline", paramLabel = "BLOCKS", description = "Blocks each dispute move is due in.")
        Long moveDeadline;

        @Option(names = "--challenger-bond", paramLabel = "VRT", description = "What a challenger escrows, in VRT (e.g. 100 or 0.5).")
        String bond;

        @Option(names = "--dispute-slash-bps", paramLabel = "BPS", description = "Share of the loser's stake or bond slashed (1..10000).")
        Long slashBps;

        @Option(names = "--winner-share-bps", paramLabel = "BPS", description = "Share of the slash paid to the winner (0..10000).")
        Long winnerBps;

        @Option(names = "--audit-probability-bps", paramLabel = "BPS", description = "Share of SAMPLED results audited (1..10000).")
        Long auditBps;

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            var p = client.params();
            long bondUnits;
            try {
                bondUnits = bond == null ? p.get("challengerBond").asLong() : dev.verity.sdk.Amounts.parseTokens(bond);
            } catch (IllegalArgumentException e) {
                throw usage("--challenger-bond: " + e.getMessage());
            }
            return List.of(new GovernanceAction.SetVerificationParams(
                    or(window, p, "challengeWindowBlocks"), or(moveDeadline, p, "moveDeadlineBlocks"), bondUnits,
                    or(slashBps, p, "disputeSlashBps"), or(winnerBps, p, "winnerShareBps"), or(auditBps, p, "auditProbabilityBps")));
        }

        @Override
        String summary(GovernanceAction action) {
            var v = (GovernanceAction.SetVerificationParams) action;
            return "set the challenge window to " + v.challengeWindowBlocks() + " blocks and the audit probability to "
                    + v.auditProbabilityBps() + " bps";
        }

        private static long or(Long value, com.fasterxml.jackson.databind.JsonNode params, String name) {
            return value != null ? value : params.get(name).asLong();
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            var v = (GovernanceAction.SetVerificationParams) action;
            return Output.object("challengeWindowBlocks", v.challengeWindowBlocks(), "moveDeadlineBlocks", v.moveDeadlineBlocks(),
                    "challengerBond", v.challengerBond(), "disputeSlashBps", v.disputeSlashBps(), "winnerShareBps",
                    v.winnerShareBps(), "auditProbabilityBps", v.auditProbabilityBps());
        }
    }

    @Command(name = "min-tcb", mixinStandardHelpOptions = true,
            description = {"Set the lowest TCB version accepted for a TEE type.", "",
                "Enclaves registered below it are unregistered at once. SEV-SNP components: FMC, bootloader, TEE, SNP "
                        + "firmware, microcode (e.g. 0,3,0,8,115); TDX: the 16 bytes of TEE_TCB_SVN."})
    static final class MinTcb extends Proposing {
        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "SEV_SNP or TDX.")
        String type;

        @Option(names = "--tcb", required = true, paramLabel = "N,N,...",
                description = "Security version numbers (0 to 255), comma-separated, in the type's order.")
        String tcb;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept on chain).")
        String reason;

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            return List.of(new GovernanceAction.SetMinimumTcb(type(type, "--type"), parseTcb(), text(reason, "--reason")));
        }

        private TcbVersion parseTcb() {
            List<Integer> components = new ArrayList<>();
            for (String part : tcb.split(",", -1)) {
                int v;
                try {
                    v = Integer.parseInt(part.strip());
                } catch (NumberFormatException e) {
                    throw usage("--tcb takes comma-separated numbers 0 to 255, e.g. 0,3,0,8,115; got '" + tcb + "'");
                }
                if (v < 0 || v > 255) {
                    throw usage("--tcb: each component is 0 to 255, got " + v);
                }
                components.add(v);
            }
            if (components.size() > TcbVersion.MAX_COMPONENTS) {
                throw usage("--tcb: at most " + TcbVersion.MAX_COMPONENTS + " components, got " + components.size());
            }
            return new TcbVersion(components);
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            var s = (GovernanceAction.SetMinimumTcb) action;
            return Output.object("type", s.type().name(), "tcb", s.minimum().components(), "reason", s.reason());
        }

        @Override
        String summary(GovernanceAction action) {
            var s = (GovernanceAction.SetMinimumTcb) action;
            return "set the minimum " + s.type() + " TCB to " + s.minimum();
        }
    }

    @Command(name = "replace-council", mixinStandardHelpOptions = true,
            description = {"Hand governance to a new council: any --threshold of the --member keys approve later proposals.", "",
                "The current council approves this (with --approver); afterwards only the new one can govern."})
    static final class ReplaceCouncil extends Proposing {
        @Option(names = "--member", required = true, split = ",", paramLabel = "HEX", converter = Converters.Key.class,
                description = "A member's public key, 64 hex digits (repeat, or separate with commas).")
        List<PublicKey> members;

        @Option(names = "--threshold", required = true, paramLabel = "N", description = "How many members must approve.")
        int threshold;

        @Override
        List<GovernanceAction> actions(VerityClient client) {
            Council council;
            try {
                council = new Council(members, threshold);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            return List.of(new GovernanceAction.ReplaceCouncil(council));
        }

        @Override
        Map<String, Object> describe(GovernanceAction action) {
            Council c = ((GovernanceAction.ReplaceCouncil) action).council();
            return Output.object("members", c.members().stream().map(PublicKey::hex).toList(), "threshold", c.threshold());
        }

        @Override
        String summary(GovernanceAction action) {
            Council c = ((GovernanceAction.ReplaceCouncil) action).council();
            return "hand governance to a council of " + c.members().size() + " (threshold " + c.threshold() + ")";
        }
    }
}
