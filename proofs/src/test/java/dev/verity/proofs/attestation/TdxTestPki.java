package dev.verity.proofs.attestation;

import dev.verity.core.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A complete, deterministic stand-in for Intel's TDX attestation PKI, for tests: a root CA, a PCK CA, a
 * PCK leaf with SGX extensions, a TCB signing certificate, CRLs, signed TCB info and QE identity, and
 * quotes (version 4 or 5) signed end to end. Keys come from fixed seeds, signatures are RFC 6979.
 */
final class TdxTestPki {
    static final X9ECParameters P256 = SECNamedCurves.getByName("secp256r1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    static final HexFormat HEX = HexFormat.of();

    static final long NOT_BEFORE = epoch("2020-01-01T00:00:00Z");
    static final long NOT_AFTER = epoch("2040-01-01T00:00:00Z");
    /** Collateral and CRLs are current from ISSUED to NEXT_UPDATE; tests verify at NOW. */
    static final String ISSUED = "2024-01-01T00:00:00Z";
    static final String NEXT_UPDATE = "2024-02-01T00:00:00Z";
    static final long NOW = epoch("2024-01-15T00:00:00Z");

    static final int[] SGX_SVNS = {5, 5, 2, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
    static final int PCE_SVN = 11;
    static final String FMSPC = "00906ed50000";
    static final byte[] QE_MRSIGNER = Sha256.digest("test QE signer".getBytes(StandardCharsets.UTF_8)).bytes();

    final Key rootKey = Key.of("root");
    final Key pckCaKey = Key.of("pck ca");
    final Key pckKey = Key.of("pck leaf");
    final Key signingKey = Key.of("tcb signing");
    final Key attestationKey = Key.of("attestation key");

    final X500Name rootName = new X500Name("CN=Test SGX Root CA,O=Verity Tests");
    final X500Name pckCaName = new X500Name("CN=Test SGX PCK Platform CA,O=Verity Tests");
    final byte[] root = cert(rootName, rootName, rootKey, rootKey, 1, true, null);
    final byte[] pckCa = cert(pckCaName, rootName, pckCaKey, rootKey, 2, true, null);
    final byte[] signing = cert(new X500Name("CN=Intel SGX TCB Signing,O=Verity Tests"), rootName, signingKey, rootKey, 3,
            false, null);
    final byte[] pck;

    TdxTestPki() {
        this(SGX_SVNS, PCE_SVN, FMSPC);
    }

    TdxTestPki(int[] sgxSvns, int pceSvn, String fmspc) {
        pck = cert(new X500Name("CN=Intel SGX PCK Certificate,O=Verity Tests"), pckCaName, pckKey, pckCaKey, 4, false,
                sgxExtension(sgxSvns, pceSvn, HEX.parseHex(fmspc)));
    }

    /** A root CRL revoking these serials, and an empty PCK CA CRL. */
    List<byte[]> crls(long... revokedByRoot) {
        return List.of(crl(rootName, rootKey, revokedByRoot), crl(pckCaName, pckCaKey));
    }

    TdxCollateral collateral(String tcbInfoBody, String qeIdentityBody) {
        return new TdxCollateral(signedJson("tcbInfo", tcbInfoBody), signedJson("enclaveIdentity", qeIdentityBody),
                List.of(signing));
    }

    byte[] signedJson(String key, String body) {
        String sig = HEX.formatHex(signingKey.signRaw(body.getBytes(StandardCharsets.US_ASCII)));
        return ("{\"" + key + "\":" + body + ",\"signature\":\"" + sig + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    // ---- collateral documents ------------------------------------------------------------------

    static String tcbInfoFor(String fmspc, String moduleIdentities, String... levels) {
        return "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"" + ISSUED + "\",\"nextUpdate\":\"" + NEXT_UPDATE
                + "\",\"fmspc\":\"" + fmspc + "\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,"
                + "\"tdxModule\":{\"mrsigner\":\"" + "00".repeat(48) + "\",\"attributes\":\"0000000000000000\","
                + "\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
                + (moduleIdentities == null ? "" : "\"tdxModuleIdentities\":[" + moduleIdentities + "],")
                + "\"tcbLevels\":[" + String.join(",", levels) + "]}";
    }

    static String tcbInfo(String... levels) {
        return tcbInfoFor(FMSPC, null, levels);
    }

    static String level(int[] sgx, int pceSvn, int[] tdx, String status) {
        return "{\"tcb\":{\"sgxtcbcomponents\":" + components(sgx) + ",\"pcesvn\":" + pceSvn + ",\"tdxtcbcomponents\":"
                + components(tdx) + "},\"tcbDate\":\"2023-08-09T00:00:00Z\",\"tcbStatus\":\"" + status + "\"}";
    }

    static String moduleIdentity(String id, String... isvLevels) {
        return "{\"id\":\"" + id + "\",\"mrsigner\":\"" + "00".repeat(48) + "\",\"attributes\":\"0000000000000000\","
                + "\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":[" + String.join(",", isvLevels) + "]}";
    }

    static String isvLevel(int isvSvn, String status) {
        return "{\"tcb\":{\"isvsvn\":" + isvSvn + "},\"tcbDate\":\"2023-08-09T00:00:00Z\",\"tcbStatus\":\"" + status + "\"}";
    }

    static String qeIdentity(String... isvLevels) {
        return "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"" + ISSUED + "\",\"nextUpdate\":\"" + NEXT_UPDATE
                + "\",\"tcbEvaluationDataNumber\":17,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
                + "\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\","
                + "\"mrsigner\":\"" + HEX.formatHex(QE_MRSIGNER).toUpperCase(java.util.Locale.ROOT) + "\",\"isvprodid\":2,"
                + "\"tcbLevels\":[" + String.join(",", isvLevels) + "]}";
    }

    static String components(int[] svns) {
        List<String> parts = new ArrayList<>();
        for (int s : svns) {
            parts.add("{\"svn\":" + s + "}");
        }
        return "[" + String.join(",", parts) + "]";
    }

    static int[] tdx(int... first) {
        return Arrays.copyOf(first, 16);
    }

    // ---- quotes --------------------------------------------------------------------------------

    /** What goes into a quote; fields default to a platform matching {@link #SGX_SVNS} and the default QE. */
    static final class QuoteSpec {
        int version = 4;
        int bodyType = 2;
        byte[] teeTcbSvn = {3, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] teeTcbSvn2 = {4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] mrSignerSeam = new byte[48];
        long tdAttributes = 0x10000000L;
        int qeIsvSvn = 4;
        int qeIsvProdId = 2;
        byte[] qeMrSigner = QE_MRSIGNER;
        byte[] reportData = filled(64, 0x5A);
        byte[] mrtd = filled(48, 0x3D);
        byte[] mrServiceTd = filled(48, 0x7E);
    }

    byte[] quote(QuoteSpec s) {
        Bytes header = new Bytes().u16(s.version).u16(2).u32(0x81).u16(0).u16(0)
                .raw(HEX.parseHex("939a7233f79c4ca9940a0db3957f0607")).raw(new byte[20]);
        Bytes body = new Bytes().raw(s.teeTcbSvn).raw(filled(48, 0x11)).raw(s.mrSignerSeam).raw(new byte[8])
                .u32(s.tdAttributes).u32(s.tdAttributes >>> 32).raw(filled(8, 0xE7)).raw(s.mrtd).raw(new byte[48 * 3])
                .raw(filled(48 * 4, 0x44)).raw(s.reportData);
        if (s.bodyType == 3) {
            body.raw(s.teeTcbSvn2).raw(s.mrServiceTd);
        }
        Bytes signed = new Bytes().raw(header.get());
        if (s.version == 5) {
            signed.u16(s.bodyType).u32(body.get().length);
        }
        signed.raw(body.get());

        byte[] authData = "auth data".getBytes(StandardCharsets.US_ASCII);
        byte[] attKey = attestationKey.rawXy();
        byte[] qeReportData = Arrays.copyOf(Sha256.digest(attKey, authData).bytes(), 64);
        byte[] qeReport = new Bytes().raw(new byte[16]).u32(0).raw(new byte[28]).raw(filled(1, 0x15)).raw(new byte[15])
                .raw(filled(32, 0x0E)).raw(new byte[32]).raw(s.qeMrSigner).raw(new byte[96]).u16(s.qeIsvProdId)
                .u16(s.qeIsvSvn).raw(new byte[60]).raw(qeReportData).get();
        byte[] pem = (pem(pck) + pem(pckCa) + pem(root)).getBytes(StandardCharsets.US_ASCII);
        byte[] qeCertData = new Bytes().raw(qeReport).raw(pckKey.signRaw(qeReport)).u16(authData.length).raw(authData)
                .u16(5).u32(pem.length).raw(pem).get();
        byte[] sigData = new Bytes().raw(attestationKey.signRaw(signed.get())).raw(attKey).u16(6).u32(qeCertData.length)
                .raw(qeCertData).get();
        return new Bytes().raw(signed.get()).u32(sigData.length).raw(sigData).get();
    }

    // ---- certificates and CRLs -----------------------------------------------------------------

    static byte[] cert(X500Name subject, X500Name issuer, Key subjectKey, Key issuerKey, long serial, boolean ca,
            Extension extra) {
        try {
            V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
            g.setSerialNumber(new ASN1Integer(serial));
            g.setSignature(ECDSA_SHA256);
            g.setIssuer(issuer);
            g.setSubject(subject);
            g.setStartDate(time(NOT_BEFORE));
            g.setEndDate(time(NOT_AFTER));
            g.setSubjectPublicKeyInfo(subjectKey.spki());
            List<Extension> exts = new ArrayList<>();
            exts.add(new Extension(Extension.basicConstraints, true, new BasicConstraints(ca).getEncoded()));
            if (extra != null) {
                exts.add(extra);
            }
            g.setExtensions(new Extensions(exts.toArray(new Extension[0])));
            TBSCertificate tbs = g.generateTBSCertificate();
            byte[] sig = issuerKey.signDer(tbs.getEncoded(ASN1Encoding.DER));
            return Certificate.getInstance(new DERSequence(new ASN1Encodable[] {tbs, ECDSA_SHA256, new DERBitString(sig)}))
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] crl(X500Name issuer, Key issuerKey, long... revoked) {
        try {
            V2TBSCertListGenerator g = new V2TBSCertListGenerator();
            g.setIssuer(issuer);
            g.setSignature(ECDSA_SHA256);
            g.setThisUpdate(time(epoch(ISSUED)));
            g.setNextUpdate(time(epoch(NEXT_UPDATE)));
            for (long serial : revoked) {
                g.addCRLEntry(new ASN1Integer(serial), time(epoch(ISSUED)), 0);
            }
            TBSCertList tbs = g.generateTBSCertList();
            byte[] sig = issuerKey.signDer(tbs.getEncoded(ASN1Encoding.DER));
            return new DERSequence(new ASN1Encodable[] {tbs, ECDSA_SHA256, new DERBitString(sig)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Extension sgxExtension(int[] sgxSvns, int pceSvn, byte[] fmspc) {
        ASN1ObjectIdentifier sgx = new ASN1ObjectIdentifier(PckSgxExtensions.OID);
        ASN1ObjectIdentifier tcb = sgx.branch("2");
        ASN1EncodableVector tcbEntries = new ASN1EncodableVector();
        byte[] cpuSvn = new byte[16];
        for (int i = 0; i < 16; i++) {
            tcbEntries.add(pair(tcb.branch(Integer.toString(i + 1)), new ASN1Integer(sgxSvns[i])));
            cpuSvn[i] = (byte) sgxSvns[i];
        }
        tcbEntries.add(pair(tcb.branch("17"), new ASN1Integer(pceSvn)));
        tcbEntries.add(pair(tcb.branch("18"), new DEROctetString(cpuSvn)));
        ASN1EncodableVector entries = new ASN1EncodableVector();
        entries.add(pair(sgx.branch("1"), new DEROctetString(filled(16, 0x99))));
        entries.add(pair(tcb, new DERSequence(tcbEntries)));
        entries.add(pair(sgx.branch("3"), new DEROctetString(new byte[2])));
        entries.add(pair(sgx.branch("4"), new DEROctetString(fmspc)));
        entries.add(pair(sgx.branch("5"), new ASN1Enumerated(0)));
        try {
            return new Extension(sgx, false, new DERSequence(entries).getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DERSequence pair(ASN1ObjectIdentifier oid, ASN1Encodable value) {
        return new DERSequence(new ASN1Encodable[] {oid, value});
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    private static Time time(long epochSeconds) {
        return new Time(Date.from(Instant.ofEpochSecond(epochSeconds)));
    }

    static long epoch(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** A P-256 key pair derived from a seed. */
    record Key(BigInteger d, ECPoint q) {
        static Key of(String seed) {
            BigInteger d = new BigInteger(1, Sha256.digest(seed.getBytes(StandardCharsets.UTF_8)).bytes())
                    .mod(P256.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
            return new Key(d, P256.getG().multiply(d).normalize());
        }

        byte[] rawXy() {
            return Arrays.copyOfRange(q.getEncoded(false), 1, 65);
        }

        SubjectPublicKeyInfo spki() {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                    SECNamedCurves.getOID("secp256r1")), q.getEncoded(false));
        }

        BigInteger[] sign(byte[] data) {
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
            return signer.generateSignature(Sha256.digest(data).bytes());
        }

        byte[] signRaw(byte[] data) {
            BigInteger[] rs = sign(data);
            byte[] out = new byte[64];
            byte[] r = rs[0].toByteArray();
            byte[] s = rs[1].toByteArray();
            System.arraycopy(r, Math.max(0, r.length - 32), out, 32 - Math.min(32, r.length), Math.min(32, r.length));
            System.arraycopy(s, Math.max(0, s.length - 32), out, 64 - Math.min(32, s.length), Math.min(32, s.length));
            return out;
        }

        byte[] signDer(byte[] data) {
            BigInteger[] rs = sign(data);
            try {
                return new DERSequence(new ASN1Encodable[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
                        .getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Little-endian byte assembly. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes u16(int v) {
            out.write(v);
            out.write(v >> 8);
            return this;
        }

        Bytes u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)));
            }
            return this;
        }

        byte[] get() {
            return out.toByteArray();
        }
    }
}
