package dev.verity.proofs.attestation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * A stand-in for AMD's PKI, built with BouncyCastle's lightweight API: RSA ARK and ASK/ASVK keys signing
 * with RSASSA-PSS SHA-384 (salt 48), ECDSA P-384 VCEK/VLEK keys, and certificates carrying AMD's KDS
 * extensions. Keys are random; everything else is fixed.
 */
final class AmdTestPki {
    static final Instant NOT_BEFORE = Instant.parse("2023-01-01T00:00:00Z");
    static final Instant NOT_AFTER = Instant.parse("2040-01-01T00:00:00Z");
    static final long VALID_AT = Instant.parse("2025-06-01T00:00:00Z").getEpochSecond();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X9ECParameters P384 = SECNamedCurves.getByName("secp384r1");
    private static final ECDomainParameters P384_DOMAIN =
            new ECDomainParameters(P384.getCurve(), P384.getG(), P384.getN(), P384.getH());
    private static final AlgorithmIdentifier PSS_SHA384 = pssSha384();

    private AmdTestPki() {}

    /** An RSA key pair for a root or intermediate (2048 bits: AMD uses 4096, the check is the same). */
    static AsymmetricCipherKeyPair rsaKey() {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 2048, 80));
        return g.generateKeyPair();
    }

    static AsymmetricCipherKeyPair ecKey() {
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(P384_DOMAIN, RANDOM));
        return g.generateKeyPair();
    }

    static X500Name amdName(String commonName) {
        return new X500Name("OU=Engineering,C=US,L=Santa Clara,ST=CA,O=Advanced Micro Devices,CN=" + commonName);
    }

    /** A self-signed root. */
    static byte[] ark(String commonName, AsymmetricCipherKeyPair key) {
        return certificate(amdName(commonName), amdName(commonName), rsaSpki(key), key, null, 1);
    }

    /** An intermediate (ASK or ASVK) issued by {@code issuerKey}. */
    static byte[] intermediate(String commonName, AsymmetricCipherKeyPair key, String issuerName,
            AsymmetricCipherKeyPair issuerKey) {
        return certificate(amdName(commonName), amdName(issuerName), rsaSpki(key), issuerKey, null, 2);
    }

    /** A VCEK or VLEK issued by {@code issuerKey}, with the given KDS extensions. */
    static byte[] leaf(String issuerName, AsymmetricCipherKeyPair issuerKey, AsymmetricCipherKeyPair key,
            Extensions extensions) {
        ECPublicKeyParameters pub = (ECPublicKeyParameters) key.getPublic();
        SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECNamedCurves.getOID("secp384r1")),
                pub.getQ().getEncoded(false));
        return certificate(amdName("SEV-VCEK"), amdName(issuerName), spki, issuerKey, extensions, 3);
    }

    /**
     * KDS extensions: the patch levels (fmcSPL only when {@code fmc} is not null), and either a hwID or a
     * CSP ID.
     */
    static Extensions kdsExtensions(int bl, int tee, int snp, int ucode, Integer fmc, byte[] hwId, String cspId) {
        try {
            ExtensionsGenerator g = new ExtensionsGenerator();
            g.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_BL_SPL), false, new ASN1Integer(bl));
            g.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_TEE_SPL), false, new ASN1Integer(tee));
            g.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_SNP_SPL), false, new ASN1Integer(snp));
            g.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_UCODE_SPL), false, new ASN1Integer(ucode));
            if (fmc != null) {
                g.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_FMC_SPL), false, new ASN1Integer(fmc));
            }
            if (hwId != null) {
                // AMD puts the raw bytes in the extension value, without an OCTET STRING header.
                g.addExtension(new Extension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_HW_ID), false,
                        new DEROctetString(hwId)));
            }
            if (cspId != null) {
                g.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_CSP_ID), false, new DERIA5String(cspId));
            }
            return g.generate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signs the report in place: ECDSA P-384 over bytes 0x000..0x29F, r and s little-endian at 0x2A0 and 0x2E8. */
    static byte[] sign(byte[] report, AsymmetricCipherKeyPair key) {
        SHA384Digest d = new SHA384Digest();
        d.update(report, 0, SevSnpReport.SIGNED_LENGTH);
        byte[] hash = new byte[48];
        d.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA384Digest()));
        signer.init(true, (ECPrivateKeyParameters) key.getPrivate());
        BigInteger[] rs = signer.generateSignature(hash);
        writeLittleEndian72(rs[0], report, SevSnpReport.SIGNATURE_OFFSET);
        writeLittleEndian72(rs[1], report, SevSnpReport.SIGNATURE_OFFSET + 72);
        return report;
    }

    private static void writeLittleEndian72(BigInteger v, byte[] out, int off) {
        byte[] be = v.toByteArray();
        for (int i = 0; i < 72; i++) {
            out[off + i] = i < be.length ? be[be.length - 1 - i] : 0;
        }
    }

    private static SubjectPublicKeyInfo rsaSpki(AsymmetricCipherKeyPair key) {
        RSAKeyParameters pub = (RSAKeyParameters) key.getPublic();
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    new RSAPublicKey(pub.getModulus(), pub.getExponent()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] certificate(X500Name subject, X500Name issuer, SubjectPublicKeyInfo spki,
            AsymmetricCipherKeyPair issuerKey, Extensions extensions, long serial) {
        try {
            V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
            g.setSerialNumber(new ASN1Integer(serial));
            g.setSignature(PSS_SHA384);
            g.setIssuer(issuer);
            g.setStartDate(new Time(Date.from(NOT_BEFORE)));
            g.setEndDate(new Time(Date.from(NOT_AFTER)));
            g.setSubject(subject);
            g.setSubjectPublicKeyInfo(spki);
            if (extensions != null) {
                g.setExtensions(extensions);
            }
            TBSCertificate tbs = g.generateTBSCertificate();
            byte[] tbsDer = tbs.getEncoded(ASN1Encoding.DER);
            PSSSigner signer = new PSSSigner(new RSABlindedEngine(), new SHA384Digest(), AmdCertChain.PSS_SALT_LENGTH);
            signer.init(true, new ParametersWithRandom(issuerKey.getPrivate(), RANDOM));
            signer.update(tbsDer, 0, tbsDer.length);
            byte[] sig = signer.generateSignature();
            return new DERSequence(new ASN1Encodable[] {tbs, PSS_SHA384, new DERBitString(sig)}).getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AlgorithmIdentifier pssSha384() {
        AlgorithmIdentifier sha384 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE);
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(sha384,
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha384), new ASN1Integer(48), new ASN1Integer(1)));
    }
}
