package dev.verity.proofs.attestation;

import dev.verity.core.Bytes;
import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;

/**
 * The development enclave's attestation document. It has the shape of a hardware report: a
 * measurement of the code, 64 bytes of report data chosen by the enclave, and a signature by a
 * platform key the chain trusts (on real hardware, the vendor's chip key).
 *
 * <p>Encoding: tag 0xD1, u8 version (1), platform key (32), measurement (32), report data (64),
 * signature (64) over {@code "verity-dev-attestation-v1" || version || platformKey || measurement || reportData}.
 */
public record DevAttestation(int version, PublicKey platformKey, Hash measurement, byte[] reportData, Signature signature) {
    public static final int VERSION = 1;
    public static final int REPORT_DATA_LENGTH = 64;
    public static final int ENCODED_LENGTH = 2 + 32 + 32 + 64 + 64;
    private static final byte[] DOMAIN = Bytes.utf8("verity-dev-attestation-v1");

    public DevAttestation {
        if (reportData.length != REPORT_DATA_LENGTH) {
            throw new IllegalArgumentException("report data is 64 bytes, got " + reportData.length);
        }
        reportData = reportData.clone();
    }

    @Override
    public byte[] reportData() {
        return reportData.clone();
    }

    public static byte[] signedBytes(int version, PublicKey platformKey, Hash measurement, byte[] reportData) {
        return new Encoder(200).fixed(DOMAIN).u8(version).publicKey(platformKey).hash(measurement).fixed(reportData).toByteArray();
    }

    public byte[] encode() {
        return new Encoder(ENCODED_LENGTH).u8(AttestationFormat.DEV.tag()).u8(version).publicKey(platformKey)
                .hash(measurement).fixed(reportData).signature(signature).toByteArray();
    }

    public static DevAttestation decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        int tag = d.u8("attestation format");
        if (tag != AttestationFormat.DEV.tag()) {
            throw new dev.verity.core.DecodingException("not a development attestation (format tag " + tag + ")");
        }
        DevAttestation a = new DevAttestation(d.u8("version"), d.publicKey("platform key"), d.hash("measurement"),
                d.fixed(REPORT_DATA_LENGTH, "report data"), d.signature("signature"));
        d.end("development attestation");
        return a;
    }
}
