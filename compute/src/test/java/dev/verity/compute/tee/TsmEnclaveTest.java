package dev.verity.compute.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.core.Signature;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.AttestationVerdict;
import dev.verity.proofs.attestation.AttestationVerifiers;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.proofs.attestation.TrustAnchors;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real enclave over configfs-tsm, against an emulated kernel whose SEV-SNP reports a development AMD key signs:
 * the attestation it registers passes the chain's own verifier, binds its key to the node and chain, and every
 * way this machine can fail to be a confidential VM says what is missing.
 */
class TsmEnclaveTest {
    static final String CHAIN = "verity-tsm-test";
    static final PublicKey NODE = PrivateKey.deterministic("tsm-node").publicKey();
    static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    static final DevSevSnpPlatform PLATFORM = DevSevSnpPlatform.generate(NOT_BEFORE, Duration.ofDays(3650),
            new SeededRandom("tsm-enclave-test"));

    @TempDir
    Path tmp;

    private FakeTsmKernel kernel(String provider, byte[] auxblob) throws Exception {
        FakeTsmKernel kernel = new FakeTsmKernel(tmp.resolve("tsm/report"), tmp.resolve("scratch"), provider, auxblob);
        kernel.snpSigner = (reportData, vmpl) -> PLATFORM.report(reportData, FakeTsmKernel.MEASUREMENT);
        return kernel;
    }

    private ConfigFsTsm tsm() {
        return new ConfigFsTsm(tmp.resolve("tsm/report"));
    }

    private static byte[] hostTable(boolean withVcek) {
        return withVcek
                ? SnpCertTableTest.table(List.of(SnpCertTable.VCEK_GUID, SnpCertTable.ASK_GUID, SnpCertTable.ARK_GUID),
                        List.of(PLATFORM.vcekDer(), PLATFORM.askDer(), PLATFORM.arkDer()))
                : SnpCertTableTest.table(List.of(SnpCertTable.ASK_GUID), List.of(PLATFORM.askDer()));
    }

    private static AttestationVerdict verify(byte[] attestation) {
        TrustAnchors anchors = new TrustAnchors(
                List.of(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, PLATFORM.arkDer())),
                NOT_BEFORE.plus(Duration.ofDays(1)).getEpochSecond());
        return AttestationVerifiers.standard().verify(attestation, anchors);
    }

    @Test
    void sevSnpEvidenceFromTheKernelPassesTheChainsVerifierAndBindsTheKey() throws Exception {
        try (FakeTsmKernel ignored = kernel(TsmEvidence.SEV_GUEST, hostTable(true))) {
            TsmEnclave enclave = TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.empty());

            AttestationVerdict verdict = verify(enclave.attestation());
            assertThat(verdict).isInstanceOf(AttestationVerdict.Valid.class);
            AttestationVerdict.Valid valid = (AttestationVerdict.Valid) verdict;
            assertThat(valid.reportData()).isEqualTo(EnclaveBinding.reportData(CHAIN, enclave.publicKey(), NODE));
            assertThat(enclave.measurement().bytes()).isEqualTo(FakeTsmKernel.MEASUREMENT);
            AttestationEvidence.SevSnp evidence = (AttestationEvidence.SevSnp) AttestationEvidence.decode(enclave.attestation());
            assertThat(evidence.intermediates()).as("the ASK travels, the ARK never does").hasSize(1);

            TeeResultStatement statement = new TeeResultStatement(Sha256.digest(new byte[] {1}), Sha256.digest(new byte[] {2}),
                    Sha256.digest(new byte[] {3}), Sha256.digest(new byte[] {4}));
            assertThat(enclave.publicKey().verify(statement.signingBytes(), Signature.wrap(enclave.sign(statement)))).isTrue();
        }
    }

    @Test
    void eachLaunchMakesAFreshKey() throws Exception {
        try (FakeTsmKernel ignored = kernel(TsmEvidence.SEV_GUEST, hostTable(true))) {
            assertThat(TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.empty()).publicKey())
                    .isNotEqualTo(TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.empty()).publicKey());
        }
    }

    @Test
    void aHostWithoutAVcekIsToldToFetchOneAndAGivenVcekIsUsed() throws Exception {
        try (FakeTsmKernel ignored = kernel(TsmEvidence.SEV_GUEST, hostTable(false))) {
            assertThatThrownBy(() -> TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.empty()))
                    .isInstanceOf(EnclaveUnavailableException.class)
                    .hasMessageContaining("no VCEK or VLEK").hasMessageContaining("--vcek FILE");
            TsmEnclave enclave = TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.of(PLATFORM.vcekDer()));
            assertThat(verify(enclave.attestation())).isInstanceOf(AttestationVerdict.Valid.class);
        }
    }

    @Test
    void aTdxQuoteWithoutItsSignatureIsRefusedSayingWhere() throws Exception {
        // The emulated tdx_guest answers the quote's header and TD report only; a real quote carries its signature data.
        try (FakeTsmKernel ignored = kernel(TsmEvidence.TDX_GUEST, null)) {
            assertThatThrownBy(() -> TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.empty()))
                    .isInstanceOf(EnclaveUnavailableException.class)
                    .hasMessageContaining("tdx_guest provider's quote does not parse").hasMessageContaining("signature");
        }
    }

    @Test
    void evidenceThatBindsOtherReportDataIsRefused() throws Exception {
        try (FakeTsmKernel kernel = kernel(TsmEvidence.SEV_GUEST, hostTable(true))) {
            kernel.snpSigner = (reportData, vmpl) -> PLATFORM.report(new byte[64], FakeTsmKernel.MEASUREMENT);
            assertThatThrownBy(() -> TsmEnclave.launch(tsm(), CHAIN, NODE, Optional.empty()))
                    .isInstanceOf(EnclaveUnavailableException.class).hasMessageContaining("other report data");
        }
    }

    @Test
    void aMachineThatIsNotAConfidentialVmSaysSo() {
        assertThatThrownBy(() -> TsmEnclave.launch(new ConfigFsTsm(tmp.resolve("absent")), CHAIN, NODE, Optional.empty()))
                .isInstanceOf(EnclaveUnavailableException.class)
                .hasMessageContaining("not a confidential VM").hasMessageContaining("cannot serve TEE jobs");
    }
}
