package dev.verity.compute.tee;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.SevSnpReport;
import dev.verity.proofs.attestation.TdxQuote;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The enclave of a compute node that runs inside a confidential VM (AMD SEV-SNP or Intel TDX): the whole VM is the
 * trusted environment, so the signing key is made fresh in this process's memory at start and never written
 * anywhere. Its attestation is real evidence collected through the kernel's configfs-tsm interface
 * ({@link ConfigFsTsm}), with report data that binds the key to the node on one chain
 * ({@link EnclaveBinding#reportData}); the chain checks it with the same verifiers as every other attestation.
 *
 * <p>SEV-SNP: the report, the VCEK (or VLEK) and the ASK from the host's certificate table (the auxblob). A host
 * that supplies no certificate table leaves the VCEK to the operator: fetch it from AMD's KDS for this chip and TCB
 * and pass it in. TDX: the quote, which carries its PCK certificate chain.
 *
 * <p>Tested against an emulated configfs-tsm whose reports a development AMD key signs; it has not run on real
 * confidential-computing hardware.
 */
public final class TsmEnclave implements Enclave {
    private final PrivateKey enclaveKey;
    private final Measurement measurement;
    private final byte[] attestation;

    private TsmEnclave(PrivateKey enclaveKey, Measurement measurement, byte[] attestation) {
        this.enclaveKey = enclaveKey;
        this.measurement = measurement;
        this.attestation = attestation;
    }

    /**
     * Makes the enclave key and collects its attestation for {@code nodeKey} on {@code chainId}. {@code vcekDer} is
     * the VCEK to use when the host's certificate table has none (empty: take it from the table).
     *
     * @throws EnclaveUnavailableException when this is not a confidential VM, or the evidence is unusable; the message
     *                                     says what is missing and what to do
     */
    public static TsmEnclave launch(ConfigFsTsm tsm, String chainId, PublicKey nodeKey, Optional<byte[]> vcekDer) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return launch(tsm, PrivateKey.fromSeed(seed), chainId, nodeKey, vcekDer);
    }

    /**
     * As {@link #launch(ConfigFsTsm, String, PublicKey, Optional)} with a given enclave key: one the node keeps in its
     * state folder inside the confidential VM, so that {@code verity node enclave register} and the running node hold the
     * same key.
     */
    public static TsmEnclave launch(ConfigFsTsm tsm, PrivateKey key, String chainId, PublicKey nodeKey,
                                    Optional<byte[]> vcekDer) {
        if (!tsm.available()) {
            throw new EnclaveUnavailableException("no configfs-tsm report interface at " + tsm.root()
                    + ": this machine is not a confidential VM with Linux 6.7 or later (mount configfs with"
                    + " 'mount -t configfs none /sys/kernel/config' if the kernel has it), so it cannot serve TEE jobs");
        }
        byte[] reportData = EnclaveBinding.reportData(chainId, key.publicKey(), nodeKey);
        TsmEvidence evidence;
        try {
            evidence = tsm.report(reportData);
        } catch (IOException e) {
            throw new EnclaveUnavailableException("configfs-tsm at " + tsm.root() + " gave no report: " + e.getMessage(), e);
        }
        return switch (evidence.provider()) {
            case TsmEvidence.SEV_GUEST -> sevSnp(key, reportData, evidence, vcekDer);
            case TsmEvidence.TDX_GUEST -> tdx(key, reportData, evidence);
            default -> throw new EnclaveUnavailableException("configfs-tsm provider '" + evidence.provider()
                    + "' is not one Verity verifies (sev_guest, tdx_guest)");
        };
    }

    private static TsmEnclave sevSnp(PrivateKey key, byte[] reportData, TsmEvidence evidence, Optional<byte[]> vcekDer) {
        SevSnpReport report;
        try {
            report = SevSnpReport.parse(evidence.outblob());
        } catch (IllegalArgumentException e) {
            throw new EnclaveUnavailableException("the sev_guest provider's report does not parse: " + e.getMessage(), e);
        }
        requireBinding(reportData, report.reportData());
        byte[] leaf = null;
        List<byte[]> intermediates = new ArrayList<>();
        for (SnpCertTable.Entry entry : evidence.certificates()) {
            switch (entry.kind()) {
                case "VCEK", "VLEK" -> leaf = entry.der();
                case "ASK" -> intermediates.add(entry.der());
                default -> { } // the ARK is the chain's own trust anchor and never travels with evidence
            }
        }
        if (vcekDer.isPresent()) {
            leaf = vcekDer.get().clone();
        }
        if (leaf == null) {
            throw new EnclaveUnavailableException("the host supplied no VCEK or VLEK in the SEV-SNP certificate table;"
                    + " fetch this chip's VCEK from AMD KDS (https://kdsintf.amd.com/vcek/v1/{product}/{chip id}?...)"
                    + " and pass it with --vcek FILE");
        }
        byte[] attestation = new AttestationEvidence.SevSnp(evidence.outblob(), leaf, intermediates).encode();
        return new TsmEnclave(key, new Measurement(report.measurement()), attestation);
    }

    private static TsmEnclave tdx(PrivateKey key, byte[] reportData, TsmEvidence evidence) {
        TdxQuote quote;
        try {
            quote = TdxQuote.parse(evidence.outblob());
        } catch (IllegalArgumentException e) {
            throw new EnclaveUnavailableException("the tdx_guest provider's quote does not parse: " + e.getMessage(), e);
        }
        requireBinding(reportData, quote.reportData());
        return new TsmEnclave(key, new Measurement(quote.mrtd()), new AttestationEvidence.Tdx(evidence.outblob()).encode());
    }

    /** The evidence must carry the report data asked for: anything else would bind another key (or none) to the node. */
    private static void requireBinding(byte[] asked, byte[] reported) {
        if (!java.util.Arrays.equals(asked, reported)) {
            throw new EnclaveUnavailableException("the configfs-tsm evidence carries other report data than this node asked"
                    + " for (another writer used the same entry, or the provider ignored inblob); try again");
        }
    }

    @Override
    public PublicKey publicKey() {
        return enclaveKey.publicKey();
    }

    @Override
    public Measurement measurement() {
        return measurement;
    }

    @Override
    public byte[] attestation() {
        return attestation.clone();
    }

    @Override
    public byte[] sign(TeeResultStatement statement) {
        return enclaveKey.sign(statement.signingBytes()).bytes();
    }

    @Override
    public byte[] sign(TeeFailureStatement statement) {
        return enclaveKey.sign(statement.signingBytes()).bytes();
    }
}
