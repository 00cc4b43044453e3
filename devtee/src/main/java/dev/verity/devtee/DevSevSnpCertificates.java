package dev.verity.devtee;

import dev.verity.proofs.attestation.SevSnpTcb;
import dev.verity.proofs.attestation.SevSnpVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Keys and certificates of the development ARK, ASK and VCEK, laid out like AMD's (the KDS
 * certificates of a Milan part): RSA-4096 ARK and ASK, EC P-384 VCEK, every certificate signed with
 * RSASSA-PSS SHA-384 / MGF1-SHA-384 / salt 48, and the VCEK carrying AMD's extensions (hwID, the SPLs,
 * productName). Built with BouncyCastle's lightweight API, like the verifier that checks them.
 */
final class DevSevSnpCertificates {
    /** RSA size of the ARK and ASK keys, as AMD's. */
    static final int RSA_BITS = 4096;
    /** The VCEK's productName; AMD's say "Milan-B0", "Genoa", ... */
    static final String PRODUCT_NAME = "Dev";

    static final X500Name ARK_NAME = name("ARK-Dev");
    static final X500Name ASK_NAME = name("SEV-Dev");
    static final X500Name VCEK_NAME = name("SEV-VCEK");

    private static final String OID_STRUCT_VERSION = "1.3.6.1.4.1.3704.1.1";
    private static final String OID_PRODUCT_NAME = "1.3.6.1.4.1.3704.1.2";
    /** SPL slots 4..7 that AMD's VCEKs carry as 0 (reserved). */
    private static final String[] OID_RESERVED_SPLS = {
        "1.3.6.1.4.1.3704.1.3.4", "1.3.6.1.4.1.3704.1.3.5", "1.3.6.1.4.1.3704.1.3.6", "1.3.6.1.4.1.3704.1.3.7"};
    private static final int PSS_SALT_LENGTH = 48;
    /** AMD writes every PSS parameter, the default trailer field included; so do we, to match byte for byte. */
    private static final AlgorithmIdentifier RSASSA_PSS_SHA384 = pssSha384();

    private DevSevSnpCertificates() {}

