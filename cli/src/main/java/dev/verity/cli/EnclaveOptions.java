package dev.verity.cli;

import dev.verity.compute.ComputeNodeProgram;
import dev.verity.compute.tee.ConfigFsTsm;
import dev.verity.compute.tee.TsmEnclave;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.CheatMode;
import dev.verity.devnet.DevEnclave;
import dev.verity.devnet.DevnetGenesis;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.sdk.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a TEE node's enclave comes from: {@code --tee tsm} (a confidential VM: evidence through configfs-tsm, the
 * enclave key kept in the node's state folder) or, on the devnet chain only, {@code --dev-enclave DIR} (the development
 * platform the devnet's genesis trusts).
 */
final class EnclaveOptions {
    /** The enclave key's file in the node's state folder. */
    static final String ENCLAVE_KEY_FILE = "enclave.key";

    @Option(names = "--tee", paramLabel = "tsm", description = "Answer TEE jobs from this confidential VM: report evidence "
            + "through Linux configfs-tsm (AMD SEV-SNP or Intel TDX). Not run on real hardware yet; see docs/OPERATOR.md.")
    String tee;

    @Option(names = "--tsm-root", paramLabel = "DIR", hidden = true, description = "The configfs-tsm report directory.")
    Path tsmRoot = ConfigFsTsm.DEFAULT_ROOT;

    @Option(names = "--vcek", paramLabel = "FILE", description = "The chip's VCEK (DER), when the host supplies none with the "
            + "SEV-SNP report.")
    Path vcek;

    @Option(names = "--dev-enclave", paramLabel = "DIR", description = "Devnet only: the development SEV-SNP platform in DIR "
            + "(the devnet's keys/dev-sev-snp), for a TEE node of the local network.")
    Path devEnclave;

    @Option(names = "--cheat", paramLabel = "MODE", description = "Devnet only, for demonstrations: answer provable jobs "
            + "dishonestly (WRONG_OUTPUT or WRONG_TRACE) and get caught.")
    CheatMode cheat;

    boolean given() {
        return tee != null || devEnclave != null;
    }

    /** The launcher of the enclave these options name, or null for none. */
    ComputeNodeProgram.EnclaveLauncher launcher(Path stateDir) {
        if (tee != null && devEnclave != null) {
            throw new IllegalArgumentException("give --tee or --dev-enclave, not both");
        }
        if (devEnclave != null) {
            DevSevSnpPlatform platform = loadPlatform(devEnclave);
            return (chainId, node) -> {
                if (!DevnetGenesis.CHAIN_ID.equals(chainId)) {
                    throw new IllegalStateException("--dev-enclave is for the devnet ('" + DevnetGenesis.CHAIN_ID
                            + "') only; chain '" + chainId + "' needs a real enclave (--tee tsm)");
                }
                return DevEnclave.launch(platform, chainId, node, DevEnclave.buildMeasurement());
            };
        }
        if (tee == null) {
            return null;
        }
        if (!"tsm".equals(tee)) {
            throw new IllegalArgumentException("--tee is tsm (configfs-tsm evidence), got '" + tee + "'");
        }
        PrivateKey key = enclaveKey(stateDir);
        Optional<byte[]> vcekDer = vcek == null ? Optional.empty() : Optional.of(read(vcek));
        return (chainId, node) -> TsmEnclave.launch(new ConfigFsTsm(tsmRoot), key, chainId, node, vcekDer);
    }

    /** The enclave key kept in {@code stateDir} (owner-only), made on first use. */
    static PrivateKey enclaveKey(Path stateDir) {
        Path file = stateDir.resolve(ENCLAVE_KEY_FILE);
        try {
            if (Files.exists(file)) {
                return KeyFiles.load(file);
            }
            Files.createDirectories(stateDir);
            PrivateKey key = KeyFiles.generate();
            KeyFiles.save(file, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the enclave key in " + file + ": " + e.getMessage(), e);
        }
    }

    private static DevSevSnpPlatform loadPlatform(Path dir) {
        try {
            return DevSevSnpPlatform.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the development SEV-SNP platform from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
