package dev.verity.devtee;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Saves and loads a {@link DevSevSnpChain} as PEM files in a directory: certificates {@code ark.pem},
 * {@code ask.pem}, {@code vcek.pem}, and PKCS#8 private keys {@code ark-key.pem}, {@code ask-key.pem},
 * {@code vcek-key.pem} (mode 0600 where the file system is POSIX).
 */
final class DevSevSnpFiles {
    static final String[] NAMES = {"ark", "ask", "vcek"};

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";

    private DevSevSnpFiles() {}

    /** Writes the six files, each atomically replacing any file of that name. */
    static void save(DevSevSnpChain chain, Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[][] certs = {chain.arkDer(), chain.askDer(), chain.vcekDer()};
        AsymmetricKeyParameter[] keys = {chain.arkKey(), chain.askKey(), chain.vcekKey()};
        for (int i = 0; i < NAMES.length; i++) {
            write(dir, certFile(NAMES[i]), pem(CERTIFICATE, certs[i]), "rw-r--r--");
            byte[] pkcs8 = PrivateKeyInfoFactory.createPrivateKeyInfo(keys[i]).getEncoded();
            write(dir, keyFile(NAMES[i]), pem(PRIVATE_KEY, pkcs8), "rw-------");
        }
    }

    /**
     * Reads the six files and checks that each key belongs to its certificate.
     *
     * @throws IOException naming the directory and the file, if a file is missing, unreadable or corrupt
     */
    static DevSevSnpChain load(Path dir) throws IOException {
        byte[][] certs = new byte[3][];
        AsymmetricKeyParameter[] keys = new AsymmetricKeyParameter[3];
        for (int i = 0; i < NAMES.length; i++) {
            certs[i] = readPem(dir, certFile(NAMES[i]), CERTIFICATE);
            keys[i] = readKey(dir, keyFile(NAMES[i]));
            checkKeyMatches(dir, NAMES[i], certs[i], keys[i]);
        }
        if (!(keys[0] instanceof RSAPrivateCrtKeyParameters ark) || !(keys[1] instanceof RSAPrivateCrtKeyParameters ask)) {
            throw corrupt(dir, "the ARK and ASK keys must be RSA keys");
        }
        if (!(keys[2] instanceof ECPrivateKeyParameters vcek)) {
            throw corrupt(dir, "the VCEK key must be an EC P-384 key");
        }
        return new DevSevSnpChain(certs[0], ark, certs[1], ask, certs[2], vcek);
    }

    static String certFile(String name) {
        return name + ".pem";
    }

    static String keyFile(String name) {
        return name + "-key.pem";
    }

    // ------------------------------------------------------------------------------------------------

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    /** Writes to a temporary file (created 0600 on POSIX, so a key is never readable by others), then renames. */
    private static void write(Path dir, String name, String text, String posixMode) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(posixMode));
            }
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] readPem(Path dir, String name, String type) throws IOException {
        String text;
        try {
            // ISO-8859-1 decodes any bytes, so that stray binary reaches the PEM parser and its clear error.
            text = Files.readString(dir.resolve(name), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IOException("no development SEV-SNP platform in " + dir + ": " + name + " is missing", e);
        }
        PemObject pem;
        try (PemReader r = new PemReader(new StringReader(text))) {
            pem = r.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw corrupt(dir, name + " is not valid PEM (" + e.getMessage() + ")");
        }
        if (pem == null || !pem.getType().equals(type)) {
            throw corrupt(dir, name + " holds no PEM " + type);
        }
        return pem.getContent();
    }

    private static AsymmetricKeyParameter readKey(Path dir, String name) throws IOException {
        byte[] pkcs8 = readPem(dir, name, PRIVATE_KEY);
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(pkcs8);
        } catch (IOException | RuntimeException e) {
            throw corrupt(dir, name + " is not a PKCS#8 private key (" + e.getMessage() + ")");
        }
        if (!key.isPrivate()) {
            throw corrupt(dir, name + " is not a private key");
        }
        return key;
    }

    private static void checkKeyMatches(Path dir, String name, byte[] certDer, AsymmetricKeyParameter key)
            throws IOException {
        Certificate cert;
        try {
            cert = DevSevSnpCertificates.parse(certDer);
        } catch (RuntimeException e) {
            throw corrupt(dir, certFile(name) + " is not a DER certificate (" + e.getMessage() + ")");
        }
        byte[] certKey = cert.getSubjectPublicKeyInfo().getEncoded();
        byte[] ownKey;
        try {
            ownKey = DevSevSnpCertificates.spki(key).getEncoded();
        } catch (RuntimeException e) {
            throw corrupt(dir, keyFile(name) + ": " + e.getMessage());
        }
        if (!Arrays.equals(certKey, ownKey)) {
            throw corrupt(dir, keyFile(name) + " is not the key of " + certFile(name));
        }
    }

    private static IOException corrupt(Path dir, String what) {
        return new IOException("corrupt development SEV-SNP platform in " + dir + ": " + what);
    }
}
