package dev.verity.devtee;

import dev.verity.proofs.attestation.SevSnpTcb;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * The development ARK, ASK and VCEK: each certificate (DER) with its private key. The ARK and ASK keys
 * are kept so that more chips can be issued under the same roots.
 */
record DevSevSnpChain(
        byte[] arkDer, RSAPrivateCrtKeyParameters arkKey,
        byte[] askDer, RSAPrivateCrtKeyParameters askKey,
        byte[] vcekDer, ECPrivateKeyParameters vcekKey) {

    DevSevSnpChain {
        arkDer = arkDer.clone();
        askDer = askDer.clone();
        vcekDer = vcekDer.clone();
    }

    /** A new ARK and ASK, and a VCEK for {@code chipId} at {@code tcb}, all valid over the same period. */
    static DevSevSnpChain generate(byte[] chipId, SevSnpTcb tcb, Instant notBefore, Duration validity,
            SecureRandom random) {
        // RSA-4096 key generation takes a second or more per key: make the two keys side by side, each
        // from its own stream when the randomness is seeded, so the result does not depend on timing.
        SecureRandom arkRandom = random instanceof SeededRandom s ? s.derive("ark") : random;
        SecureRandom askRandom = random instanceof SeededRandom s ? s.derive("ask") : random;
        CompletableFuture<RSAPrivateCrtKeyParameters> arkKeyLater =
                CompletableFuture.supplyAsync(() -> DevSevSnpCertificates.newRsaKey(arkRandom));
        RSAPrivateCrtKeyParameters askKey = DevSevSnpCertificates.newRsaKey(askRandom);
        RSAPrivateCrtKeyParameters arkKey = arkKeyLater.join();
        byte[] ark = DevSevSnpCertificates.ark(arkKey, notBefore, validity, random);
        byte[] ask = DevSevSnpCertificates.ask(askKey, arkKey, notBefore, validity, random);
        ECPrivateKeyParameters vcekKey = DevSevSnpCertificates.newP384Key(random);
        byte[] vcek = DevSevSnpCertificates.vcek(vcekKey, askKey, chipId, tcb, notBefore, validity, random);
        return new DevSevSnpChain(ark, arkKey, ask, askKey, vcek, vcekKey);
    }

    /** This chain's ARK and ASK with a new VCEK (new key) for {@code chipId} at {@code tcb}. */
    DevSevSnpChain withVcek(byte[] chipId, SevSnpTcb tcb, Instant notBefore, Duration validity, SecureRandom random) {
        ECPrivateKeyParameters key = DevSevSnpCertificates.newP384Key(random);
        byte[] vcek = DevSevSnpCertificates.vcek(key, askKey, chipId, tcb, notBefore, validity, random);
        return new DevSevSnpChain(arkDer, arkKey, askDer, askKey, vcek, key);
    }

    @Override
    public byte[] arkDer() {
        return arkDer.clone();
    }

    @Override
    public byte[] askDer() {
        return askDer.clone();
    }

    @Override
    public byte[] vcekDer() {
        return vcekDer.clone();
    }
}
