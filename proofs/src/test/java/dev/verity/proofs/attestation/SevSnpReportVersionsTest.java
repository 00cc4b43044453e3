package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Parsing of report versions 2 to 5, of the bit fields, and of TCB versions per product line. */
class SevSnpReportVersionsTest {

    @Test
    void version3CarriesCpuidFamilyModelStepping() {
        long tcb = SnpReportBuilder.turinTcb(1, 2, 3, 4, 0xD5);
        SevSnpReport r = SevSnpReport.parse(new SnpReportBuilder(3).cpuid(0x1A, 0x02, 0x01).tcb(tcb).bytes());
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.hasCpuid()).isTrue();
        assertThat(r.hasMitigationVectors()).isFalse();
        assertThat(r.cpuidFamilyId()).isEqualTo(0x1A);
        assertThat(r.cpuidModelId()).isEqualTo(0x02);
        assertThat(r.cpuidStepping()).isEqualTo(0x01);
        assertThat(r.productLine()).isEqualTo(SevSnpProductLine.TURIN);
        // The CPUID names Turin, so every TCB is read in Turin's layout.
        for (SevSnpTcb t : new SevSnpTcb[] {r.currentTcb(), r.reportedTcb(), r.committedTcb(), r.launchTcb()}) {
            assertThat(t.layout()).isEqualTo(SevSnpTcb.Layout.TURIN);
            assertThat(t.fmc()).isEqualTo(1);
            assertThat(t.bootloader()).isEqualTo(2);
            assertThat(t.tee()).isEqualTo(3);
            assertThat(t.snp()).isEqualTo(4);
            assertThat(t.microcode()).isEqualTo(0xD5);
        }
        assertThat(r.launchMitVector()).isZero();
        assertThat(r.currentMitVector()).isZero();
    }

    @Test
    void version4HasTheVersion3Layout() {
        byte[] bytes = new SnpReportBuilder(4).cpuid(0x19, 0x11, 0x02)
                .mitigationVectors(0x55, 0x66) // reserved bytes in a version 4 report: not read
                .bytes();
        SevSnpReport r = SevSnpReport.parse(bytes);
        assertThat(r.version()).isEqualTo(4);
        assertThat(r.cpuidFamilyId()).isEqualTo(0x19);
        assertThat(r.cpuidModelId()).isEqualTo(0x11);
        assertThat(r.cpuidStepping()).isEqualTo(0x02);
        assertThat(r.productLine()).isEqualTo(SevSnpProductLine.GENOA);
        assertThat(r.hasMitigationVectors()).isFalse();
        assertThat(r.launchMitVector()).isZero();
    }

    @Test
    void version5CarriesTheMitigationVectors() {
        SevSnpReport r = SevSnpReport.parse(new SnpReportBuilder(5).cpuid(0x19, 0x01, 0x01)
                .mitigationVectors(0x8000000000000003L, 0x0000000000000007L).firmware(0x1D, 0x37, 0x01).bytes());
        assertThat(r.version()).isEqualTo(5);
        assertThat(r.hasMitigationVectors()).isTrue();
        assertThat(r.launchMitVector()).isEqualTo(0x8000000000000003L);
        assertThat(r.currentMitVector()).isEqualTo(7L);
        assertThat(r.productLine()).isEqualTo(SevSnpProductLine.MILAN);
        assertThat(r.currentBuild()).isEqualTo(0x1D);
        assertThat(r.currentMinor()).isEqualTo(0x37);
        assertThat(r.currentMajor()).isEqualTo(1);
        assertThat(r.committedBuild()).isEqualTo(0x1D);
        assertThat(r.committedMinor()).isEqualTo(0x37);
        assertThat(r.committedMajor()).isEqualTo(1);
    }

    @Test
    void version2IgnoresTheBytesLaterVersionsUse() {
        byte[] bytes = new SnpReportBuilder(2).cpuid(0x1A, 0x02, 0x01).mitigationVectors(1, 2)
                .tcb(SnpReportBuilder.milanGenoaTcb(3, 0, 8, 0x73)).bytes();
        SevSnpReport r = SevSnpReport.parse(bytes);
        assertThat(r.hasCpuid()).isFalse();
        assertThat(r.cpuidFamilyId()).isZero();
        assertThat(r.cpuidModelId()).isZero();
        assertThat(r.cpuidStepping()).isZero();
        assertThat(r.launchMitVector()).isZero();
        assertThat(r.currentMitVector()).isZero();
        assertThat(r.productLine()).isEqualTo(SevSnpProductLine.UNKNOWN);
        assertThat(r.reportedTcb().layout()).isEqualTo(SevSnpTcb.Layout.MILAN_GENOA);
        assertThat(r.reportedTcb().snp()).isEqualTo(8);
        assertThat(r.reportedTcb().microcode()).isEqualTo(0x73);
    }

    @Test
    void unknownVersionsAreRefusedWithTheSupportedOnes() {
        for (int v : new int[] {0, 1, 6, 7, -1}) {
            byte[] bytes = new SnpReportBuilder(v).bytes();
            assertThatThrownBy(() -> SevSnpReport.parse(bytes))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unsupported SEV-SNP report version " + Integer.toUnsignedString(v))
                    .hasMessageContaining("2, 3, 4, 5");
        }
        SevSnpVerifier.Result res = SevSnpVerifier.verify(new SnpReportBuilder(6).bytes(), new byte[0], java.util.List.of(),
                java.util.List.of(), 0, false);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("version 6");
    }

    @Test
    void keyInformationBits() {
        SevSnpReport vlek = SevSnpReport.parse(new SnpReportBuilder(3).keyInfo(true, true, 1).bytes());
        assertThat(vlek.authorKeyEn()).isTrue();
        assertThat(vlek.maskChipKey()).isTrue();
        assertThat(vlek.signingKey()).isEqualTo(SevSnpReport.SIGNING_KEY_VLEK);
        SevSnpReport none = SevSnpReport.parse(new SnpReportBuilder(3).keyInfo(false, false, 7).bytes());
        assertThat(none.authorKeyEn()).isFalse();
        assertThat(none.maskChipKey()).isFalse();
        assertThat(none.signingKey()).isEqualTo(SevSnpReport.SIGNING_KEY_NONE);
        assertThat(SevSnpReport.parse(new SnpReportBuilder(2).bytes()).signingKey()).isEqualTo(SevSnpReport.SIGNING_KEY_VCEK);
    }

    @Test
    void platformInfoBits() {
        SevSnpPlatformInfo all = SevSnpReport.parse(new SnpReportBuilder(5).platformInfo(0xBF).bytes()).platformInfoBits();
        assertThat(all.smtEnabled()).isTrue();
        assertThat(all.tsmeEnabled()).isTrue();
        assertThat(all.eccEnabled()).isTrue();
        assertThat(all.raplDisabled()).isTrue();
        assertThat(all.ciphertextHidingDramEnabled()).isTrue();
        assertThat(all.aliasCheckComplete()).isTrue();
        assertThat(all.tioEnabled()).isTrue();
        SevSnpPlatformInfo some = new SevSnpPlatformInfo(0b10_0001);
        assertThat(some.smtEnabled()).isTrue();
        assertThat(some.aliasCheckComplete()).isTrue();
        assertThat(some.tsmeEnabled()).isFalse();
        assertThat(some.eccEnabled()).isFalse();
        assertThat(some.raplDisabled()).isFalse();
        assertThat(some.ciphertextHidingDramEnabled()).isFalse();
        assertThat(some.tioEnabled()).isFalse();
    }

    @Test
    void guestPolicyBits() {
        SevSnpGuestPolicy p = SevSnpReport.parse(new SnpReportBuilder(3).policy(0x3FF_0000L | 0x0103).bytes()).guestPolicy();
        assertThat(p.abiMinor()).isEqualTo(3);
        assertThat(p.abiMajor()).isEqualTo(1);
        assertThat(p.smtAllowed()).isTrue();
        assertThat(p.migrateMaAllowed()).isTrue();
        assertThat(p.debugAllowed()).isTrue();
        assertThat(p.singleSocketRequired()).isTrue();
        assertThat(p.cxlAllowed()).isTrue();
        assertThat(p.memAes256XtsRequired()).isTrue();
        assertThat(p.raplDisabledRequired()).isTrue();
        assertThat(p.ciphertextHidingRequired()).isTrue();
        assertThat(p.pageSwapDisabled()).isTrue();
        SevSnpGuestPolicy plain = new SevSnpGuestPolicy(0x30000L);
        assertThat(plain.smtAllowed()).isTrue();
        assertThat(plain.debugAllowed()).isFalse();
        assertThat(plain.migrateMaAllowed()).isFalse();
        assertThat(plain.pageSwapDisabled()).isFalse();
    }

    @Test
    void turinTcbComponents() {
        long raw = SnpReportBuilder.turinTcb(0x01, 0x04, 0x00, 0x19, 0x4E);
        SevSnpTcb turin = new SevSnpTcb(raw, SevSnpTcb.Layout.TURIN);
        assertThat(turin.fmc()).isEqualTo(1);
        assertThat(turin.bootloader()).isEqualTo(4);
        assertThat(turin.tee()).isZero();
        assertThat(turin.snp()).isEqualTo(0x19);
        assertThat(turin.microcode()).isEqualTo(0x4E);
        assertThat(turin).hasToString("SevSnpTcb[fmc=1, bootloader=4, tee=0, snp=25, microcode=78]");
        // The same value in the Milan/Genoa layout reads other bytes.
        SevSnpTcb milan = turin.withLayout(SevSnpTcb.Layout.MILAN_GENOA);
        assertThat(milan.fmc()).isNull();
        assertThat(milan.bootloader()).isEqualTo(1);
        assertThat(milan.tee()).isEqualTo(4);
        assertThat(milan.snp()).isZero();
        assertThat(milan.microcode()).isEqualTo(0x4E);
        assertThat(new SevSnpTcb(raw)).isEqualTo(milan);
    }

    @Test
    void productLineFromCpuid() {
        assertThat(SevSnpProductLine.fromCpuid(0x19, 0x01)).isEqualTo(SevSnpProductLine.MILAN);
        assertThat(SevSnpProductLine.fromCpuid(0x19, 0x0F)).isEqualTo(SevSnpProductLine.MILAN);
        assertThat(SevSnpProductLine.fromCpuid(0x19, 0x10)).isEqualTo(SevSnpProductLine.GENOA);
        assertThat(SevSnpProductLine.fromCpuid(0x19, 0x11)).isEqualTo(SevSnpProductLine.GENOA);
        assertThat(SevSnpProductLine.fromCpuid(0x19, 0x21)).isEqualTo(SevSnpProductLine.UNKNOWN);
        assertThat(SevSnpProductLine.fromCpuid(0x1A, 0x02)).isEqualTo(SevSnpProductLine.TURIN);
        assertThat(SevSnpProductLine.fromCpuid(0x1A, 0x11)).isEqualTo(SevSnpProductLine.TURIN);
        assertThat(SevSnpProductLine.fromCpuid(0x1A, 0x24)).isEqualTo(SevSnpProductLine.UNKNOWN);
        assertThat(SevSnpProductLine.fromCpuid(0x17, 0x31)).isEqualTo(SevSnpProductLine.UNKNOWN);
    }

    @Test
    void productLineFromSigningKeyName() {
        assertThat(SevSnpProductLine.fromSigningKeyName("SEV-Milan")).isEqualTo(SevSnpProductLine.MILAN);
        assertThat(SevSnpProductLine.fromSigningKeyName("SEV-Genoa")).isEqualTo(SevSnpProductLine.GENOA);
        assertThat(SevSnpProductLine.fromSigningKeyName("SEV-Turin")).isEqualTo(SevSnpProductLine.TURIN);
        assertThat(SevSnpProductLine.fromSigningKeyName("SEV-VLEK-Turin")).isEqualTo(SevSnpProductLine.TURIN);
        assertThat(SevSnpProductLine.fromSigningKeyName("SEV-Dev")).isEqualTo(SevSnpProductLine.UNKNOWN);
        assertThat(SevSnpProductLine.fromSigningKeyName("SEV-unknown")).isEqualTo(SevSnpProductLine.UNKNOWN);
        assertThat(SevSnpProductLine.fromSigningKeyName("ARK-Milan")).isEqualTo(SevSnpProductLine.UNKNOWN);
        assertThat(SevSnpProductLine.fromSigningKeyName(null)).isEqualTo(SevSnpProductLine.UNKNOWN);
    }
}
