package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Sha256;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.Test;

/**
 * End to end on a chain made in the test (AMD's real keys sign nothing here): VLEK reports, signed version 3
 * and 5 reports, product line detection from the CPUID and from the chain's names, Turin's TCB layout.
 */
class SevSnpGeneratedChainTest {
    private static final AsymmetricCipherKeyPair ARK_KEY = AmdTestPki.rsaKey();
    private static final AsymmetricCipherKeyPair SIGNING_KEY_KEY = AmdTestPki.rsaKey();
    private static final AsymmetricCipherKeyPair LEAF_KEY = AmdTestPki.ecKey();
    private static final long TIME = AmdTestPki.VALID_AT;

    private static final long MILAN_TCB = SnpReportBuilder.milanGenoaTcb(4, 0, 22, 0xD5);
    private static final long TURIN_TCB = SnpReportBuilder.turinTcb(1, 4, 0, 25, 0x4E);
    private static final byte[] CHIP_ID = chipId();

    /** A development chain: the names say no known product line. */
    private static final Chain DEV_VLEK = Chain.of("ARK-Dev", "SEV-VLEK-Dev");

    private static byte[] chipId() {
        byte[] id = new byte[64];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (0x40 + i);
        }
        return id;
    }

    /** An ARK and an intermediate with the given names, made from the shared keys. */
    private record Chain(byte[] ark, byte[] intermediate, String intermediateName) {
        static Chain of(String arkName, String intermediateName) {
            return new Chain(AmdTestPki.ark(arkName, ARK_KEY),
                    AmdTestPki.intermediate(intermediateName, SIGNING_KEY_KEY, arkName, ARK_KEY), intermediateName);
        }

        byte[] leaf(Extensions extensions) {
            return AmdTestPki.leaf(intermediateName, SIGNING_KEY_KEY, LEAF_KEY, extensions);
        }

        SevSnpVerifier.Result verify(byte[] report, byte[] leaf) {
            return SevSnpVerifier.verify(report, leaf, List.of(intermediate), List.of(ark), TIME, false);
        }
    }

    private static Extensions vlekExtensions(long milanGenoaTcb) {
        SevSnpTcb t = new SevSnpTcb(milanGenoaTcb);
        return AmdTestPki.kdsExtensions(t.bootloader(), t.tee(), t.snp(), t.microcode(), null, null, "TestCloud");
    }

    private static Extensions turinExtensions(byte[] hwId, String cspId) {
        SevSnpTcb t = new SevSnpTcb(TURIN_TCB, SevSnpTcb.Layout.TURIN);
        return AmdTestPki.kdsExtensions(t.bootloader(), t.tee(), t.snp(), t.microcode(), t.fmc(), hwId, cspId);
    }

    private static byte[] signed(SnpReportBuilder b) {
        return AmdTestPki.sign(b.bytes(), LEAF_KEY);
    }

    @Test
    void vlekReportVerifiesEndToEnd() {
        byte[] report = signed(new SnpReportBuilder(2).signingKey(SevSnpReport.SIGNING_KEY_VLEK).tcb(MILAN_TCB)
                .chipId(CHIP_ID));
        SevSnpVerifier.Result res = DEV_VLEK.verify(report, DEV_VLEK.leaf(vlekExtensions(MILAN_TCB)));
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.signingKey()).isEqualTo("VLEK");
        assertThat(res.chipId()).isNull(); // a VLEK names no chip
        assertThat(res.productLine()).isEqualTo("unknown");
        assertThat(res.reportedTcb().layout()).isEqualTo(SevSnpTcb.Layout.MILAN_GENOA);
        assertThat(res.reportedTcb().snp()).isEqualTo(22);
        assertThat(res.arkSha256()).isEqualTo(Sha256.digest(DEV_VLEK.ark()).bytes());
        assertThat(res.reportVersion()).isEqualTo(2);
        assertThat(res.policy()).isEqualTo(0x30000L);
        assertThat(res.debugAllowed()).isFalse();
        assertThat(res.measurement()).isEqualTo(SevSnpReport.parse(report).measurement());
    }

    @Test
    void signedVersion3TurinReportUsesTheTurinLayoutAndFmcSpl() {
        Chain chain = Chain.of("ARK-Dev", "SEV-Dev");
        byte[] report = signed(new SnpReportBuilder(3).cpuid(0x1A, 0x02, 0x01).tcb(TURIN_TCB).chipId(CHIP_ID));
        SevSnpVerifier.Result res = chain.verify(report, chain.leaf(turinExtensions(CHIP_ID, null)));
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.productLine()).isEqualTo("Turin");
        assertThat(res.signingKey()).isEqualTo("VCEK");
        assertThat(res.chipId()).isEqualTo(CHIP_ID);
        assertThat(res.reportVersion()).isEqualTo(3);
        SevSnpTcb tcb = res.reportedTcb();
        assertThat(tcb.layout()).isEqualTo(SevSnpTcb.Layout.TURIN);
        assertThat(tcb.fmc()).isEqualTo(1);
        assertThat(tcb.bootloader()).isEqualTo(4);
        assertThat(tcb.tee()).isZero();
        assertThat(tcb.snp()).isEqualTo(25);
        assertThat(tcb.microcode()).isEqualTo(0x4E);

        // The same certificate without fmcSPL is not a Turin VCEK.
        SevSnpTcb t = new SevSnpTcb(TURIN_TCB, SevSnpTcb.Layout.TURIN);
        byte[] noFmc = chain.leaf(AmdTestPki.kdsExtensions(t.bootloader(), t.tee(), t.snp(), t.microcode(), null, CHIP_ID, null));
        assertThat(chain.verify(report, noFmc).reason()).contains("no fmcSPL extension");
        // Read in the Milan/Genoa layout, Turin's patch levels do not match.
        byte[] milanReadLeaf = chain.leaf(vcekExtensions(TURIN_TCB, CHIP_ID));
        assertThat(chain.verify(report, milanReadLeaf).reason()).contains("does not match the report's REPORTED_TCB");
    }

    @Test
    void turinVcekWithAnEightByteHwIdMatchesTheZeroPaddedChipId() {
        Chain chain = Chain.of("ARK-Turin", "SEV-Turin");
        byte[] turinChipId = Arrays.copyOf(CHIP_ID, 64);
        Arrays.fill(turinChipId, 8, 64, (byte) 0);
        byte[] report = signed(new SnpReportBuilder(3).cpuid(0x1A, 0x11, 0x00).tcb(TURIN_TCB).chipId(turinChipId));
        byte[] leaf = chain.leaf(turinExtensions(Arrays.copyOf(CHIP_ID, 8), null));
        SevSnpVerifier.Result res = chain.verify(report, leaf);
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.productLine()).isEqualTo("Turin");
        byte[] notPadded = signed(new SnpReportBuilder(3).cpuid(0x1A, 0x11, 0x00).tcb(TURIN_TCB).chipId(CHIP_ID));
        assertThat(chain.verify(notPadded, leaf).reason()).contains("hwID does not match");
    }

    @Test
    void signedVersion5GenoaReportVerifiesWithItsMitigationVectors() {
        Chain chain = Chain.of("ARK-Genoa", "SEV-VLEK-Genoa");
        byte[] report = signed(new SnpReportBuilder(5).signingKey(SevSnpReport.SIGNING_KEY_VLEK).cpuid(0x19, 0x11, 0x01)
                .tcb(MILAN_TCB).mitigationVectors(3, 7));
        SevSnpVerifier.Result res = chain.verify(report, chain.leaf(vlekExtensions(MILAN_TCB)));
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.productLine()).isEqualTo("Genoa");
        assertThat(res.reportVersion()).isEqualTo(5);
        assertThat(res.signingKey()).isEqualTo("VLEK");
        SevSnpReport parsed = SevSnpReport.parse(report);
        assertThat(parsed.launchMitVector()).isEqualTo(3);
        assertThat(parsed.currentMitVector()).isEqualTo(7);
    }

    @Test
    void version2TakesTheProductLineFromTheChainNames() {
        Chain turin = Chain.of("ARK-Turin", "SEV-Turin");
        byte[] report = signed(new SnpReportBuilder(2).tcb(TURIN_TCB).chipId(CHIP_ID));
        SevSnpVerifier.Result res = turin.verify(report, turin.leaf(turinExtensions(CHIP_ID, null)));
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.productLine()).isEqualTo("Turin");
        assertThat(res.reportedTcb().fmc()).isEqualTo(1);

        Chain milan = Chain.of("ARK-Milan", "SEV-Milan");
        byte[] milanReport = signed(new SnpReportBuilder(2).tcb(MILAN_TCB).chipId(CHIP_ID));
        SevSnpVerifier.Result milanRes = milan.verify(milanReport, milan.leaf(vcekExtensions(MILAN_TCB, CHIP_ID)));
        assertThat(milanRes.valid()).as(milanRes.reason()).isTrue();
        assertThat(milanRes.productLine()).isEqualTo("Milan");
    }

    @Test
    void cpuidAndChainMustNameTheSameProductLine() {
        Chain milan = Chain.of("ARK-Milan", "SEV-Milan");
        byte[] report = signed(new SnpReportBuilder(3).cpuid(0x1A, 0x02, 0x01).tcb(TURIN_TCB).chipId(CHIP_ID));
        SevSnpVerifier.Result res = milan.verify(report, milan.leaf(turinExtensions(CHIP_ID, null)));
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("product line mismatch").contains("Turin").contains("Milan");
    }

    @Test
    void unknownProductLineVerifiesWithTheMilanGenoaLayout() {
        Chain dev = Chain.of("ARK-Dev", "SEV-Dev");
        byte[] report = signed(new SnpReportBuilder(3).cpuid(0x1A, 0x24, 0x00).tcb(MILAN_TCB).chipId(CHIP_ID));
        SevSnpVerifier.Result res = dev.verify(report, dev.leaf(vcekExtensions(MILAN_TCB, CHIP_ID)));
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.productLine()).isEqualTo("unknown");
        assertThat(res.reportedTcb().layout()).isEqualTo(SevSnpTcb.Layout.MILAN_GENOA);
    }

    @Test
    void aReportClaimingAVlekWithAVcekFails() {
        Chain dev = Chain.of("ARK-Dev", "SEV-Dev");
        byte[] vcek = dev.leaf(vcekExtensions(MILAN_TCB, CHIP_ID));
        byte[] report = signed(new SnpReportBuilder(2).signingKey(SevSnpReport.SIGNING_KEY_VLEK).tcb(MILAN_TCB)
                .chipId(CHIP_ID));
        SevSnpVerifier.Result res = dev.verify(report, vcek);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("names a VLEK").contains("not a VLEK");

        // And the other way: a VCEK report with a VLEK certificate.
        byte[] vlek = DEV_VLEK.leaf(vlekExtensions(MILAN_TCB));
        byte[] vcekReport = signed(new SnpReportBuilder(2).tcb(MILAN_TCB).chipId(CHIP_ID));
        SevSnpVerifier.Result other = DEV_VLEK.verify(vcekReport, vlek);
        assertThat(other.valid()).isFalse();
        assertThat(other.reason()).contains("VCEK has no hwID");
    }

    @Test
    void unsignedAndReservedSigningKeysAreRefused() {
        byte[] leaf = DEV_VLEK.leaf(vlekExtensions(MILAN_TCB));
        SevSnpVerifier.Result none = DEV_VLEK.verify(
                signed(new SnpReportBuilder(3).signingKey(SevSnpReport.SIGNING_KEY_NONE).tcb(MILAN_TCB)), leaf);
        assertThat(none.valid()).isFalse();
        assertThat(none.reason()).contains("not signed").contains("SIGNING_KEY 7");
        SevSnpVerifier.Result reserved = DEV_VLEK.verify(signed(new SnpReportBuilder(3).signingKey(3).tcb(MILAN_TCB)), leaf);
        assertThat(reserved.valid()).isFalse();
        assertThat(reserved.reason()).contains("reserved").contains("SIGNING_KEY 3");
    }

    @Test
    void vlekChainMustEndAtATrustedArk() {
        byte[] report = signed(new SnpReportBuilder(2).signingKey(SevSnpReport.SIGNING_KEY_VLEK).tcb(MILAN_TCB));
        byte[] leaf = DEV_VLEK.leaf(vlekExtensions(MILAN_TCB));
        byte[] otherArk = AmdTestPki.ark("ARK-Dev", AmdTestPki.rsaKey());
        SevSnpVerifier.Result res = SevSnpVerifier.verify(report, leaf, List.of(DEV_VLEK.intermediate()),
                List.of(otherArk), TIME, false);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("ASVK").contains("not issued by any of the 1 trusted ARKs");
        // The document's own copy of the real dev ARK does not help: it is not trusted.
        SevSnpVerifier.Result brought = SevSnpVerifier.verify(report, leaf, List.of(DEV_VLEK.intermediate(), DEV_VLEK.ark()),
                List.of(otherArk), TIME, false);
        assertThat(brought.reason()).contains("not a trusted ARK");
    }

    @Test
    void vlekReportFailsOutsideValidityAndWhenTampered() {
        byte[] report = signed(new SnpReportBuilder(2).signingKey(SevSnpReport.SIGNING_KEY_VLEK).tcb(MILAN_TCB));
        byte[] leaf = DEV_VLEK.leaf(vlekExtensions(MILAN_TCB));
        long late = Instant.parse("2041-01-01T00:00:00Z").getEpochSecond();
        SevSnpVerifier.Result expired = SevSnpVerifier.verify(report, leaf, List.of(DEV_VLEK.intermediate()),
                List.of(DEV_VLEK.ark()), late, false);
        assertThat(expired.reason()).contains("VLEK").contains("expired");
        byte[] tampered = report.clone();
        tampered[SevSnpReport.OFF_MEASUREMENT] ^= 1;
        assertThat(DEV_VLEK.verify(tampered, leaf).reason()).contains("does not verify under the VLEK");
        byte[] otherTcb = DEV_VLEK.leaf(vlekExtensions(SnpReportBuilder.milanGenoaTcb(4, 0, 21, 0xD5)));
        assertThat(DEV_VLEK.verify(report, otherTcb).reason()).contains("VLEK's snpSPL (21)");
    }

    @Test
    void chipIdMismatchFailsForAVcek() {
        Chain dev = Chain.of("ARK-Dev", "SEV-Dev");
        byte[] other = CHIP_ID.clone();
        other[63] ^= 1;
        byte[] report = signed(new SnpReportBuilder(3).cpuid(0x19, 0x01, 0x01).tcb(MILAN_TCB).chipId(other));
        SevSnpVerifier.Result res = dev.verify(report, dev.leaf(vcekExtensions(MILAN_TCB, CHIP_ID)));
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("hwID does not match the report's CHIP_ID");
    }

    private static Extensions vcekExtensions(long milanGenoaTcb, byte[] hwId) {
        SevSnpTcb t = new SevSnpTcb(milanGenoaTcb);
        return AmdTestPki.kdsExtensions(t.bootloader(), t.tee(), t.snp(), t.microcode(), null, hwId, null);
    }
}
