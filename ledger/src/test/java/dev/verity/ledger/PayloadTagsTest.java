package dev.verity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.governance.GovernanceTag;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.PayloadTag;
import dev.verity.protocol.tx.TransactionCodec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The variant tags of transaction bytes, pinned: every {@link Payload} variant, governance action and revocation
 * target encodes with the number docs/PROTOCOL.md gives it, under the constant named after it. A new variant fails
 * here until it is given a tag (and a row in the docs); a changed number fails here too. Enum codes are pinned by
 * {@link CodedEnumTest}.
 */
class PayloadTagsTest {
    /** A sealed variant's sample value, the tag constant named after it, and the number that constant must hold. */
    record Case<T>(String constant, int tag, T sample) {}

    static final Hash H = Sha256.digest(Bytes.utf8("h"));
    static final byte[] B = {1, 2, 3};
    static final PublicKey K = TestChain.BOB.publicKey();
    static final RevocationTarget VENDOR = new RevocationTarget.Vendor(TeeType.SEV_SNP);

    static final List<Case<Payload>> PAYLOADS = List.of(
            new Case<>("TRANSFER", 1, new Payload.Transfer(K, 5)),
            new Case<>("REGISTER_NODE", 2, new Payload.RegisterNode(1, List.of(H), List.of(VerificationMode.NONE),
                    Hardware.cpuOnly("cpu", 2))),
            new Case<>("BOND", 3, new Payload.Bond(1)),
            new Case<>("UNBOND", 4, new Payload.Unbond(1)),
            new Case<>("WITHDRAW", 5, new Payload.Withdraw()),
            new Case<>("UNJAIL", 6, new Payload.Unjail()),
            new Case<>("REGISTER_MODEL", 7, new Payload.RegisterModel(H, "m", "in", "out", 10)),
            new Case<>("REGISTER_ENCLAVE", 8, new Payload.RegisterEnclave(K, B)),
            new Case<>("SUBMIT_JOB", 9, new Payload.SubmitJob(H, B, VerificationMode.TEE, List.of(VerificationMode.NONE), 9, 3)),
            new Case<>("SUBMIT_RESULT", 10, new Payload.SubmitResult(H, B, B)),
            new Case<>("GOVERN", 11, new Payload.Govern(1, new GovernanceAction.Reinstate(VENDOR), List.of())),
            new Case<>("REGISTER_PROGRAM", 12, new Payload.RegisterProgram(H, H, 4, 8)),
            new Case<>("CHALLENGE", 13, new Payload.Challenge(H, B, B)),
            new Case<>("DISPUTE_MOVE", 14, new Payload.DisputeMove(H, H, H)),
            new Case<>("PROVE_STEP", 15, new Payload.ProveStep(H, H, List.of(H), B)),
            new Case<>("AUDIT_REPORT", 16, new Payload.AuditReport(H, B, B)),
            new Case<>("SUBMIT_FAILURE", 17, new Payload.SubmitFailure(H, FailureReason.NODE_FAULT, "oom", B)),
            new Case<>("SET_CAPACITY", 18, new Payload.SetCapacity(2)),
            new Case<>("SUBMIT_JOBS", 19, new Payload.SubmitJobs(List.of(
                    new Payload.SubmitJob(H, B, VerificationMode.TEE, List.of(), 5, 10)))),
            new Case<>("SUBMIT_RESULTS", 20, new Payload.SubmitResults(List.of(new Payload.SubmitResult(H, B, new byte[0])),
                    new byte[64])),
            new Case<>("VALIDATOR_BOND", 21, new Payload.ValidatorBond(7, "v.example:7000", "http://v.example:8080")),
            new Case<>("VALIDATOR_LEAVE", 22, new Payload.ValidatorLeave()),
            new Case<>("REPORT_EQUIVOCATION", 23, new Payload.ReportEquivocation(
                    SignedVote.sign(new FinalityVote(TestChain.CHAIN_ID, 3, H, H, H), TestChain.VALIDATOR),
                    SignedVote.sign(new FinalityVote(TestChain.CHAIN_ID, 3, H, Sha256.digest(B), H), TestChain.VALIDATOR))),
            new Case<>("SET_NODE_ENDPOINT", 24, new Payload.SetNodeEndpoint("http://node.example:8090")));

