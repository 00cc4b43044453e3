package dev.verity.proofs.attestation;

import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The SGX extensions of an Intel PCK certificate (OID 1.2.840.113741.1.13.1): the platform's TCB as
 * Intel certified it (16 component SVNs, the PCE SVN, CPUSVN), the PCE ID and the FMSPC, which names
 * the TCB info that applies. Byte arrays are copies.
 */
record PckSgxExtensions(int[] sgxSvns, int pceSvn, byte[] cpuSvn, byte[] pceId, byte[] fmspc) {

    static final String OID = "1.2.840.113741.1.13.1";
    private static final ASN1ObjectIdentifier SGX = new ASN1ObjectIdentifier(OID);
    private static final ASN1ObjectIdentifier TCB = SGX.branch("2");
    private static final ASN1ObjectIdentifier PCE_ID = SGX.branch("3");
    private static final ASN1ObjectIdentifier FMSPC = SGX.branch("4");

    PckSgxExtensions {
        sgxSvns = sgxSvns.clone();
        cpuSvn = cpuSvn.clone();
        pceId = pceId.clone();
        fmspc = fmspc.clone();
    }

    @Override public int[] sgxSvns() { return sgxSvns.clone(); }
    @Override public byte[] cpuSvn() { return cpuSvn.clone(); }
    @Override public byte[] pceId() { return pceId.clone(); }
    @Override public byte[] fmspc() { return fmspc.clone(); }

    /**
     * Reads the extensions of a PCK certificate.
     *
     * @throws IllegalArgumentException when the extension is missing or malformed
     */
    static PckSgxExtensions of(Certificate pck) {
        Extension ext = pck.getTBSCertificate().getExtensions() == null ? null
                : pck.getTBSCertificate().getExtensions().getExtension(SGX);
        if (ext == null) {
            throw new IllegalArgumentException("the PCK leaf certificate has no SGX extensions (" + OID + ")");
        }
        ASN1Sequence entries = ASN1Sequence.getInstance(ext.getExtnValue().getOctets());
        ASN1Sequence tcb = ASN1Sequence.getInstance(entry(entries, TCB));
        int[] svns = new int[16];
        for (int i = 0; i < 16; i++) {
            svns[i] = smallInt(entry(tcb, TCB.branch(Integer.toString(i + 1))), 0xFF);
        }
        int pceSvn = smallInt(entry(tcb, TCB.branch("17")), 0xFFFF);
        byte[] cpuSvn = octets(entry(tcb, TCB.branch("18")), 16);
        return new PckSgxExtensions(svns, pceSvn, cpuSvn, octets(entry(entries, PCE_ID), 2), octets(entry(entries, FMSPC), 6));
    }

    /** The value of the {@code SEQUENCE {OID, value}} entry with this OID. */
    private static ASN1Encodable entry(ASN1Sequence entries, ASN1ObjectIdentifier oid) {
        for (ASN1Encodable e : entries) {
            ASN1Sequence pair = ASN1Sequence.getInstance(e);
            if (pair.size() == 2 && oid.equals(pair.getObjectAt(0))) {
                return pair.getObjectAt(1);
            }
        }
        throw new IllegalArgumentException("the PCK leaf certificate's SGX extensions lack " + oid.getId());
    }

    private static int smallInt(ASN1Encodable v, int max) {
        BigInteger i = ASN1Integer.getInstance(v).getValue();
        if (i.signum() < 0 || i.bitLength() > 16 || i.intValue() > max) {
            throw new IllegalArgumentException("SGX extension value out of range: " + i);
        }
        return i.intValue();
    }

    private static byte[] octets(ASN1Encodable v, int length) {
        byte[] b = ASN1OctetString.getInstance(v).getOctets();
        if (b.length != length) {
            throw new IllegalArgumentException("SGX extension value has " + b.length + " bytes (expected " + length + ")");
        }
        return b;
    }
}
