package dev.verity.validator.consensus.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.chain.ValidatorSetChanges;
import dev.verity.validator.storage.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator set comes from the chain: an equivocating validator is caught by the others through the log, reported
 * by them in a transaction, slashed and removed from the set, while the honest ones keep finalizing; a validator that
 * bonds stake by a transaction joins the replicated log (its members follow the set on chain) and signs certificates.
 */
class ValidatorSetChangesTest {
    private static final long STAKE = Genesis.DEFAULT_VALIDATOR_STAKE;

    @TempDir
    Path dir;

    private record Cluster(Genesis genesis, List<PrivateKey> keys, List<ValidatorPeer> peers, List<Integer> apiPorts) {}

    private Cluster cluster(int genesisValidators, int extra, PrivateKey funded) throws Exception {
        return cluster(genesisValidators, extra, funded, true);
    }

    /** {@code addressesOnChain} false: genesis names the validators by key only, so the log's members stay as started. */
    private Cluster cluster(int genesisValidators, int extra, PrivateKey funded, boolean addressesOnChain) throws Exception {
        List<PrivateKey> keys = new ArrayList<>();
        List<ValidatorPeer> peers = new ArrayList<>();
        List<Integer> apiPorts = new ArrayList<>();
        TestGenesis tg = TestGenesis.chain("validator-set-test");
        for (int i = 0; i < genesisValidators + extra; i++) {
            PrivateKey k = PrivateKey.deterministic("set-val-" + i);
            keys.add(k);
            int api = ReplicatedChainTest.freePort();
            apiPorts.add(api);
            ValidatorPeer p = new ValidatorPeer(k.publicKey(), "127.0.0.1:" + ReplicatedChainTest.freePort(), "http://127.0.0.1:" + api);
            peers.add(p);
            if (i < genesisValidators) {
                tg.validator(addressesOnChain ? new ValidatorInfo(k.publicKey(), STAKE, p.address(), p.apiUrl())
                        : new ValidatorInfo(k.publicKey(), STAKE, "", ""));
                tg.fund(k, STAKE); // its account sends its reports of equivocations
            } else {
                tg.fund(k, 10 * STAKE);
            }
        }
        if (funded != null) {
            tg.fund(funded, 10 * STAKE);
        }
        return new Cluster(tg.build(), keys, peers, apiPorts);
    }

    private ValidatorProcess start(Cluster c, int i, List<ValidatorPeer> peers) {
        return new ValidatorProcess(dir.resolve("v" + i), c.keys().get(i), c.genesis(), ApiServerConfig.loopback(c.apiPorts().get(i)),
                150, null, false, Retention.ARCHIVE, peers);
    }

