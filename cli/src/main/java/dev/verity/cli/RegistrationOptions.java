package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** What a node declares when it registers: {@code verity node register} and {@code verity node run --register}. */
final class RegistrationOptions {
    @Option(names = "--stake", paramLabel = "TOKENS", converter = Converters.Tokens.class,
            description = "Stake to lock, in VRT (at least the chain's minStake; see verity params).")
    Long stake;

    @Option(names = "--model", paramLabel = "HASH", converter = Converters.Sha.class,
            description = "A model the node serves (repeat for more).")
    List<Hash> models = new ArrayList<>();

    @Option(names = "--mode", split = ",", paramLabel = "MODE", converter = Converters.Mode.class, defaultValue = "NONE",
            description = "Verification modes the node offers, e.g. NONE or NONE,TEE (default: ${DEFAULT-VALUE}).")
    List<VerificationMode> modes;

    @Option(names = "--gpu", paramLabel = "NAME", description = "GPU model, e.g. 'NVIDIA H100'.")
    String gpu;

    @Option(names = "--gpu-count", paramLabel = "N", description = "Number of GPUs (default: 1 with --gpu).")
    Integer gpuCount;

    @Option(names = "--cpu", paramLabel = "NAME", description = "CPU model.")
    String cpu;

    @Option(names = "--cpu-count", paramLabel = "N", description = "Number of CPU cores.")
    Integer cpuCount;

    /** Throws a usage error unless --stake and at least one --model are given. */
    void requireStakeAndModels(String command, Function<String, RuntimeException> usage) {
        if (stake == null || models.isEmpty()) {
            throw usage.apply(command + " needs --stake TOKENS and at least one --model HASH");
        }
    }

    /** The declared hardware: --gpu/--cpu when given, else this machine's CPUs. */
    Hardware hardware(Function<String, RuntimeException> usage) {
        boolean anyGpu = gpu != null || gpuCount != null;
        boolean anyCpu = cpu != null || cpuCount != null;
        String local = System.getProperty("os.arch") + " CPU";
        if (!anyGpu && !anyCpu) {
            return Hardware.cpuOnly(local, Runtime.getRuntime().availableProcessors());
        }
        String gpuName = gpu == null ? (anyGpu ? "GPU" : "") : gpu;
        int gpus = gpuCount != null ? gpuCount : (gpu != null ? 1 : 0);
        String cpuName = cpu == null ? (anyCpu ? local : "") : cpu;
        int cpus = cpuCount != null ? cpuCount : (cpu != null ? 1 : 0);
        if (gpus < 0 || cpus < 0) {
            throw usage.apply("--gpu-count and --cpu-count must not be negative");
        }
        if (gpuName.length() > Hardware.MAX_NAME_LENGTH || cpuName.length() > Hardware.MAX_NAME_LENGTH) {
            throw usage.apply("hardware names are at most " + Hardware.MAX_NAME_LENGTH + " characters");
        }
        return new Hardware(gpuName, gpus, cpuName, cpus);
    }
}
