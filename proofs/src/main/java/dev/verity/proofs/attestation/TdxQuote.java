package dev.verity.proofs.attestation;

import java.util.Arrays;

/**
 * An Intel TDX DCAP quote, version 4 or 5, with ECDSA-256 attestation key and QE-report certification
 * data (type 6) that nests the PCK certificate chain (type 5, PEM).
 *
 * <p>Layout (all integers little-endian): header (48 bytes); version 4: TD report 1.0 (584 bytes);
 * version 5: u16 body type (2 = TD report 1.0, 3 = TD report 1.5) + u32 body size + the TD report
 * (584 or 648 bytes: 1.5 appends TEE_TCB_SVN_2 and MRSERVICETD); then u32 signature data length,
 * signature data: quote signature (64, r||s big-endian) over everything before the signature data
 * length (header, for v5 the body type and size, and the TD report), attestation public key (64,
 * x||y), certification data type u16 (6) + u32 size + [QE report (384), QE report signature (64), u16
 * QE auth data length + data, certification data type u16 (5) + u32 size + PEM].
 *
 * <p>Bytes after the declared signature data (covered by no signature) are ignored by the parser and
 * only counted in {@code trailingBytes}; the real go-tdx-guest test quote carries such bytes.
 *
 * <p>Byte-array components are defensive copies; accessors return fresh copies.
 *
 * @param bodyType 2 (TD report 1.0; always for version 4) or 3 (TD report 1.5)
 * @param body the TD report
 */
