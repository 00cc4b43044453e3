package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.testkit.TeeVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity tee verify} on real AMD SEV-SNP and Intel TDX evidence (vectors from go-sev-guest and go-tdx-guest). */
class TeeCommandTest {
    private static final String SNP_TIME = "2023-06-01T00:00:00Z";
    private static final String TDX_TIME = "2023-06-20T00:00:00Z";

    private static Path resource(String name) throws Exception {
        return TeeVectors.file(name);
    }

    private static Path snpDir() throws Exception {
        return resource("sev-snp");
    }

    private static Path tdxDir() throws Exception {
        return resource("tdx");
    }

    @Test
    void sevSnpReportVerifiesWithAllowDebug() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", snpDir().resolve("attestation.bin").toString(),
                "--collateral", snpDir().toString(), "--at", SNP_TIME, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.fieldNames()).toIterable()
                .containsExactly("type", "valid", "measurement", "reportData", "tcb", "reason");
        assertThat(doc.get("type").asText()).isEqualTo("SEV_SNP");
        assertThat(doc.get("valid").asBoolean()).isTrue();
        assertThat(doc.get("reportData").asText()).startsWith("0102030405").hasSize(128);
        assertThat(doc.get("measurement").asText()).matches("[0-9a-f]{96}");
        assertThat(doc.get("tcb").fieldNames()).toIterable().containsExactly("bootloader", "tee", "snp", "microcode");
        assertThat(doc.get("reason").isNull()).isTrue();
    }

    @Test
    void sevSnpReportDefaultsToTheFilesFolderAndPrintsHumanFields() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", snpDir().resolve("attestation.bin").toString(),
                "--at", SNP_TIME);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("type:").contains("SEV_SNP").contains("valid:").contains("true")
                .contains("reportData:").contains("0102030405");
    }

    @Test
    void sevSnpDebugPolicyIsRefusedOnRequest() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", snpDir().resolve("attestation.bin").toString(),
                "--collateral", snpDir().toString(), "--at", SNP_TIME, "--refuse-debug", "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        JsonNode doc = r.json();
        assertThat(doc.get("type").asText()).isEqualTo("SEV_SNP");
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.get("reason").asText()).containsIgnoringCase("debug");
    }

    @Test
    void tdxQuoteVerifies() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", tdxDir().resolve("tdx_prod_quote_SPR_E4.dat").toString(),
                "--collateral", tdxDir().toString(), "--at", TDX_TIME, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.fieldNames()).toIterable()
                .containsExactly("type", "valid", "measurement", "reportData", "tcb", "reason");
        assertThat(doc.get("type").asText()).isEqualTo("TDX");
        assertThat(doc.get("valid").asBoolean()).isTrue();
        assertThat(doc.get("measurement").asText()).matches("[0-9a-f]{96}");
        assertThat(doc.get("reportData").asText()).matches("[0-9a-f]{128}");
        // Intel's TCB info, QE identity and TCB signing certificate lie in the folder: the status is evaluated.
        // The platform's PCK certificate is below both TCB levels of this TCB info (SGX component 0 is 3, the
        // levels need 5), so no level covers it; the QE (ISVSVN 4) is up to date.
        JsonNode tcb = doc.get("tcb");
        assertThat(tcb.fieldNames()).toIterable()
                .containsExactly("status", "platformStatus", "qeStatus", "fmspc", "teeTcbSvn");
        assertThat(tcb.get("status").asText()).isEqualTo("TcbLevelNotSupported");
        assertThat(tcb.get("platformStatus").asText()).isEqualTo("TcbLevelNotSupported");
        assertThat(tcb.get("qeStatus").asText()).isEqualTo("UpToDate");
        assertThat(tcb.get("fmspc").asText()).isEqualTo("50806f000000");
        assertThat(tcb.get("teeTcbSvn").asText()).isEqualTo("03000400000000000000000000000000");
        assertThat(doc.get("reason").isNull()).isTrue();
    }

    @Test
    void tdxQuoteWithoutTcbCollateralVerifiesWithoutStatus(@TempDir Path tmp) throws Exception {
        Path dir = copyDir(tdxDir(), tmp.resolve("tdx"));
        Files.delete(dir.resolve("sample_tcbInfo_response"));
        CliRun.Result r = CliRun.run("tee", "verify", dir.resolve("tdx_prod_quote_SPR_E4.dat").toString(),
                "--at", TDX_TIME, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode tcb = r.json().get("tcb");
        assertThat(tcb.get("status").isNull()).isTrue();
        assertThat(tcb.get("qeStatus").isNull()).isTrue();
        assertThat(tcb.get("fmspc").asText()).isEqualTo("50806f000000");
        assertThat(r.err()).contains("the TCB status is not evaluated");
    }

    @Test
    void tdxQuoteIsRefusedWhenItsTcbCollateralIsAltered(@TempDir Path tmp) throws Exception {
        Path dir = copyDir(tdxDir(), tmp.resolve("tdx"));
        Path tcbInfo = dir.resolve("sample_tcbInfo_response");
        Files.writeString(tcbInfo, Files.readString(tcbInfo).replace("\"pcesvn\":11", "\"pcesvn\":10"));
        CliRun.Result r = CliRun.run("tee", "verify", dir.resolve("tdx_prod_quote_SPR_E4.dat").toString(),
                "--at", TDX_TIME, "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        assertThat(r.json().get("reason").asText())
                .isEqualTo("the TCB info signature does not verify under the TCB signing certificate");
    }

    @Test
    void tdxQuoteIsRefusedOnceItsQeIdentityIsDueForUpdate(@TempDir Path tmp) throws Exception {
        // Without the CRLs (stale from 2023-07-08 too), the QE identity's next update (2023-07-08T07:24:59Z) decides.
        Path dir = copyDir(tdxDir(), tmp.resolve("tdx"));
        Files.delete(dir.resolve("pckcrl"));
        Files.delete(dir.resolve("rootcrl.der"));
        Path quote = dir.resolve("tdx_prod_quote_SPR_E4.dat");
        assertThat(CliRun.run("tee", "verify", quote.toString(), "--at", "2023-07-08T07:24:58Z", "--json").exitCode()).isZero();
        CliRun.Result r = CliRun.run("tee", "verify", quote.toString(), "--at", "2023-07-08T07:24:59Z", "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        assertThat(r.json().get("reason").asText()).startsWith("the QE identity has expired at");
    }

    @Test
    void tdxQuotePrintsItsTcbStatus() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", tdxDir().resolve("tdx_prod_quote_SPR_E4.dat").toString(),
                "--at", TDX_TIME);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("status TcbLevelNotSupported (platform TcbLevelNotSupported, QE UpToDate), "
                + "fmspc 50806f000000, TEE_TCB_SVN 03000400000000000000000000000000");
    }

    @Test
    void tdxQuoteIsRefusedAfterItsCertificatesExpire() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", tdxDir().resolve("tdx_prod_quote_SPR_E4.dat").toString(),
                "--collateral", tdxDir().toString(), "--at", "2040-01-01T00:00:00Z", "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("valid").asBoolean()).isFalse();
        assertThat(r.json().get("reason").asText()).isNotBlank();
    }

    @Test
    void flippedSevSnpReportIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = copyDir(snpDir(), tmp.resolve("snp"));
        flip(dir.resolve("attestation.bin"), 0x90); // inside MEASUREMENT, covered by the signature
        CliRun.Result r = CliRun.run("tee", "verify", dir.resolve("attestation.bin").toString(),
                "--at", SNP_TIME, "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("type").asText()).isEqualTo("SEV_SNP");
        assertThat(r.json().get("valid").asBoolean()).isFalse();
    }

    @Test
    void flippedTdxQuoteIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = copyDir(tdxDir(), tmp.resolve("tdx"));
        Path quote = dir.resolve("tdx_prod_quote_SPR_E4.dat");
        flip(quote, 48 + 200); // inside the TD report body, covered by the quote signature
        CliRun.Result r = CliRun.run("tee", "verify", quote.toString(), "--at", TDX_TIME, "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("type").asText()).isEqualTo("TDX");
        assertThat(r.json().get("valid").asBoolean()).isFalse();
    }

    @Test
    void randomFileIsNeitherFormat(@TempDir Path tmp) throws Exception {
        byte[] junk = new byte[1000];
        new Random(42).nextBytes(junk);
        Path f = tmp.resolve("random.bin");
        Files.write(f, junk);
        CliRun.Result r = CliRun.run("tee", "verify", f.toString(), "--collateral", snpDir().toString());
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).contains(f + " is neither an AMD SEV-SNP report nor an Intel TDX quote");
    }

    @Test
    void badTimeIsBadUsage() throws Exception {
        CliRun.Result r = CliRun.run("tee", "verify", snpDir().resolve("attestation.bin").toString(), "--at", "yesterday");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
    }

    private static Path copyDir(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    private static void flip(Path file, int offset) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[offset] ^= 0x01;
        Files.write(file, b);
    }
}