    @Test
    void aValidatorThatSignsTwoRootsAtOneHeightIsCaughtBySlashedAndLeavesTheSet() throws Exception {
        Cluster c = cluster(4, 0, null);
        List<ValidatorProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(start(c, i, c.peers()));
            }
            System.setProperty(ReplicatedConsensus.EQUIVOCATE_AT, "3");
            try {
                nodes.add(start(c, 3, c.peers()));
            } finally {
                System.clearProperty(ReplicatedConsensus.EQUIVOCATE_AT);
            }
            var cheater = c.keys().get(3).publicKey();
            await(() -> nodes.stream().allMatch(v -> !v.chain().currentValidatorSet().contains(cheater)),
                    "every validator removes the equivocating one from the set");
            for (ValidatorProcess v : nodes.subList(0, 3)) {
                long left = v.chain().read(s -> {
                    var u = s.validatorUnbonding.get(cheater);
                    return u == null ? 0L : u.total();
                });
                assertThat(left).as("what is left of its stake, unbonding: half was slashed").isEqualTo(STAKE / 2);
                ValidatorSet set = v.chain().currentValidatorSet();
                assertThat(set.members()).hasSize(3);
            }
            long h = nodes.get(0).chain().height();
            await(() -> nodes.get(0).chain().finalizedHeight() > h + 2, "the three honest validators keep finalizing");
            // A validator catching up follows the change from the genesis set, whoever serves it; a forged one is refused.
            var changes = setChanges(nodes.get(1).url());
            assertThat(changes).hasSize(1);
            ValidatorSet genesisSet = nodes.get(0).chain().signingSet(1).orElseThrow();
            assertThat(ValidatorSetChanges.follow(genesisSet, changes, Long.MAX_VALUE))
                    .isEqualTo(nodes.get(0).chain().currentValidatorSet());
            var change = changes.get(0);
            var forged = new ValidatorSetChanges.Change(change.height(), change.header(), change.certificate(),
                    dev.verity.core.Bytes.hex(ValidatorSet.of(genesisSet.members()).encode()), change.proof());
            assertThatThrownBy(() -> ValidatorSetChanges.follow(genesisSet, List.of(forged), Long.MAX_VALUE))
                    .hasMessageContaining("does not hold");
            for (long height = 1; height <= nodes.get(0).chain().finalizedHeight(); height++) {
                var root = nodes.get(0).chain().certificate(height).orElseThrow().vote().stateRoot();
                for (ValidatorProcess v : nodes.subList(1, 3)) {
                    v.chain().certificate(height).ifPresent(cert -> assertThat(cert.vote().stateRoot()).isEqualTo(root));
                }
            }
        } finally {
            nodes.forEach(ValidatorProcess::close);
        }
    }

    @Test
    void aLeaderThatLeavesTheSetHandsTheLeadOverSoTheChainGoesOn() throws Exception {
        Cluster c = cluster(4, 0, null, false);
        List<ValidatorProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                nodes.add(start(c, i, c.peers()));
            }
            await(() -> nodes.get(0).chain().finalizedHeight() > 2, "the four validators finalize");
            var leaderKey = nodes.get(0).chain().block(nodes.get(0).chain().height()).orElseThrow().header().producer();
            int leader = 0;
            while (!c.keys().get(leader).publicKey().equals(leaderKey)) {
                leader++;
            }
            PrivateKey leaving = c.keys().get(leader);
            long nonce = nodes.get(0).chain().read(s -> s.account(leaving.publicKey()).nonce());
            SignedTransaction leave = SignedTransaction.sign(new TransactionBody(c.genesis().chainId(), leaving.publicKey(), nonce,
                    new Payload.ValidatorLeave()), leaving);
            VerityClient client = new VerityClient(nodes.get(leader).url());
            TransactionReceipt r = client.submit(leave);
            assertThat(client.awaitReceipt(dev.verity.core.Hash.fromHex(r.hash()), Duration.ofSeconds(30)).status())
                    .isEqualTo(TransactionReceipt.INCLUDED);
            ValidatorProcess other = nodes.get((leader + 1) % 4);
            long h = other.chain().height();
            // The log's members do not change (no addresses on chain), so the one that left must hand over the lead.
            await(() -> other.chain().finalizedHeight() > h + 3, "the three that remain go on finalizing");
            var producer = other.chain().block(other.chain().height()).orElseThrow().header().producer();
            assertThat(producer).as("the latest block's proposer").isNotEqualTo(leaving.publicKey());
        } finally {
            nodes.forEach(ValidatorProcess::close);
        }
    }

    @Test
    void aValidatorThatBondsStakeJoinsTheLogAndSignsCertificates() throws Exception {
        Cluster c = cluster(3, 1, null);
        List<ValidatorProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(start(c, i, c.peers().subList(0, 3)));
            }
            PrivateKey joiner = c.keys().get(3);
            ValidatorPeer joinerPeer = c.peers().get(3);
            SignedTransaction bond = SignedTransaction.sign(new TransactionBody(c.genesis().chainId(), joiner.publicKey(), 0,
                    new Payload.ValidatorBond(STAKE, joinerPeer.address(), joinerPeer.apiUrl())), joiner);
            // As an operator would: the new validator runs first (outside the log until the chain admits it), then bonds.
            nodes.add(start(c, 3, c.peers()));
            VerityClient client = new VerityClient(nodes.get(1).url());
            TransactionReceipt r = client.submit(bond);
            assertThat(client.awaitReceipt(dev.verity.core.Hash.fromHex(r.hash()), Duration.ofSeconds(30)).status())
                    .isEqualTo(TransactionReceipt.INCLUDED);
            await(() -> nodes.get(3).chain().height() >= nodes.get(0).chain().height() - 1 && nodes.get(3).chain().height() > 3,
                    "the new validator follows the log");
            await(() -> {
                long f = nodes.get(0).chain().finalizedHeight();
                return f > 0 && nodes.get(0).chain().certificate(f).orElseThrow().signers().stream()
                        .anyMatch(s -> s.validator().equals(joiner.publicKey()));
            }, "its votes count in certificates");
            assertThat(nodes.get(0).chain().currentValidatorSet().members()).hasSize(4);
        } finally {
            nodes.forEach(ValidatorProcess::close);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(60), what);
    }

    private static List<ValidatorSetChanges.Change> setChanges(String url) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/validator-set-changes?after=0"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        List<ValidatorSetChanges.Change> out = new ArrayList<>();
        for (var n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body()).get("changes")) {
            out.add(new ValidatorSetChanges.Change(n.get("height").asLong(), n.get("header").asText(),
                    n.get("certificate").asText(), n.get("validatorSet").asText(), n.get("proof").asText()));
        }
        return out;
    }
}
