package dev.verity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Coded;
import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.inference.program.DType;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.Codecs;
import dev.verity.ledger.state.DisputeKind;
import dev.verity.ledger.state.DisputePhase;
import dev.verity.ledger.state.JobFailure;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.tx.FailureReason;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every enum that reaches consensus bytes (transactions, state, events, attestation documents, integer programs)
 * has explicit codes, pinned here: reordering, renaming or inserting a constant must not change a code, and a new
 * constant must be given one on purpose (and added here and to docs/PROTOCOL.md). Codes are unique within an enum, and decoding refuses a code no constant has.
 */
class CodedEnumTest {
    /** One enum: its constants, how it decodes a code, what its decoding error calls it, and its pinned table. */
    record Pinned<E extends Enum<E> & Coded>(Class<E> type, IntFunction<E> fromCode, String what, Map<String, Integer> codes) {}

    static Map<String, Integer> table(Object... nameCode) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameCode.length; i += 2) {
            m.put((String) nameCode[i], (Integer) nameCode[i + 1]);
        }
        return m;
    }

    static final List<Pinned<?>> PINNED = List.of(
            new Pinned<>(VerificationMode.class, VerificationMode::fromCode, "verification mode",
                    table("NONE", 0, "TEE", 1, "OPTIMISTIC", 2, "SAMPLED", 3, "ZK", 4)),
            new Pinned<>(JobStatus.class, JobStatus::fromCode, "job status",
                    table("QUEUED", 0, "ASSIGNED", 1, "SETTLED", 2, "EXPIRED", 3, "CANCELLED", 4, "VERIFYING", 5, "DISPUTED", 6,
                            "FAILED", 7)),
            new Pinned<>(NodeStatus.class, NodeStatus::fromCode, "node status", table("ACTIVE", 0, "JAILED", 1)),
            new Pinned<>(EventType.class, EventType::fromCode, "event type", table(
                    "TRANSFER", 0, "NODE_REGISTERED", 1, "STAKE_BONDED", 2, "STAKE_UNBONDING", 3, "STAKE_WITHDRAWN", 4,
                    "NODE_JAILED", 5, "NODE_UNJAILED", 6, "MODEL_REGISTERED", 7, "ENCLAVE_REGISTERED", 8, "JOB_SUBMITTED", 9,
                    "JOB_ASSIGNED", 10, "MODE_FALLBACK", 11, "RESULT_POSTED", 12, "JOB_SETTLED", 13, "NODE_PAID", 14,
                    "VALIDATOR_PAID", 15, "TREASURY_PAID", 16, "CLIENT_REFUNDED", 17, "DEADLINE_MISSED", 18, "NODE_PENALIZED", 19,
                    "JOB_REQUEUED", 20, "JOB_EXPIRED", 21, "GOVERNANCE_APPLIED", 22, "ENCLAVE_REVOKED", 23, "JOB_MOVED", 24,
                    "JOB_CANCELLED", 25, "PROGRAM_REGISTERED", 26, "RESULT_PENDING", 27, "JOB_DISPUTED", 28, "DISPUTE_MOVE", 29,
                    "DISPUTE_RESOLVED", 30, "NODE_SLASHED", 31, "BOND_SLASHED", 32, "BOND_RETURNED", 33, "DISPUTE_REWARD", 34,
                    "AUDIT_ASSIGNED", 35, "AUDIT_SKIPPED", 36, "AUDIT_PASSED", 37, "AUDITOR_PAID", 38, "CAPACITY_CHANGED", 39,
                    "JOB_FAILED", 40, "VALIDATOR_JOINED", 41, "VALIDATOR_BONDED", 42, "VALIDATOR_LEFT", 43,
                    "VALIDATOR_SLASHED", 44, "EQUIVOCATION_REWARD", 45,
                    "NODE_ENDPOINT_SET", 46)),
            new Pinned<>(FailureReason.class, FailureReason::fromCode, "failure reason", table("INPUT_REJECTED", 1, "NODE_FAULT", 2)),
            new Pinned<>(FinishReason.class, FinishReason::fromCode, "finish reason",
                    table("END_OF_TEXT", 1, "STOP_SEQUENCE", 2, "LENGTH", 3)),
            new Pinned<>(ClaimPhase.class, ClaimPhase::fromCode, "claim phase",
                    table("CHALLENGE_WINDOW", 0, "AWAITING_AUDIT_DRAW", 1, "AUDITING", 2, "DISPUTED", 3, "AWAITING_AUDITOR", 4)),
            new Pinned<>(DisputeKind.class, DisputeKind::fromCode, "dispute kind", table("CHALLENGE", 0, "AUDIT", 1)),
            new Pinned<>(DisputePhase.class, DisputePhase::fromCode, "dispute phase", table("BISECT", 0, "STEP", 1)),
            new Pinned<>(CollateralKind.class, CollateralKind::fromCode, "collateral kind", table("ROOT_CERTIFICATE", 0,
                    "REVOCATION_LIST", 1, "TCB_INFO", 2, "QE_IDENTITY", 3, "TCB_SIGNING_CERTIFICATE", 4)),
            // also the tag byte that opens an attestation document
            new Pinned<>(TeeType.class, TeeType::fromCode, "TEE type", table("SEV_SNP", 0x51, "TDX", 0x54)),
            // in integer programs, their leaves and step witnesses: the program root registered on chain commits to them
            new Pinned<>(DType.class, DType::fromCode, "dtype", table("INT8", 1, "INT16", 2, "INT32", 3)));

    @Test
    void everyConstantHasItsPinnedCode() {
        for (Pinned<?> p : PINNED) {
            Map<String, Integer> actual = new LinkedHashMap<>();
            for (Enum<?> e : p.type().getEnumConstants()) {
                actual.put(e.name(), ((Coded) e).code());
            }
            assertThat(actual).as("%s: a new constant needs a pinned code here and in docs/PROTOCOL.md", p.type().getSimpleName())
                    .containsExactlyInAnyOrderEntriesOf(p.codes());
        }
    }

    @Test
    void codesAreUniqueAndFitOneByte() {
        for (Pinned<?> p : PINNED) {
            Set<Integer> seen = new HashSet<>();
            for (Enum<?> e : p.type().getEnumConstants()) {
                int code = ((Coded) e).code();
                assertThat(seen.add(code)).as("%s.%s code %d is unique", p.type().getSimpleName(), e.name(), code).isTrue();
                assertThat(code).as("encoded as u8").isBetween(0, 254);
            }
        }
    }

    @Test
    void everyCodeDecodesToItsConstantAndEveryOtherCodeIsRefused() {
        for (Pinned<?> p : PINNED) {
            Set<Integer> known = p.codes().values().stream().collect(Collectors.toSet());
            for (Map.Entry<String, Integer> e : p.codes().entrySet()) {
                assertThat(p.fromCode().apply(e.getValue()).name()).isEqualTo(e.getKey());
            }
            for (int code = -1; code <= 256; code++) {
                if (known.contains(code)) {
                    continue;
                }
                int c = code;
                assertThatThrownBy(() -> p.fromCode().apply(c)).as("%s code %d", p.type().getSimpleName(), c)
                        .isExactlyInstanceOf(DecodingException.class).hasMessage("unknown " + p.what() + " code " + c);
            }
        }
    }

    @Test
    void theCodesNotTheOrdinalsAreWhatTheEncodingsCarry() {
        // FailureReason is the one enum whose codes are not its ordinals: the encodings must carry the code
        assertThat(Arrays.stream(FailureReason.values()).map(r -> r.code() == r.ordinal()).distinct()).containsExactly(false);
        byte[] failure = Codecs.JOB_FAILURE.encode(new JobFailure(FailureReason.NODE_FAULT, "m", TestChain.ALICE.publicKey(), 7));
        assertThat(failure[0]).isEqualTo((byte) 2);
        byte[] unknown = failure.clone();
        unknown[0] = 0;
        assertThatThrownBy(() -> Codecs.JOB_FAILURE.decode(unknown)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("unknown failure reason code 0");
        // an event with a type code past the last one is refused
        byte[] event = LedgerEvent.of(EventType.NODE_ENDPOINT_SET, null, null, null, 0, "r").encode();
        assertThat(event[0]).isEqualTo((byte) 46);
        event[0] = 47;
        assertThatThrownBy(() -> LedgerEvent.decode(event)).isExactlyInstanceOf(DecodingException.class)
                .hasMessage("unknown event type code 47");
        Encoder e = new Encoder().u8(9);
        assertThatThrownBy(() -> JobStatus.fromCode(new Decoder(e.toByteArray()).u8("status"))).hasMessage("unknown job status code 9");
    }
}
