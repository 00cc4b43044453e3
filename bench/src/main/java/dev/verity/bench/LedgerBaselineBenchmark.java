package dev.verity.bench;

import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Ed25519 verification (BouncyCastle), the unit cost that bounds the ledger: a settled TEE job
 * checks three (the job's transaction, the result's transaction, the enclave's signature).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
public class LedgerBaselineBenchmark {
    private PublicKey key;
    private byte[] message;
    private Signature signature;

    @Setup
    public void prepare() {
        PrivateKey k = PrivateKey.deterministic("baseline");
        key = k.publicKey();
        message = new byte[200];
        signature = k.sign(message);
    }

    @Benchmark
    public boolean ed25519Verify() {
        return key.verify(message, signature);
    }
}
