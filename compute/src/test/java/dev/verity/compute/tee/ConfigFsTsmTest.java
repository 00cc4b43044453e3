package dev.verity.compute.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.proofs.attestation.SevSnpReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConfigFsTsm} against a temporary directory laid out like {@code /sys/kernel/config/tsm/report}, served by
 * {@link FakeTsmKernel}. Not a test on confidential-VM hardware.
 */
class ConfigFsTsmTest {
    @TempDir
    Path tmp;

    private static byte[] reportData() {
        byte[] d = new byte[64];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 7 + 1);
        }
        return d;
    }

    private Path root() {
        return tmp.resolve("tsm/report");
    }

    private FakeTsmKernel kernel(String provider, byte[] auxblob) throws Exception {
        return new FakeTsmKernel(root(), tmp.resolve("scratch"), provider, auxblob);
    }

    private List<Path> entriesLeft() throws Exception {
        try (Stream<Path> s = Files.list(root())) {
            return s.toList();
        }
    }

    @Test
    void sevSnpReportWithCertificateTable() throws Exception {
        byte[] aux = SnpCertTableTest.standardTable();
        try (FakeTsmKernel kernel = kernel(TsmEvidence.SEV_GUEST, aux)) {
            TsmEvidence e = new ConfigFsTsm(root()).report(reportData());
            assertThat(e.provider()).isEqualTo("sev_guest");
            assertThat(e.generation()).isEqualTo(1);
            SevSnpReport report = SevSnpReport.parse(e.outblob());
            assertThat(report.reportData()).isEqualTo(reportData());
            assertThat(report.measurement()).isEqualTo(FakeTsmKernel.MEASUREMENT);
            assertThat(report.vmpl()).isZero();
            assertThat(e.auxblob()).isEqualTo(aux);
            assertThat(e.certificates()).extracting(SnpCertTable.Entry::kind).containsExactly("VCEK", "ASK", "ARK");
            assertThat(kernel.entriesSeen()).hasSize(1);
            assertThat(kernel.entriesSeen().get(0).getFileName().toString()).startsWith("verity-");
            assertThat(entriesLeft()).as("the entry is removed").isEmpty();
        }
    }

    @Test
    void privlevelIsWrittenAndCounted() throws Exception {
        try (FakeTsmKernel kernel = kernel(TsmEvidence.SEV_GUEST, new byte[0])) {
            TsmEvidence e = new ConfigFsTsm(root()).report(reportData(), 2);
            assertThat(e.generation()).isEqualTo(2); // privlevel, then inblob
            assertThat(SevSnpReport.parse(e.outblob()).vmpl()).isEqualTo(2);
            assertThat(e.auxblob()).isEmpty();
            assertThat(e.certificates()).isEmpty();
            assertThat(entriesLeft()).isEmpty();
        }
    }

    @Test
    void tdxQuoteWithoutAuxblob() throws Exception {
        try (FakeTsmKernel kernel = kernel(TsmEvidence.TDX_GUEST, null)) {
            ConfigFsTsm tsm = new ConfigFsTsm(root());
            assertThat(tsm.available()).isTrue();
            TsmEvidence e = tsm.report(reportData());
            assertThat(e.provider()).isEqualTo("tdx_guest");
            assertThat(e.generation()).isEqualTo(1);
            byte[] quote = e.outblob();
            assertThat(quote[0]).isEqualTo((byte) 4);
            assertThat(Arrays.copyOfRange(quote, FakeTsmKernel.TDX_REPORT_DATA, FakeTsmKernel.TDX_REPORT_DATA + 64))
                    .isEqualTo(reportData());
            assertThat(Arrays.copyOfRange(quote, FakeTsmKernel.TDX_MRTD, FakeTsmKernel.TDX_MRTD + 48))
                    .isEqualTo(FakeTsmKernel.MEASUREMENT);
            assertThat(e.auxblob()).isEmpty();
            assertThat(e.certificates()).isEmpty();
            assertThat(entriesLeft()).isEmpty();
        }
    }

    @Test
    void eachReportUsesItsOwnEntry() throws Exception {
        try (FakeTsmKernel kernel = kernel(TsmEvidence.TDX_GUEST, null)) {
            ConfigFsTsm tsm = new ConfigFsTsm(root());
            byte[] other = reportData();
            other[0] ^= 1;
            assertThat(tsm.report(reportData()).outblob()[FakeTsmKernel.TDX_REPORT_DATA]).isEqualTo(reportData()[0]);
            assertThat(tsm.report(other).outblob()[FakeTsmKernel.TDX_REPORT_DATA]).isEqualTo(other[0]);
            assertThat(kernel.entriesSeen()).hasSize(2).doesNotHaveDuplicates();
            assertThat(entriesLeft()).isEmpty();
        }
    }

    @Test
    void concurrentWriterIsDetected() throws Exception {
        try (FakeTsmKernel kernel = kernel(TsmEvidence.SEV_GUEST, new byte[0])) {
            kernel.foreignWrites = 1;
            assertThatThrownBy(() -> new ConfigFsTsm(root()).report(reportData()))
                    .isInstanceOf(ConfigFsTsm.TsmException.class)
                    .hasMessageContaining("another writer").hasMessageContaining("generation 2, expected 1");
            assertThat(entriesLeft()).as("the entry is removed after a failure too").isEmpty();
        }
    }

    @Test
    void emptyOutblobIsRefused() throws Exception {
        try (FakeTsmKernel kernel = kernel(TsmEvidence.TDX_GUEST, null)) {
            kernel.emptyOutblob = true;
            assertThatThrownBy(() -> new ConfigFsTsm(root()).report(reportData()))
                    .isInstanceOf(ConfigFsTsm.TsmException.class).hasMessageContaining("empty outblob");
            assertThat(entriesLeft()).isEmpty();
        }
    }

    @Test
    void missingRootSaysWhy() {
        ConfigFsTsm tsm = new ConfigFsTsm(tmp.resolve("no/such/report"));
        assertThat(tsm.available()).isFalse();
        assertThatThrownBy(() -> tsm.report(reportData())).isInstanceOf(ConfigFsTsm.TsmException.class)
                .hasMessageContaining("no configfs-tsm report interface").hasMessageContaining("not a confidential VM");
    }

    @Test
    void plainDirectoryWithoutKernelIsNotTheInterface() throws Exception {
        Files.createDirectories(root());
        ConfigFsTsm tsm = new ConfigFsTsm(root(), Duration.ofMillis(200));
        assertThatThrownBy(() -> tsm.report(reportData())).isInstanceOf(ConfigFsTsm.TsmException.class)
                .hasMessageContaining("no generation attribute").hasMessageContaining("not a configfs-tsm report directory");
        assertThat(entriesLeft()).as("the entry and the written inblob are removed").isEmpty();
    }

    @Test
    void reportDataMustBe64Bytes() throws Exception {
        Files.createDirectories(root());
        ConfigFsTsm tsm = new ConfigFsTsm(root());
        assertThatThrownBy(() -> tsm.report(new byte[32])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 bytes, got 32");
        assertThatThrownBy(() -> tsm.report(new byte[65])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tsm.report(reportData(), 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privlevel");
        assertThat(entriesLeft()).as("nothing was created").isEmpty();
    }
}
