package dev.verity.sdk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The chain's trusted-execution policy as {@code GET /v1/tee} shows it: who governs it, the number
 * the next governance proposal must carry, the collateral trusted, the approved builds, the
 * revocations in force, the minimum TCB versions and the registered enclaves. Keys, hashes,
 * measurements and chip ids are lowercase hex; TEE types are {@code SEV_SNP} or {@code TDX}.
 */
public record TeePolicyView(CouncilView council, long nextProposal, List<CollateralView> collateral,
                            List<MeasurementView> approvedMeasurements, List<RevocationView> revocations,
                            List<MinimumTcbView> minimumTcbs, List<EnclaveView> enclaves) {

    /** Any {@code threshold} of {@code members} (public keys) approve a proposal together. */
    public record CouncilView(List<String> members, int threshold) {}

    /**
     * Verification collateral in chain state. {@code id} is its key (SHA-256 of type, kind and data),
     * {@code sha256} the SHA-256 of the data alone; {@code subject} is the X.509 subject of a
     * certificate (null for other kinds); {@code bytes} the size of the data.
     */
    public record CollateralView(String id, String type, String kind, String sha256, String subject, int bytes) {}

    /** An approved build of the node software for one TEE type (a 48-byte measurement). */
    public record MeasurementView(String type, String measurement, String label) {}

    /** A revocation in force since block {@code height}; {@code id} is SHA-256 of the target's encoding. */
    public record RevocationView(String id, RevocationTargetView target, String description, String reason, long height) {}

    /**
     * What is revoked: {@code kind} VENDOR (every enclave of the type), CHIP ({@code chipId} set) or
     * MEASUREMENT ({@code measurement} set). Fields that do not apply are left out of the JSON.
     */
    public record RevocationTargetView(String kind, String type,
                                       @JsonInclude(JsonInclude.Include.NON_NULL) String chipId,
                                       @JsonInclude(JsonInclude.Include.NON_NULL) String measurement) {}

    /** The lowest TCB version accepted for a TEE type, as security version numbers in the type's order. */
    public record MinimumTcbView(String type, List<Integer> components) {}

    /**
     * A registered enclave key and what its evidence said. {@code chipId} is null when the evidence
     * carries none; {@code rootId} is the id of the root certificate collateral that anchored it.
     */
    public record EnclaveView(String enclaveKey, String node, String type, String measurement, String chipId,
                              List<Integer> tcb, String rootId, long registeredAt) {}
}