    static final List<Case<GovernanceAction>> ACTIONS = List.of(
            new Case<>("ADD_COLLATERAL", 1, new GovernanceAction.AddCollateral(
                    new Collateral(TeeType.TDX, CollateralKind.TCB_INFO, B))),
            new Case<>("REMOVE_COLLATERAL", 2, new GovernanceAction.RemoveCollateral(H, "leaked")),
            new Case<>("APPROVE_MEASUREMENT", 3, new GovernanceAction.ApproveMeasurement(TeeType.SEV_SNP,
                    new Measurement(new byte[Measurement.LENGTH]), "v1")),
            new Case<>("REVOKE", 4, new GovernanceAction.Revoke(VENDOR, "broken")),
            new Case<>("REINSTATE", 5, new GovernanceAction.Reinstate(VENDOR)),
            new Case<>("SET_MINIMUM_TCB", 6, new GovernanceAction.SetMinimumTcb(TeeType.TDX, TcbVersion.of(1, 2), "fix")),
            new Case<>("REPLACE_COUNCIL", 7, new GovernanceAction.ReplaceCouncil(new Council(List.of(K), 1))),
            new Case<>("SET_VERIFICATION_PARAMS", 8, new GovernanceAction.SetVerificationParams(1, 2, 3, 4, 5, 6)));

    static final List<Case<RevocationTarget>> TARGETS = List.of(
            new Case<>("TARGET_VENDOR", 1, VENDOR),
            new Case<>("TARGET_CHIP", 2, new RevocationTarget.Chip(TeeType.SEV_SNP, B)),
            new Case<>("TARGET_MEASUREMENT", 3, new RevocationTarget.MeasurementTarget(TeeType.TDX,
                    new Measurement(new byte[Measurement.LENGTH]))));

    /** Where the tag sits in a transaction of {@link TestChain#CHAIN_ID}: after the chain id, the sender and the nonce. */
    static final int TAG_OFFSET = 4 + Bytes.utf8(TestChain.CHAIN_ID).length + 32 + 8;

    @Test
    void everyPayloadEncodesWithItsPinnedTagAndDecodesBack() {
        for (Case<Payload> c : PAYLOADS) {
            byte[] tx = TestChain.signWithNonce(TestChain.ALICE, 0, c.sample()).encoded();
            assertThat(tx[TAG_OFFSET] & 0xFF).as(c.constant()).isEqualTo(c.tag());
            assertThat(TransactionCodec.decode(tx).payload()).as(c.constant()).isInstanceOf(c.sample().getClass());
        }
        assertPinned(PayloadTag.class, PAYLOADS);
        assertEveryVariantHasACase(Payload.class, PAYLOADS, "");
        assertUnique(PAYLOADS);
    }

    @Test
    void everyGovernanceActionAndTargetEncodesWithItsPinnedTag() {
        assertFirstByte(ACTIONS, GovernanceCodec::writeAction);
        assertFirstByte(TARGETS, GovernanceCodec::writeTarget);
        for (Case<GovernanceAction> c : ACTIONS) {
            Encoder e = new Encoder();
            GovernanceCodec.writeAction(e, c.sample());
            assertThat(GovernanceCodec.readAction(new Decoder(e.toByteArray()))).isInstanceOf(c.sample().getClass());
        }
        List<Case<?>> all = new ArrayList<>(ACTIONS);
        all.addAll(TARGETS);
        assertPinned(GovernanceTag.class, all);
        assertEveryVariantHasACase(GovernanceAction.class, ACTIONS, "");
        assertEveryVariantHasACase(RevocationTarget.class, TARGETS, "TARGET_");
        assertUnique(ACTIONS);
        assertUnique(TARGETS);
    }