    static RSAPrivateCrtKeyParameters newRsaKey(SecureRandom random) {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, RSA_BITS, 112));
        return (RSAPrivateCrtKeyParameters) g.generateKeyPair().getPrivate();
    }

    static ECPrivateKeyParameters newP384Key(SecureRandom random) {
        ECNamedDomainParameters p384 = new ECNamedDomainParameters(SECObjectIdentifiers.secp384r1,
                SECNamedCurves.getByOID(SECObjectIdentifiers.secp384r1));
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(p384, random));
        return (ECPrivateKeyParameters) g.generateKeyPair().getPrivate();
    }

    /** The self-signed ARK. */
    static byte[] ark(RSAPrivateCrtKeyParameters arkKey, Instant notBefore, Duration validity, SecureRandom random) {
        SubjectPublicKeyInfo spki = spki(arkKey);
        ExtensionsGenerator ext = new ExtensionsGenerator();
        add(ext, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        add(ext, Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(spki)));
        add(ext, Extension.basicConstraints, true, new BasicConstraints(true));
        return sign(ARK_NAME, ARK_NAME, spki, ext.generate(), notBefore, validity, arkKey, random);
    }

    /** The ASK, signed by the ARK; it may issue VCEKs only (path length 0). */
    static byte[] ask(RSAPrivateCrtKeyParameters askKey, RSAPrivateCrtKeyParameters arkKey, Instant notBefore,
            Duration validity, SecureRandom random) {
        SubjectPublicKeyInfo spki = spki(askKey);
        ExtensionsGenerator ext = new ExtensionsGenerator();
        add(ext, Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(spki)));
        add(ext, Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId(spki(arkKey))));
        add(ext, Extension.basicConstraints, true, new BasicConstraints(0));
        add(ext, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
        return sign(ASK_NAME, ARK_NAME, spki, ext.generate(), notBefore, validity, arkKey, random);
    }

    /** The VCEK of chip {@code chipId} at TCB {@code tcb}, signed by the ASK; extensions in AMD's order. */
    static byte[] vcek(ECPrivateKeyParameters vcekKey, RSAPrivateCrtKeyParameters askKey, byte[] chipId, SevSnpTcb tcb,
            Instant notBefore, Duration validity, SecureRandom random) {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        add(ext, new ASN1ObjectIdentifier(OID_STRUCT_VERSION), false, new ASN1Integer(0));
        add(ext, new ASN1ObjectIdentifier(OID_PRODUCT_NAME), false, new DERIA5String(PRODUCT_NAME));
        addSpl(ext, SevSnpVerifier.OID_BL_SPL, tcb.bootloader());
        addSpl(ext, SevSnpVerifier.OID_TEE_SPL, tcb.tee());
        for (String reserved : OID_RESERVED_SPLS) {
            addSpl(ext, reserved, 0);
        }
        addSpl(ext, SevSnpVerifier.OID_SNP_SPL, tcb.snp());
        addSpl(ext, SevSnpVerifier.OID_UCODE_SPL, tcb.microcode());
        // hwID is the bare 64 bytes as the extension value, not a nested OCTET STRING.
        ext.addExtension(new ASN1ObjectIdentifier(SevSnpVerifier.OID_HW_ID), false, chipId.clone());
        return sign(VCEK_NAME, ASK_NAME, spki(vcekKey), ext.generate(), notBefore, validity, askKey, random);
    }

    /** The public key's SubjectPublicKeyInfo (rsaEncryption, or id-ecPublicKey on named curve secp384r1). */
    static SubjectPublicKeyInfo spki(AsymmetricKeyParameter privateKey) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey(privateKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a DER certificate, or throws IllegalArgumentException. */
    static Certificate parse(byte[] der) {
        Certificate c = Certificate.getInstance(der);
        if (c == null) {
            throw new IllegalArgumentException("not a certificate");
        }
        return c;
    }

    /** The VCEK's hwID extension: the chip id. */
    static byte[] chipId(Certificate vcek) {
        Extension e = extension(vcek, SevSnpVerifier.OID_HW_ID);
        return e.getExtnValue().getOctets();
    }

    /** The TCB recorded in the VCEK's SPL extensions. */
    static SevSnpTcb tcb(Certificate vcek) {
        return DevSevSnpPlatform.tcbOf(spl(vcek, SevSnpVerifier.OID_BL_SPL), spl(vcek, SevSnpVerifier.OID_TEE_SPL),
                spl(vcek, SevSnpVerifier.OID_SNP_SPL), spl(vcek, SevSnpVerifier.OID_UCODE_SPL));
    }

    // ------------------------------------------------------------------------------------------------

    private static byte[] sign(X500Name subject, X500Name issuer, SubjectPublicKeyInfo spki, Extensions extensions,
            Instant notBefore, Duration validity, RSAPrivateCrtKeyParameters issuerKey, SecureRandom random) {
        Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(new BigInteger(63, random).add(BigInteger.ONE)));
        tbs.setSignature(RSASSA_PSS_SHA384);
        tbs.setIssuer(issuer);
        tbs.setSubject(subject);
        tbs.setStartDate(new Time(Date.from(start)));
        tbs.setEndDate(new Time(Date.from(start.plus(validity).truncatedTo(ChronoUnit.SECONDS))));
        tbs.setSubjectPublicKeyInfo(spki);
        tbs.setExtensions(extensions);
        TBSCertificate tbsCert = tbs.generateTBSCertificate();
        try {
            byte[] tbsDer = tbsCert.getEncoded(ASN1Encoding.DER);
            PSSSigner signer = new PSSSigner(new RSABlindedEngine(), new SHA384Digest(), PSS_SALT_LENGTH);
            signer.init(true, new ParametersWithRandom(issuerKey, random));
            signer.update(tbsDer, 0, tbsDer.length);
            byte[] signature = signer.generateSignature();
            return new DERSequence(new ASN1Encodable[] {
                tbsCert, RSASSA_PSS_SHA384, new DERBitString(signature)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException | CryptoException e) {
            throw new IllegalStateException("cannot sign the " + subject + " certificate", e);
        }
    }

    private static AlgorithmIdentifier pssSha384() {
        AlgorithmIdentifier sha384 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE);
        DERSequence params = new DERSequence(new ASN1Encodable[] {
            new DERTaggedObject(true, 0, sha384),
            new DERTaggedObject(true, 1, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha384)),
            new DERTaggedObject(true, 2, new ASN1Integer(PSS_SALT_LENGTH)),
            new DERTaggedObject(true, 3, new ASN1Integer(1))});
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, params);
    }

    private static AsymmetricKeyParameter publicKey(AsymmetricKeyParameter privateKey) {
        if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        }
        if (privateKey instanceof ECPrivateKeyParameters ec) {
            return new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(ec.getParameters().getG(), ec.getD()).normalize(),
                    ec.getParameters());
        }
        throw new IllegalArgumentException("unsupported key type " + privateKey.getClass().getSimpleName());
    }

    /** RFC 5280 key identifier: SHA-1 of the subjectPublicKey bits. */
    private static byte[] keyId(SubjectPublicKeyInfo spki) {
        byte[] key = spki.getPublicKeyData().getBytes();
        SHA1Digest d = new SHA1Digest();
        d.update(key, 0, key.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Verity Development")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static void add(ExtensionsGenerator ext, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            ext.addExtension(oid, critical, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addSpl(ExtensionsGenerator ext, String oid, int value) {
        add(ext, new ASN1ObjectIdentifier(oid), false, new ASN1Integer(value));
    }

    private static Extension extension(Certificate c, String oid) {
        Extensions ext = c.getTBSCertificate().getExtensions();
        Extension e = ext == null ? null : ext.getExtension(new ASN1ObjectIdentifier(oid));
        if (e == null) {
            throw new IllegalArgumentException("the VCEK has no extension " + oid);
        }
        return e;
    }

    private static int spl(Certificate vcek, String oid) {
        return ASN1Integer.getInstance(extension(vcek, oid).getExtnValue().getOctets()).intValueExact();
    }
}
