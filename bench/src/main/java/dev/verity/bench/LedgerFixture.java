package dev.verity.bench;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A ledger with one registered model and one TEE node, and pre-signed batches of jobs and their
 * TEE results, so a benchmark measures only the state transition (signature checks included).
 */
final class LedgerFixture {
    static final String CHAIN = "verity-bench";
    final PrivateKey validator = PrivateKey.deterministic("validator");
    static final long GENESIS_TIME = 1_700_000_000_000L;
    /** A development SEV-SNP platform (seeded, so every run builds the same chain) that the bench genesis trusts. */
    final DevSevSnpPlatform platform = DevSevSnpPlatform.generate(Instant.ofEpochMilli(GENESIS_TIME).minus(Duration.ofDays(1)),
            Duration.ofDays(3650), new SeededRandom("verity bench platform"));
    final PrivateKey client = PrivateKey.deterministic("client");
    final PrivateKey node = PrivateKey.deterministic("node");
    final PrivateKey enclave = PrivateKey.deterministic("enclave");
    final Hash model = Sha256.digest(Bytes.utf8("bench model"));
    final Measurement measurement = new Measurement(Arrays.copyOf(Sha256.digest(Bytes.utf8("bench build")).bytes(),
            Measurement.LENGTH));
    final Genesis genesis;
    final List<SignedTransaction> setup = new ArrayList<>();
    final List<SignedTransaction> jobs = new ArrayList<>();
    final List<SignedTransaction> results = new ArrayList<>();

    LedgerFixture(int batch) {
        Params p = Params.defaults();
        genesis = new Genesis(CHAIN, GENESIS_TIME, p,
                List.of(new Genesis.Allocation(client.publicKey(), Long.MAX_VALUE / 4),
                        new Genesis.Allocation(node.publicKey(), 100_000 * Params.BASE_UNITS_PER_TOKEN)),
                List.of(validator.publicKey()), Council.single(validator.publicKey()),
                List.of(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform.arkDer())),
                List.of(new Genesis.ApprovedMeasurement(TeeType.SEV_SNP, measurement, "bench")), List.of());
        setup.add(sign(client, 0, new Payload.RegisterModel(model, "bench", "bytes", "bytes", 1_000_000)));
        setup.add(sign(node, 0, new Payload.RegisterNode(p.minStake(), List.of(model),
                List.of(VerificationMode.NONE, VerificationMode.TEE), Hardware.cpuOnly("bench", 1))));
        byte[] reportData = EnclaveBinding.reportData(CHAIN, enclave.publicKey(), node.publicKey());
        byte[] att = new AttestationEvidence.SevSnp(platform.report(reportData, measurement.bytes()), platform.vcekDer(),
                List.of(platform.askDer())).encode();
        setup.add(sign(node, 1, new Payload.RegisterEnclave(enclave.publicKey(), att)));
        byte[] output = new byte[1536];
        Hash outputHash = Sha256.digest(output);
        for (int i = 0; i < batch; i++) {
            byte[] input = Bytes.utf8("input " + i);
            SignedTransaction job = sign(client, 1 + i, new Payload.SubmitJob(model, input, VerificationMode.TEE, List.of(),
                    Params.BASE_UNITS_PER_TOKEN, 100));
            jobs.add(job);
            byte[] evidence = enclave.sign(new TeeResultStatement(job.hash(), model, Sha256.digest(input), outputHash)
                    .signingBytes()).bytes();
            results.add(sign(node, 2 + i, new Payload.SubmitResult(job.hash(), output, evidence)));
        }
    }

    static SignedTransaction sign(PrivateKey key, long nonce, Payload payload) {
        return SignedTransaction.sign(new TransactionBody(CHAIN, key.publicKey(), nonce, payload), key);
    }

    /** A fresh ledger with the model, node and enclave registered (two blocks). */
    Ledger freshLedger() {
        Ledger ledger = Ledger.fromGenesis(genesis);
        var b1 = BlockExecution.produce(ledger, setup.subList(0, 1), 1, genesis.hash(), blockTime(1), validator);
        var b2 = BlockExecution.produce(ledger, setup.subList(1, 3), 2, b1.block().hash(), blockTime(2), validator);
        if (!b2.refused().isEmpty() || !b1.refused().isEmpty()) {
            throw new IllegalStateException("bench set-up refused: " + b1.refused() + b2.refused());
        }
        lastHash = b2.block().hash();
        return ledger;
    }

    /** Blocks a second apart from genesis: certificate validity is checked at the block's time. */
    static long blockTime(long height) {
        return GENESIS_TIME + height * 1_000;
    }

    Hash lastHash;
}