    @Test
    void unknownTagsAreRefused() {
        byte[] tx = TestChain.signWithNonce(TestChain.ALICE, 0, new Payload.Withdraw()).encoded();
        for (int tag : new int[] {0, 25, 255}) {
            byte[] bad = tx.clone();
            bad[TAG_OFFSET] = (byte) tag;
            assertThatThrownBy(() -> TransactionCodec.decode(bad)).isExactlyInstanceOf(DecodingException.class)
                    .hasMessage("unknown transaction type tag " + tag);
        }
        assertThatThrownBy(() -> GovernanceCodec.readAction(new Decoder(new byte[] {9})))
                .hasMessage("unknown governance action tag 9");
        assertThatThrownBy(() -> GovernanceCodec.readTarget(new Decoder(new byte[] {4})))
                .hasMessage("unknown revocation target tag 4");
    }

    @Test
    void everyEventOpensWithItsTypeCode() {
        for (EventType t : EventType.values()) {
            byte[] bytes = LedgerEvent.of(t, null, null, null, 0, "").encode();
            assertThat(bytes[0] & 0xFF).as(t.name()).isEqualTo(t.code());
            assertThat(LedgerEvent.decode(bytes).type()).isEqualTo(t);
        }
    }

    @Test
    void inputSchemaKindsArePinned() {
        List<Case<InputSchema>> kinds = List.of(
                new Case<>("Utf8Text", 1, new InputSchema.Utf8Text(1, 10)),
                new Case<>("Float32Tensor", 2, new InputSchema.Float32Tensor(List.of(1, 2), 0, 0)),
                new Case<>("TokenIds", 3, new InputSchema.TokenIds(4, 100)),
                new Case<>("TokenGeneration", 4, new InputSchema.TokenGeneration(100, 16, 8, 1, 1)));
        for (Case<InputSchema> c : kinds) {
            assertThat(c.sample().kind()).as(c.constant()).isEqualTo(c.tag());
            assertThat(InputSchema.encode(c.sample())[0] & 0xFF).as(c.constant()).isEqualTo(c.tag());
        }
        assertThat(Arrays.stream(InputSchema.class.getPermittedSubclasses()).map(Class::getSimpleName))
                .containsExactlyInAnyOrderElementsOf(kinds.stream().map(Case::constant).toList());
    }

    private static <T> void assertFirstByte(List<Case<T>> cases, BiConsumer<Encoder, T> write) {
        for (Case<T> c : cases) {
            Encoder e = new Encoder();
            write.accept(e, c.sample());
            assertThat(e.toByteArray()[0] & 0xFF).as(c.constant()).isEqualTo(c.tag());
        }
    }

    /** The tag class holds exactly these constants, with these numbers. */
    private static void assertPinned(Class<?> tags, List<? extends Case<?>> cases) {
        Map<String, Integer> declared = Arrays.stream(tags.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
                .collect(Collectors.toMap(Field::getName, PayloadTagsTest::value));
        Map<String, Integer> pinned = cases.stream().collect(Collectors.toMap(Case::constant, Case::tag));
        assertThat(declared).as("%s: a new tag needs a case here and a row in docs/PROTOCOL.md", tags.getSimpleName())
                .containsExactlyInAnyOrderEntriesOf(pinned);
    }

    /** Every permitted subclass of {@code sealed} has a case whose constant is its name in upper snake case. */
    private static void assertEveryVariantHasACase(Class<?> sealed, List<? extends Case<?>> cases, String prefix) {
        Set<String> expected = Arrays.stream(sealed.getPermittedSubclasses())
                .map(c -> prefix + snake(c.getSimpleName().replaceFirst("Target$", ""))).collect(Collectors.toSet());
        assertThat(cases.stream().map(Case::constant).collect(Collectors.toSet()))
                .as("%s: every variant needs a tag", sealed.getSimpleName()).isEqualTo(expected);
        Set<Class<?>> classes = cases.stream().map(c -> (Class<?>) c.sample().getClass()).collect(Collectors.toSet());
        assertThat(classes).isEqualTo(Set.of(sealed.getPermittedSubclasses()));
    }

    private static void assertUnique(List<? extends Case<?>> cases) {
        assertThat(cases.stream().map(Case::tag).distinct().count()).as("tags are unique").isEqualTo(cases.size());
        assertThat(cases).allSatisfy(c -> assertThat(c.tag()).isBetween(0, 255));
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static int value(Field f) {
        try {
            return f.getInt(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
