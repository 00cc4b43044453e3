package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.CHAIN_ID;
import static dev.verity.ledger.TestChain.ENCLAVE_1;
import static dev.verity.ledger.TestChain.GOVERNOR;
import static dev.verity.ledger.TestChain.MEASUREMENT;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.PLATFORM;
import static dev.verity.ledger.TestChain.PLATFORM_ROOT;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Signature;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.state.MeasurementKey;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Governance: proposals numbered and approved by the council, the TEE collateral and allowlists
 * they change, and enclave registration judged against them. Every refusal leaves the state as it was.
 */
class GovernanceTest {
    static final Hash MODEL = modelHash("gov-model");
    static final long STAKE = 2_000 * VRT;
    static final Measurement OTHER_BUILD = new Measurement(new byte[Measurement.LENGTH]);

    private static TestChain chainWithNode() {
        TestChain chain = new TestChain();
        chain.block(chain.registerModel(ALICE, MODEL, "gov-model", 1_000_000));
        chain.block(chain.registerNode(NODE_1, STAKE, List.of(MODEL), VerificationMode.TEE));
        return chain;
    }

    private static String refusal(TestChain chain, SignedTransaction tx) {
        long proposals = chain.ledger.state().global(dev.verity.ledger.state.LedgerState.GLOBAL_NEXT_PROPOSAL);
        long enclaves = chain.ledger.state().enclaves.count();
        BlockExecution.Produced p = chain.produce(List.of(tx));
        assertThat(p.refused()).as("refused").hasSize(1);
        assertThat(chain.ledger.state().global(dev.verity.ledger.state.LedgerState.GLOBAL_NEXT_PROPOSAL)).isEqualTo(proposals);
        assertThat(chain.ledger.state().enclaves.count()).isEqualTo(enclaves);
        return p.refused().get(0).reason().code() + " " + p.refused().get(0).reason().getMessage();
    }

