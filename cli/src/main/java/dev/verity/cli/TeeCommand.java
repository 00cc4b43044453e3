package dev.verity.cli;

import dev.verity.proofs.attestation.Pem;
import dev.verity.proofs.attestation.SevSnpReport;
import dev.verity.proofs.attestation.SevSnpTcb;
import dev.verity.proofs.attestation.SevSnpVerifier;
import dev.verity.proofs.attestation.TdxCollateral;
import dev.verity.proofs.attestation.TdxQuote;
import dev.verity.proofs.attestation.TdxVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity tee verify}: check AMD SEV-SNP reports and Intel TDX quotes offline. */
@Command(name = "tee", mixinStandardHelpOptions = true,
        description = "Verify trusted-execution (TEE) attestation evidence offline.",
        subcommands = {TeeCommand.Verify.class})
final class TeeCommand extends GroupCommand {

    /** Collateral files larger than this are skipped (certificates and CRLs are far smaller). */
    static final long MAX_COLLATERAL_FILE = 16L << 20;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify an AMD SEV-SNP attestation report or an Intel TDX quote against certificates on disk.", "",
                "The format is detected from the file: a 1184-byte SEV-SNP report (version 2 or 3), or a TDX quote "
                        + "(version 4 or 5, ECDSA-P256 attestation key, TEE type 0x81).",
                "",
                "The collateral folder holds certificates (PEM or DER; a PEM file may hold several) and CRLs (DER or "
                        + "PEM). SEV-SNP: the VCEK is found among the certificates, the rest are ASK/ARK candidates. TDX: "
                        + "a self-signed certificate in the folder is the trusted root (Intel's SGX root CA), and every "
                        + "CRL found is checked (without CRLs there is no revocation check). With Intel's TCB info and QE "
                        + "identity (the JSON PCS serves) and the TCB signing certificate (issued by the root, CN \"Intel "
                        + "SGX TCB Signing\") in the folder, the TCB status is evaluated too.",
                "",
                "Trust comes from the collateral: only use certificates taken from the vendor (AMD KDS, Intel PCS).",
                "",
                "Exit codes: 0 the evidence verifies, 1 it does not (or the file is neither format), 2 bad usage."})
    static final class Verify extends BaseCommand {
        @Parameters(paramLabel = "FILE", description = "The SEV-SNP attestation report or TDX quote.")
        Path file;

        @Option(names = "--collateral", paramLabel = "DIR",
                description = "Folder of certificates and CRLs (default: the folder of FILE).")
        Path collateral;

        @Option(names = "--at", paramLabel = "ISO-8601-TIME",
                description = "Check certificate validity at this time, e.g. 2023-06-01T00:00:00Z (default: now).")
        String at;

        // `valid` means authentic; judging the guest policy is the ledger's job, so debug is refused only on request.
        @Option(names = "--refuse-debug",
                description = "SEV-SNP: also refuse a guest whose policy allows debugging (as the ledger does).")
        boolean refuseDebug;

        @Override
        protected int execute() throws IOException {
            Instant time;
            try {
                time = at == null ? Instant.now() : Instant.parse(at.strip());
            } catch (DateTimeParseException e) {
                throw usage("--at: not an ISO-8601 instant (like 2023-06-01T00:00:00Z): '" + at + "'");
            }
            if (!Files.isRegularFile(file)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(file) ? file + " is not a file" : "no such file: " + file);
            }
            Path dir = collateral != null ? collateral : file.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new CliException("NO_SUCH_DIRECTORY", "collateral folder " + dir + " is not a directory");
            }
            byte[] evidence = Files.readAllBytes(file);
            String type = detect(evidence);
            if (type == null) {
                throw new CliException("UNKNOWN_FORMAT", file + " is neither an AMD SEV-SNP report nor an Intel TDX quote");
            }
            Collateral c = Collateral.read(dir, file);
            Map<String, Object> doc = type.equals("SEV_SNP")
                    ? verifySevSnp(evidence, c, time.getEpochSecond())
                    : verifyTdx(evidence, c, time.getEpochSecond());
            boolean valid = Boolean.TRUE.equals(doc.get("valid"));
            if (out().json()) {
                out().printJson(doc);
            } else {
                Object tcb = doc.get("tcb");
                if (tcb instanceof Map<?, ?> m && "TDX".equals(doc.get("type"))) {
                    tcb = "status " + m.get("status") + " (platform " + m.get("platformStatus") + ", QE " + m.get("qeStatus")
                            + "), fmspc " + m.get("fmspc") + ", TEE_TCB_SVN " + m.get("teeTcbSvn");
                } else if (tcb instanceof Map<?, ?> m) {
                    tcb = "bootloader " + m.get("bootloader") + ", tee " + m.get("tee") + ", snp " + m.get("snp")
                            + ", microcode " + m.get("microcode");
                }
                out().fields(Output.object("type", doc.get("type"), "valid", doc.get("valid"),
                        "measurement", doc.get("measurement"), "reportData", doc.get("reportData"), "tcb", tcb,
                        "reason", doc.get("reason"), "checked at", time.toString(), "collateral", dir.toString()));
            }
            return valid ? 0 : 1;
        }

        private Map<String, Object> verifySevSnp(byte[] report, Collateral c, long time) {
            if (c.certs.isEmpty()) {
                return result("SEV_SNP", false, null, null, null, "no certificates in the collateral folder");
            }
            SevSnpVerifier.Result best = null;
            int bestRank = -1;
            for (int i = 0; i < c.certs.size(); i++) {
                List<byte[]> others = new ArrayList<>(c.certs);
                byte[] vcek = others.remove(i);
                SevSnpVerifier.Result r = SevSnpVerifier.verify(report, vcek, others, time, !refuseDebug);
                int rank = r.valid() ? 3 : rank(r.reason());
                if (rank > bestRank) {
                    best = r;
                    bestRank = rank;
                }
                if (r.valid()) {
                    break;
                }
            }
            if (bestRank == 0) {
                return result("SEV_SNP", false, null, null, null, "no certificate in the collateral folder is the VCEK "
                        + "that signed the report (" + best.reason() + ")");
            }
            Map<String, Object> tcb = null;
            SevSnpTcb t = best.reportedTcb();
            if (t != null) {
                tcb = Output.object("bootloader", t.bootloader(), "tee", t.tee(), "snp", t.snp(), "microcode", t.microcode());
            }
            return result("SEV_SNP", best.valid(), hex(best.measurement()), hex(best.reportData()), tcb,
                    best.valid() ? null : best.reason());
        }

        /** How far a failed check with this certificate as VCEK got: 0 it is not the report's VCEK at all. */
        private static int rank(String reason) {
            if (reason == null) {
                return 1;
            }
            if (reason.contains("public key is not an ECDSA P-384 key") || reason.contains("does not verify under the VCEK")
                    || reason.contains("VCEK certificate does not parse")) {
                return 0;
            }
            return 1;
        }

        private Map<String, Object> verifyTdx(byte[] quote, Collateral c, long time) {
            List<byte[]> roots = distinct(c.certs.stream().filter(Collateral::selfSigned).toList());
            if (roots.isEmpty()) {
                return result("TDX", false, null, null, null, "no self-signed (trusted root) certificate in the collateral folder");
            }
            if (c.crls.isEmpty()) {
                out().note("note: no CRLs in the collateral folder; revocation is not checked");
            }
            List<byte[]> crls = c.crls.isEmpty() ? null : c.crls;
            TdxVerifier.Result best = null;
            boolean evaluated = false;
            for (byte[] root : roots) {
                List<TdxCollateral> attempts = tdxCollaterals(c, root);
                evaluated |= !attempts.isEmpty();
                if (attempts.isEmpty()) {
                    attempts.add(null); // authenticity only
                }
                for (TdxCollateral tcb : attempts) {
                    TdxVerifier.Result r = TdxVerifier.verify(quote, root, crls, tcb, time);
                    if (best == null || r.valid()
                            || (best.reason() != null && best.reason().contains("is not the trusted root"))) {
                        best = r;
                    }
                    if (r.valid()) {
                        break;
                    }
                }
                if (best.valid()) {
                    break;
                }
            }
            if (!evaluated) {
                out().note("note: no TCB info, QE identity and TCB signing certificate in the collateral folder; "
                        + "the TCB status is not evaluated");
            }
            Map<String, Object> tcb = null;
            if (best.valid()) {
                tcb = Output.object("status", best.tcbStatus(), "platformStatus", best.platformTcbStatus(),
                        "qeStatus", best.qeTcbStatus(), "fmspc", hex(best.fmspc()), "teeTcbSvn", hex(best.teeTcbSvn()));
            }
            return result("TDX", best.valid(), hex(best.mrtd()), hex(best.reportData()), tcb,
                    best.valid() ? null : best.reason());
        }

        /** Every combination of TCB info, QE identity and a TCB signing certificate issued by {@code root}. */
        private static List<TdxCollateral> tdxCollaterals(Collateral c, byte[] root) {
            List<byte[]> signers = c.certs.stream().filter(cert -> Collateral.tcbSignerUnder(cert, root)).toList();
            List<TdxCollateral> out = new ArrayList<>();
            for (byte[] tcbInfo : c.tcbInfos) {
                for (byte[] qeIdentity : c.qeIdentities) {
                    for (byte[] signer : signers) {
                        out.add(new TdxCollateral(tcbInfo, qeIdentity, List.of(signer)));
                    }
                }
            }
            return out;
        }

        private static List<byte[]> distinct(List<byte[]> ders) {
            List<byte[]> out = new ArrayList<>();
            for (byte[] d : ders) {
                if (out.stream().noneMatch(o -> Arrays.equals(o, d))) {
                    out.add(d);
                }
            }
            return out;
        }

        private static Map<String, Object> result(String type, boolean valid, String measurement, String reportData,
                Object tcb, String reason) {
            return Output.object("type", type, "valid", valid, "measurement", measurement, "reportData", reportData,
                    "tcb", tcb, "reason", reason);
        }

        private static String hex(byte[] b) {
            return b == null ? null : HexFormat.of().formatHex(b);
        }
    }

    /** "SEV_SNP", "TDX", or null. */
    static String detect(byte[] b) {
        if (b.length == SevSnpReport.SIZE) {
            long v = u32(b, 0);
            if (v == 2 || v == 3) {
                return "SEV_SNP";
            }
        }
        if (b.length >= TdxQuote.HEADER_SIZE && (u16(b, 0) == TdxQuote.VERSION_4 || u16(b, 0) == TdxQuote.VERSION_5)
                && u16(b, 2) == TdxQuote.ATT_KEY_TYPE_ECDSA_P256 && u32(b, 4) == TdxQuote.TEE_TYPE_TDX) {
            return "TDX";
        }
        return null;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xffffffffL;
    }

    /**
     * The certificates and CRLs (DER) found in a folder, and Intel's TCB info and QE identity documents
     * (JSON, recognised by their top-level key).
     */
    record Collateral(List<byte[]> certs, List<byte[]> crls, List<byte[]> tcbInfos, List<byte[]> qeIdentities) {
        static Collateral read(Path dir, Path skip) throws IOException {
            List<byte[]> certs = new ArrayList<>();
            List<byte[]> crls = new ArrayList<>();
            List<byte[]> tcbInfos = new ArrayList<>();
            List<byte[]> qeIdentities = new ArrayList<>();
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path p : files) {
                if (Files.size(p) > MAX_COLLATERAL_FILE || sameFile(p, skip)) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(p);
                String text = new String(bytes, StandardCharsets.US_ASCII);
                if (text.strip().startsWith("{")) {
                    if (text.contains("\"tcbInfo\"")) {
                        tcbInfos.add(bytes);
                    } else if (text.contains("\"enclaveIdentity\"")) {
                        qeIdentities.add(bytes);
                    }
                    continue;
                }
                if (text.contains("-----BEGIN ")) {
                    try {
                        certs.addAll(SevSnpVerifier.pemToDer(text));
                        crls.addAll(Pem.blocks(text, "X509 CRL"));
                    } catch (IllegalArgumentException e) {
                        // not usable PEM: ignore the file
                    }
                    continue;
                }
                switch (kind(bytes)) {
                    case 1 -> certs.add(bytes);
                    case 2 -> crls.add(bytes);
                    default -> { }
                }
            }
            return new Collateral(certs, crls, tcbInfos, qeIdentities);
        }

        private static boolean sameFile(Path a, Path b) {
            try {
                return Files.isSameFile(a, b);
            } catch (IOException e) {
                return false;
            }
        }

        /** 1 a DER certificate, 2 a DER CRL, 0 neither. */
        static int kind(byte[] der) {
            if (der.length < 2 || der[0] != 0x30) {
                return 0;
            }
            ASN1Primitive p;
            try {
                p = ASN1Primitive.fromByteArray(der);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
            try {
                Certificate c = Certificate.getInstance(p);
                if (c != null && c.getSubjectPublicKeyInfo() != null && c.getStartDate() != null) {
                    return 1;
                }
            } catch (RuntimeException e) {
                // not a certificate
            }
            try {
                CertificateList l = CertificateList.getInstance(p);
                if (l != null && l.getIssuer() != null && l.getThisUpdate() != null) {
                    return 2;
                }
            } catch (RuntimeException e) {
                // not a CRL
            }
            return 0;
        }

        static boolean selfSigned(byte[] der) {
            try {
                Certificate c = Certificate.getInstance(der);
                return c.getSubject().equals(c.getIssuer());
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** Intel's TCB signing certificate (the signer of TCB info and QE identity): issued by the root, not self-signed. */
        static boolean tcbSignerUnder(byte[] der, byte[] rootDer) {
            try {
                Certificate c = Certificate.getInstance(der);
                Certificate root = Certificate.getInstance(rootDer);
                if (c.getSubject().equals(c.getIssuer()) || !c.getIssuer().equals(root.getSubject())) {
                    return false;
                }
                for (RDN rdn : c.getSubject().getRDNs(BCStyle.CN)) {
                    if (rdn.getFirst().getValue() instanceof ASN1String cn && cn.getString().contains("TCB Signing")) {
                        return true;
                    }
                }
                return false;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