public record TdxQuote(
        int version,
        int bodyType,
        int attestationKeyType,
        long teeType,
        byte[] qeVendorId,
        byte[] header,
        byte[] body,
        byte[] signature,
        byte[] attestationKey,
        byte[] qeReport,
        byte[] qeReportSignature,
        byte[] qeAuthData,
        byte[] pckCertChainPem,
        int trailingBytes) {

    public static final int VERSION_4 = 4;
    public static final int VERSION_5 = 5;
    public static final int BODY_TD_REPORT_10 = 2;
    public static final int BODY_TD_REPORT_15 = 3;
    public static final int ATT_KEY_TYPE_ECDSA_P256 = 2;
    public static final long TEE_TYPE_TDX = 0x81;
    public static final int HEADER_SIZE = 48;
    public static final int BODY_SIZE = 584;
    public static final int BODY_15_SIZE = 648;
    /** Body type (u16) and body size (u32) that version 5 puts between header and TD report. */
    private static final int BODY_DESCRIPTOR_SIZE = 6;
    public static final int QE_REPORT_SIZE = 384;
    public static final int CERT_DATA_QE_REPORT = 6;
    public static final int CERT_DATA_PCK_CHAIN = 5;

    // Offsets inside the TD report: TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, SEAMATTRIBUTES, TDATTRIBUTES, XFAM, MRTD, ...
    private static final int MRSIGNERSEAM_OFFSET = 16 + 48;
    private static final int SEAMATTRIBUTES_OFFSET = MRSIGNERSEAM_OFFSET + 48;
    private static final int TDATTRIBUTES_OFFSET = SEAMATTRIBUTES_OFFSET + 8;
    private static final int MRTD_OFFSET = TDATTRIBUTES_OFFSET + 8 + 8;
    private static final int RTMR0_OFFSET = MRTD_OFFSET + 48 * 4;
    private static final int REPORT_DATA_OFFSET = RTMR0_OFFSET + 48 * 4;
    /** TD report 1.5 only, after the 1.0 fields. */
    private static final int TEE_TCB_SVN_2_OFFSET = BODY_SIZE;
    private static final int MRSERVICETD_OFFSET = TEE_TCB_SVN_2_OFFSET + 16;
    // Offsets inside the 384-byte SGX report body of the QE.
    private static final int QE_MISCSELECT_OFFSET = 16;
    private static final int QE_ATTRIBUTES_OFFSET = 48;
    private static final int QE_MRSIGNER_OFFSET = 128;
    private static final int QE_ISVPRODID_OFFSET = 256;
    private static final int QE_ISVSVN_OFFSET = 258;
    private static final int QE_REPORT_DATA_OFFSET = 320;

    public TdxQuote {
        qeVendorId = qeVendorId.clone();
        header = header.clone();
        body = body.clone();
        signature = signature.clone();
        attestationKey = attestationKey.clone();
        qeReport = qeReport.clone();
        qeReportSignature = qeReportSignature.clone();
        qeAuthData = qeAuthData.clone();
        pckCertChainPem = pckCertChainPem.clone();
    }

    /**
     * Parses a quote.
     *
     * @throws IllegalArgumentException with a specific message if the quote is truncated, has trailing
     *     bytes, or is not a v4/v5 ECDSA-256 TDX quote with QE-report / PCK-chain certification data
     */
    public static TdxQuote parse(byte[] quote) {
        if (quote == null) {
            throw new IllegalArgumentException("TDX quote is null");
        }
        Reader r = new Reader(quote);
        byte[] header = r.bytes(HEADER_SIZE, "header");
        int version = u16(header, 0);
        if (version != VERSION_4 && version != VERSION_5) {
            throw new IllegalArgumentException("unsupported TDX quote version " + version + " (expected 4 or 5)");
        }
        int keyType = u16(header, 2);
        if (keyType != ATT_KEY_TYPE_ECDSA_P256) {
            throw new IllegalArgumentException("unsupported attestation key type " + keyType + " (expected 2, ECDSA-256)");
        }
        long teeType = u32(header, 4);
        if (teeType != TEE_TYPE_TDX) {
            throw new IllegalArgumentException("unsupported TEE type 0x" + Long.toHexString(teeType) + " (expected 0x81, TDX)");
        }
        byte[] qeVendorId = Arrays.copyOfRange(header, 12, 28);
        int bodyType = BODY_TD_REPORT_10;
        int bodySize = BODY_SIZE;
        if (version == VERSION_5) {
            bodyType = r.u16("body type");
            long declaredSize = r.u32("body size");
            bodySize = switch (bodyType) {
                case BODY_TD_REPORT_10 -> BODY_SIZE;
                case BODY_TD_REPORT_15 -> BODY_15_SIZE;
                default -> throw new IllegalArgumentException("unsupported TDX quote body type " + bodyType
                        + " (expected 2, TD report 1.0, or 3, TD report 1.5)");
            };
            if (declaredSize != bodySize) {
                throw new IllegalArgumentException("TDX quote body size " + declaredSize + " does not match body type "
                        + bodyType + " (" + bodySize + " bytes)");
            }
        }
        byte[] body = r.bytes(bodySize, "TD report body");
        long sigDataLen = r.u32("signature data length");
        if (sigDataLen > r.remaining()) {
            throw new IllegalArgumentException("truncated TDX quote: signature data length " + sigDataLen
                    + " exceeds the " + r.remaining() + " remaining bytes");
        }
        int trailing = r.remaining() - (int) sigDataLen;
        r.limit(r.pos + (int) sigDataLen);
        byte[] signature = r.bytes(64, "quote signature");
        byte[] attKey = r.bytes(64, "attestation key");
        int certType = r.u16("certification data type");
        if (certType != CERT_DATA_QE_REPORT) {
            throw new IllegalArgumentException("unsupported certification data type " + certType + " (expected 6)");
        }
        long certSize = r.u32("certification data size");
        if (certSize != r.remaining()) {
            throw new IllegalArgumentException("certification data size " + certSize + " does not match the "
                    + r.remaining() + " remaining bytes");
        }
        byte[] qeReport = r.bytes(QE_REPORT_SIZE, "QE report");
        byte[] qeReportSig = r.bytes(64, "QE report signature");
        int authLen = r.u16("QE auth data length");
        byte[] authData = r.bytes(authLen, "QE auth data");
        int innerType = r.u16("PCK certification data type");
        if (innerType != CERT_DATA_PCK_CHAIN) {
            throw new IllegalArgumentException("unsupported nested certification data type " + innerType
                    + " (expected 5, PCK certificate chain)");
        }
        long innerSize = r.u32("PCK certification data size");
        if (innerSize != r.remaining()) {
            throw new IllegalArgumentException("PCK certification data size " + innerSize + " does not match the "
                    + r.remaining() + " remaining bytes");
        }
        byte[] pem = r.bytes((int) innerSize, "PCK certificate chain");
        return new TdxQuote(version, bodyType, keyType, teeType, qeVendorId, header, body, signature, attKey, qeReport,
                qeReportSig, authData, pem, trailing);
    }

    /** The bytes the quote signature covers: header || body (v4), header || body type || body size || body (v5). */
    public byte[] signedBytes() {
        int descriptor = version == VERSION_5 ? BODY_DESCRIPTOR_SIZE : 0;
        byte[] out = new byte[HEADER_SIZE + descriptor + body.length];
        System.arraycopy(header, 0, out, 0, HEADER_SIZE);
        if (descriptor > 0) {
            out[HEADER_SIZE] = (byte) bodyType;
            out[HEADER_SIZE + 1] = (byte) (bodyType >> 8);
            int n = body.length;
            for (int i = 0; i < 4; i++) {
                out[HEADER_SIZE + 2 + i] = (byte) (n >> (8 * i));
            }
        }
        System.arraycopy(body, 0, out, HEADER_SIZE + descriptor, body.length);
        return out;
    }

    /** TEE_TCB_SVN (16 bytes): the TDX module's SVN (byte 0 minor, byte 1 major) and other TDX TCB components. */
    public byte[] teeTcbSvn() {
        return Arrays.copyOfRange(body, 0, 16);
    }

    /** MRSIGNERSEAM (48 bytes): the signer of the TDX module, zero for Intel's. */
    public byte[] mrSignerSeam() {
        return Arrays.copyOfRange(body, MRSIGNERSEAM_OFFSET, MRSIGNERSEAM_OFFSET + 48);
    }

    /** SEAMATTRIBUTES (8 bytes). */
    public byte[] seamAttributes() {
        return Arrays.copyOfRange(body, SEAMATTRIBUTES_OFFSET, SEAMATTRIBUTES_OFFSET + 8);
    }

    /** TEE_TCB_SVN_2 (16 bytes) of a TD report 1.5, null for 1.0. */
    public byte[] teeTcbSvn2() {
        return bodyType == BODY_TD_REPORT_15 ? Arrays.copyOfRange(body, TEE_TCB_SVN_2_OFFSET, TEE_TCB_SVN_2_OFFSET + 16) : null;
    }

    /** MRSERVICETD (48 bytes) of a TD report 1.5, null for 1.0. */
    public byte[] mrServiceTd() {
        return bodyType == BODY_TD_REPORT_15 ? Arrays.copyOfRange(body, MRSERVICETD_OFFSET, MRSERVICETD_OFFSET + 48) : null;
    }

    public byte[] mrtd() {
        return Arrays.copyOfRange(body, MRTD_OFFSET, MRTD_OFFSET + 48);
    }

    /** RTMR0..3, 48 bytes each. */
    public byte[][] rtmrs() {
        byte[][] out = new byte[4][];
        for (int i = 0; i < 4; i++) {
            out[i] = Arrays.copyOfRange(body, RTMR0_OFFSET + 48 * i, RTMR0_OFFSET + 48 * (i + 1));
        }
        return out;
    }

    public byte[] reportData() {
        return Arrays.copyOfRange(body, REPORT_DATA_OFFSET, REPORT_DATA_OFFSET + 64);
    }

    /** TD attributes (8 bytes, little-endian); bit 0 is DEBUG. */
    public long tdAttributes() {
        return u32(body, TDATTRIBUTES_OFFSET) | (u32(body, TDATTRIBUTES_OFFSET + 4) << 32);
    }

    /** Whether the TD runs in debug mode (TD attributes bit 0), which exposes its memory to the host. */
    public boolean debug() {
        return (tdAttributes() & 1) != 0;
    }

    /** MISCSELECT of the QE's SGX report. */
    public long qeMiscSelect() {
        return u32(qeReport, QE_MISCSELECT_OFFSET);
    }

    /** ATTRIBUTES (16 bytes) of the QE's SGX report. */
    public byte[] qeAttributes() {
        return Arrays.copyOfRange(qeReport, QE_ATTRIBUTES_OFFSET, QE_ATTRIBUTES_OFFSET + 16);
    }

    /** MRSIGNER (32 bytes) of the QE's SGX report. */
    public byte[] qeMrSigner() {
        return Arrays.copyOfRange(qeReport, QE_MRSIGNER_OFFSET, QE_MRSIGNER_OFFSET + 32);
    }

    public int qeIsvProdId() {
        return u16(qeReport, QE_ISVPRODID_OFFSET);
    }

    public int qeIsvSvn() {
        return u16(qeReport, QE_ISVSVN_OFFSET);
    }

    /** REPORTDATA of the QE's SGX report (64 bytes). */
    public byte[] qeReportData() {
        return Arrays.copyOfRange(qeReport, QE_REPORT_DATA_OFFSET, QE_REPORT_DATA_OFFSET + 64);
    }

    @Override public byte[] qeVendorId() { return qeVendorId.clone(); }
    @Override public byte[] header() { return header.clone(); }
    @Override public byte[] body() { return body.clone(); }
    @Override public byte[] signature() { return signature.clone(); }
    @Override public byte[] attestationKey() { return attestationKey.clone(); }
    @Override public byte[] qeReport() { return qeReport.clone(); }
    @Override public byte[] qeReportSignature() { return qeReportSignature.clone(); }
    @Override public byte[] qeAuthData() { return qeAuthData.clone(); }
    @Override public byte[] pckCertChainPem() { return pckCertChainPem.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TdxQuote q && Arrays.equals(signedBytes(), q.signedBytes())
                && Arrays.equals(signature, q.signature) && Arrays.equals(attestationKey, q.attestationKey)
                && Arrays.equals(qeReport, q.qeReport) && Arrays.equals(qeReportSignature, q.qeReportSignature)
                && Arrays.equals(qeAuthData, q.qeAuthData) && Arrays.equals(pckCertChainPem, q.pckCertChainPem)
                && trailingBytes == q.trailingBytes;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signedBytes()) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "TdxQuote[version=" + version + ", bodyType=" + bodyType + ", teeType=0x" + Long.toHexString(teeType) + ", trailingBytes="
                + trailingBytes + "]";
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;
        private int end;

        Reader(byte[] b) {
            this.b = b;
            this.end = b.length;
        }

        int remaining() {
            return end - pos;
        }

        void limit(int newEnd) {
            end = newEnd;
        }

        byte[] bytes(int n, String what) {
            if (n < 0 || n > remaining()) {
                throw new IllegalArgumentException("truncated TDX quote: " + what + " needs " + n + " bytes at offset "
                        + pos + ", only " + remaining() + " left");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        int u16(String what) {
            return TdxQuote.u16(bytes(2, what), 0);
        }

        long u32(String what) {
            return TdxQuote.u32(bytes(4, what), 0);
        }
    }
}
