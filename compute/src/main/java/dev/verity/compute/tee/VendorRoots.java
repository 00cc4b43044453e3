package dev.verity.compute.tee;

import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.SevSnpVerifier;
import dev.verity.proofs.attestation.TeeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The hardware vendors' root certificates shipped with the node (resources {@code tee/amd} and
 * {@code tee/intel}), as genesis collateral: AMD's ARK for each product line and Intel's SGX root CA.
 * A genesis that includes them lets real SEV-SNP and TDX machines register; governance can add or
 * remove roots later.
 */
public final class VendorRoots {
    static final List<String> AMD_PRODUCT_LINES = List.of("milan", "genoa", "turin");

    private VendorRoots() {}

    public static List<Collateral> all() {
        List<Collateral> out = new ArrayList<>();
        for (String line : AMD_PRODUCT_LINES) {
            String pem = resource("tee/amd/ask_ark_" + line + ".pem");
            if (pem == null) {
                continue;
            }
            for (byte[] der : SevSnpVerifier.pemToDer(pem)) {
                if (selfSigned(der)) {
                    out.add(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, der));
                }
            }
        }
        String intel = resource("tee/intel/sgx_root_ca.pem");
        if (intel != null) {
            for (byte[] der : SevSnpVerifier.pemToDer(intel)) {
                out.add(new Collateral(TeeType.TDX, CollateralKind.ROOT_CERTIFICATE, der));
            }
        }
        return out;
    }

    private static boolean selfSigned(byte[] der) {
        Certificate c = Certificate.getInstance(der);
        return c.getSubject().equals(c.getIssuer());
    }

    private static String resource(String name) {
        try (InputStream in = VendorRoots.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled certificate " + name, e);
        }
    }
}