    @Test
    void theGovernorApprovesMeasurementsAndProposalsAreNumbered() {
        TestChain chain = chainWithNode();
        chain.block(chain.govern(new GovernanceAction.ApproveMeasurement(TeeType.SEV_SNP, OTHER_BUILD, "build 2")));
        assertThat(chain.ledger.state().approvedMeasurements.get(new MeasurementKey(TeeType.SEV_SNP, OTHER_BUILD)))
                .isEqualTo("build 2");
        assertThat(chain.events(EventType.GOVERNANCE_APPLIED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("proposal 0", "approves SEV_SNP measurement"));
        // The same approved proposal sent again (a replay) carries a used number.
        Payload.Govern replay = TestChain.governPayload(0,
                new GovernanceAction.ApproveMeasurement(TeeType.TDX, OTHER_BUILD, "replayed"), GOVERNOR);
        assertThat(refusal(chain, chain.sign(ALICE, replay))).contains("INVALID_PROPOSAL", "is not the next one (1)");
    }

    @Test
    void proposalsWithoutAValidCouncilApprovalAreRefused() {
        TestChain chain = chainWithNode();
        var action = new GovernanceAction.Revoke(new RevocationTarget.Vendor(TeeType.SEV_SNP), "no reason");
        assertThat(refusal(chain, chain.sign(ALICE, TestChain.governPayload(0, action, ALICE))))
                .contains("INVALID_PROPOSAL", "is not a council member");
        chain.forgetPendingNonces();
        assertThat(refusal(chain, chain.sign(ALICE, TestChain.governPayload(0, action))))
                .contains("INVALID_PROPOSAL", "0 approvals; the council needs 1");
        chain.forgetPendingNonces();
        Payload.Govern otherChain = new Payload.Govern(0, action, List.of(new Approval(GOVERNOR.publicKey(),
                GOVERNOR.sign(dev.verity.protocol.governance.GovernanceCodec.signingBytes("another-chain", 0, action)))));
        assertThat(refusal(chain, chain.sign(ALICE, otherChain))).contains("BAD_SIGNATURE", "does not verify");
        chain.forgetPendingNonces();
        Payload.Govern forged = new Payload.Govern(0, action, List.of(new Approval(GOVERNOR.publicKey(),
                Signature.wrap(new byte[64]))));
        assertThat(refusal(chain, chain.sign(ALICE, forged))).contains("BAD_SIGNATURE");
        assertThat(chain.node(NODE_1)).isNotNull();
    }

    @Test
    void aMultiSignatureCouncilReplacesTheGovernorAndNeedsItsThreshold() {
        TestChain chain = chainWithNode();
        Council council = new Council(List.of(ALICE.publicKey(), BOB.publicKey(), CAROL.publicKey()), 2);
        chain.block(chain.govern(new GovernanceAction.ReplaceCouncil(council)));
        var action = new GovernanceAction.ApproveMeasurement(TeeType.SEV_SNP, OTHER_BUILD, "build 2");
        assertThat(refusal(chain, chain.govern(action))).contains("not a council member");
        chain.forgetPendingNonces();
        assertThat(refusal(chain, chain.govern(action, ALICE))).contains("1 approvals; the council needs 2");
        chain.forgetPendingNonces();
        assertThat(refusal(chain, chain.govern(action, ALICE, ALICE))).contains("approved twice");
        chain.forgetPendingNonces();
        chain.block(chain.govern(action, CAROL, ALICE));
        assertThat(chain.ledger.state().approvedMeasurements.contains(new MeasurementKey(TeeType.SEV_SNP, OTHER_BUILD))).isTrue();
    }

    @Test
    void enclaveRegistrationIsJudgedAgainstChainPolicy() {
        TestChain chain = chainWithNode();
        PrivateKey enclave = ENCLAVE_1;
        // Report data bound for another chain.
        byte[] otherChain = TestChain.attestation(PLATFORM, MEASUREMENT,
                EnclaveBinding.reportData("another-chain", enclave.publicKey(), NODE_1.publicKey()), DevSevSnpPlatform.DEFAULT_POLICY);
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(), otherChain))))
                .contains("INVALID_ATTESTATION", "does not bind this enclave key to this node on chain " + CHAIN_ID);
        chain.forgetPendingNonces();
        // A debug guest: authentic evidence, refused by policy.
        byte[] debug = TestChain.attestation(PLATFORM, MEASUREMENT,
                EnclaveBinding.reportData(CHAIN_ID, enclave.publicKey(), NODE_1.publicKey()),
                DevSevSnpPlatform.DEFAULT_POLICY | (1L << 19));
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(), debug))))
                .contains("allows debugging");
        chain.forgetPendingNonces();
        // A build nobody approved.
        byte[] unapproved = TestChain.attestation(PLATFORM, OTHER_BUILD, enclave.publicKey(), NODE_1.publicKey());
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(), unapproved))))
                .contains("is not an approved build");
        chain.forgetPendingNonces();
        // A platform whose root the chain does not trust.
        DevSevSnpPlatform stranger = TestChain.otherPlatform();
        byte[] untrusted = TestChain.attestation(stranger, MEASUREMENT, enclave.publicKey(), NODE_1.publicKey());
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(), untrusted))))
                .contains("INVALID_ATTESTATION", "certificate chain");
        chain.forgetPendingNonces();
        // The document may not bring its own root.
        byte[] ownRoot = new AttestationEvidence.SevSnp(stranger.report(
                EnclaveBinding.reportData(CHAIN_ID, enclave.publicKey(), NODE_1.publicKey()), MEASUREMENT.bytes()),
                stranger.vcekDer(), List.of(stranger.askDer(), stranger.arkDer())).encode();
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(), ownRoot))))
                .contains("self-signed");
        chain.forgetPendingNonces();
        // Malformed and oversized documents.
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(), new byte[] {0x51, 1}))))
                .contains("malformed attestation document");
        chain.forgetPendingNonces();
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(enclave.publicKey(),
                new byte[chain.params().maxAttestationBytes() + 1])))).contains("OVERSIZED");
        chain.forgetPendingNonces();
        chain.block(chain.registerEnclave(NODE_1, enclave));
        assertThat(chain.enclave(enclave).chipId()).isEqualTo(PLATFORM.chipId());
        assertThat(chain.enclave(enclave).rootId()).isEqualTo(PLATFORM_ROOT.id());
    }

    @Test
    void trustingANewRootLetsItsPlatformsInAndRemovingItDropsTheirEnclaves() {
        TestChain chain = chainWithNode();
        DevSevSnpPlatform second = TestChain.otherPlatform();
        Collateral root = new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, second.arkDer());
        chain.block(chain.govern(new GovernanceAction.AddCollateral(root)));
        chain.block(chain.sign(NODE_1, new Payload.RegisterEnclave(ENCLAVE_1.publicKey(),
                TestChain.attestation(second, MEASUREMENT, ENCLAVE_1.publicKey(), NODE_1.publicKey()))));
        assertThat(chain.enclave(ENCLAVE_1).rootId()).isEqualTo(root.id());
        chain.block(chain.govern(new GovernanceAction.RemoveCollateral(PLATFORM_ROOT.id(), "retired")));
        assertThat(chain.node(NODE_1).enclaveKey()).as("anchored at the other root").isEqualTo(ENCLAVE_1.publicKey());
        chain.block(chain.govern(new GovernanceAction.RemoveCollateral(root.id(), "development root leaked")));
        assertThat(chain.node(NODE_1).enclaveKey()).isNull();
        assertThat(chain.events(EventType.ENCLAVE_REVOKED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("development root leaked"));
    }

    @Test
    void realHardwareEvidenceIsCheckedUpToTheBindingOnAChainThatTrustsAmd() throws Exception {
        Path dir = Path.of("../proofs/src/test/resources/tee/sev-snp");
        byte[] report = Files.readAllBytes(dir.resolve("attestation.bin"));
        byte[] vcek = Files.readAllBytes(dir.resolve("vcek.testcer"));
        List<byte[]> askArk = dev.verity.proofs.attestation.SevSnpVerifier.pemToDer(Files.readString(dir.resolve("ask_ark_milan.pem")));
        byte[] ask = askArk.get(0);
        byte[] ark = askArk.get(1);
        Measurement measured = new Measurement(dev.verity.proofs.attestation.SevSnpReport.parse(report).measurement());
        Genesis base = TestChain.genesis(Params.defaults());
        Genesis amd = new Genesis(base.chainId(), Instant.parse("2023-06-01T00:00:00Z").toEpochMilli(), base.params(),
                base.allocations(), base.validators(), base.council(),
                List.of(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, ark)),
                List.of(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, measured, "the real guest")), List.of());
        TestChain chain = new TestChain(amd);
        chain.block(chain.registerModel(ALICE, MODEL, "gov-model", 1_000_000));
        chain.block(chain.registerNode(NODE_1, STAKE, List.of(MODEL), VerificationMode.TEE));
        byte[] doc = new AttestationEvidence.SevSnp(report, vcek, List.of(ask)).encode();
        // Authentic evidence from a real Milan chip, refused by policy only: that test guest was launched with
        // debugging allowed (and its report data binds no Verity key).
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(ENCLAVE_1.publicKey(), doc))))
                .contains("INVALID_ATTESTATION", "allows debugging");
        chain.forgetPendingNonces();
        byte[] tampered = report.clone();
        tampered[0x90] ^= 1;
        byte[] badDoc = new AttestationEvidence.SevSnp(tampered, vcek, List.of(ask)).encode();
        assertThat(refusal(chain, chain.sign(NODE_1, new Payload.RegisterEnclave(ENCLAVE_1.publicKey(), badDoc))))
                .contains("INVALID_ATTESTATION", "signature");
    }
}
