package dev.verity.proofs.attestation;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * The AMD KDS extensions of a VCEK or VLEK certificate: the security patch levels it was derived for, and
 * what it belongs to (a chip's hwID for a VCEK, a cloud provider's CSP ID for a VLEK).
 */
final class AmdKeyExtensions {
    /** Turin's chip id is 8 bytes; its report zero-pads CHIP_ID, and a hwID may carry just the 8. */
    private static final int SHORT_HW_ID_LENGTH = 8;

    private final Extensions ext;

    private AmdKeyExtensions(Extensions ext) {
        this.ext = ext;
    }

    /** The extensions of a certificate, or null when it has none. */
    static AmdKeyExtensions of(X509Cert cert) {
        Extensions ext = cert.cert().getTBSCertificate().getExtensions();
        return ext == null ? null : new AmdKeyExtensions(ext);
    }

    /** AMD's hwID: 64 raw bytes, or (some KDS versions) an OCTET STRING of them; null when absent. */
    byte[] hwId() {
        byte[] v = octets(SevSnpVerifier.OID_HW_ID);
        if (v == null) {
            return null;
        }
        if (v.length == 64 || v.length == SHORT_HW_ID_LENGTH) {
            return v;
        }
        return ASN1OctetString.getInstance(v).getOctets();
    }

    /** The VLEK's CSP ID (an IA5String naming the cloud provider), or null when absent. */
    String cspId() {
        byte[] v = octets(SevSnpVerifier.OID_CSP_ID);
        return v == null ? null : ASN1IA5String.getInstance(v).getString();
    }

    /** Whether the hwID names the report's CHIP_ID. */
    static boolean hwIdMatches(byte[] hwId, byte[] chipId) {
        if (hwId.length == chipId.length) {
            return Arrays.equals(hwId, chipId);
        }
        if (hwId.length != SHORT_HW_ID_LENGTH) {
            return false;
        }
        for (int i = SHORT_HW_ID_LENGTH; i < chipId.length; i++) {
            if (chipId[i] != 0) {
                return false;
            }
        }
        return Arrays.equals(hwId, Arrays.copyOf(chipId, SHORT_HW_ID_LENGTH));
    }

    /**
     * Why the certificate's patch levels differ from {@code tcb} (read in the layout of the product line), or
     * null when they all match. Turin adds the FMC level.
     */
    String tcbMismatch(SevSnpTcb tcb, String role) {
        boolean turin = tcb.layout() == SevSnpTcb.Layout.TURIN;
        String[] oids = turin
                ? new String[] {SevSnpVerifier.OID_BL_SPL, SevSnpVerifier.OID_TEE_SPL, SevSnpVerifier.OID_SNP_SPL,
                        SevSnpVerifier.OID_UCODE_SPL, SevSnpVerifier.OID_FMC_SPL}
                : new String[] {SevSnpVerifier.OID_BL_SPL, SevSnpVerifier.OID_TEE_SPL, SevSnpVerifier.OID_SNP_SPL,
                        SevSnpVerifier.OID_UCODE_SPL};
        String[] names = {"blSPL", "teeSPL", "snpSPL", "ucodeSPL", "fmcSPL"};
        int[] expected = turin
                ? new int[] {tcb.bootloader(), tcb.tee(), tcb.snp(), tcb.microcode(), tcb.fmc()}
                : new int[] {tcb.bootloader(), tcb.tee(), tcb.snp(), tcb.microcode()};
        for (int i = 0; i < oids.length; i++) {
            Integer v = spl(oids[i]);
            if (v == null) {
                return "the " + role + " has no " + names[i] + " extension";
            }
            if (v != expected[i]) {
                return "the " + role + "'s " + names[i] + " (" + v + ") does not match the report's REPORTED_TCB ("
                        + expected[i] + ")";
            }
        }
        return null;
    }

    private Integer spl(String oid) {
        byte[] v = octets(oid);
        if (v == null) {
            return null;
        }
        BigInteger i = ASN1Integer.getInstance(v).getValue();
        if (i.signum() < 0 || i.bitLength() > 8) {
            throw new IllegalArgumentException("SPL extension " + oid + " out of range: " + i);
        }
        return i.intValue();
    }

    private byte[] octets(String oid) {
        Extension e = ext.getExtension(new ASN1ObjectIdentifier(oid));
        return e == null ? null : e.getExtnValue().getOctets();
    }
}
